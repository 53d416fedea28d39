/* The papers of a verification (检定): a verification certificate (检定证书)
 * when the instrument passed, a notice of failed verification (检定结果通知书)
 * when it failed.  What they carry follows 《计量检定印、证管理办法》,
 * JJF 1069-2012 and JJF 1002-2010 附录G as summarised in secondary sources
 * (their own text could not be read):
 *
 *   cover   certificate number, page number and page count (第 x 页 共 y 页);
 *           the issuing body; the applicant (委托方/申请方); the instrument's
 *           name, model, serial number and maker; the conclusion ("合格",
 *           prefixed with the accuracy class); the verifier's, checker's and
 *           approver's signatures; the verification date and validity
 *           (有效期至); the body's authorisation number (计量授权证书号),
 *           address, phone, e-mail;
 *   inside  the original record number (原始记录号); the regulation followed
 *           (name and number); the reference standard's name, range,
 *           accuracy (class / MPE) and its 计量标准考核证书号, with the
 *           weights' own certificate and validity; the place; the
 *           environment (temperature, humidity); each test's result and
 *           data; an end mark (终结标志).
 *
 * And for stallcheck: the kind of verification (首次检定, 后续检定, 使用中检查),
 * the new verification mark and seal numbers on a pass, the failed items on
 * a notice, and a QR code naming the record as a verification
 * ("stallcheck:verification:ID"), checkable against the audit chain.
 *
 * struct certificate holds that content, built from what is stored
 * (db/calibration.h: the verdict and a snapshot of the issuer, applicant and
 * standard taken at commit), so a reprint is the same paper; the layout
 * (certificate_card) only arranges it. */
#ifndef STALLCHECK_REPORT_CERTIFICATE_H
#define STALLCHECK_REPORT_CERTIFICATE_H

#include <stddef.h>
#include <stdio.h>

#include "db/db.h"
#include "report/card.h"
#include "report/lang.h"
#include "report/paper_head.h"

enum certificate_paper {
    CERT_VERIFICATION = 1, /* 检定证书 */
    CERT_NOTICE,           /* 检定结果通知书 */
};

/* One line of the record: a test's step. */
struct certificate_row {
    char test_id[16];    /* the procedure's test id: weighing, general, price ... */
    char test[80];       /* its name on the paper, in the paper's language */
    char position[32];   /* "segment 2", "centre", "appearance" ... */
    char load[24];       /* g, "" for a check item */
    char indication[24]; /* g */
    char error[24];      /* Ec (g), "+0.5"; a price step's amount shown */
    char bound[24];      /* "±2.5", ">=5", a price step's amount due */
    char verdict[24];    /* pass, fail in the paper's words; "" (recorded only) */
    char note[96];       /* an answer's text, the price test's amounts */
};

struct certificate {
    enum certificate_paper paper;
    char id[48];                 /* the calibration record */
    char number[48];             /* 证书编号 */
    char record_no[48];          /* 原始记录号 */
    struct paper_head head;      /* issuer, applicant, instrument, standard, place,
                                    conditions (report/paper_head.h) */
    char kind[40];               /* "后续检定 subsequent verification" ... */
    char regulation[96];         /* "JJG 539-2016 《数字指示秤检定规程》" */
    char conclusion[64];         /* "Ⅲ级 合格 PASS" / "不合格 FAIL" */
    char verified_on[11];        /* 检定日期 */
    char valid_until[11];        /* 有效期至 (pass only) */
    char verifier[96];           /* 检定员: badge and name */
    char checker[96];            /* 核验员: "" until signed */
    char approver[96];           /* 批准人: "" until signed */
    char mark_no[48];            /* the new verification mark (pass) */
    char seal_no[48];            /* the new seal (pass) */
    char reason[400];            /* the engine's verdict line */
    char failed[256];            /* a notice's failed items: "eccentricity, weighing" */
    char qr[1024];               /* the QR code's payload */
    size_t nrows;
    struct certificate_row *rows;
};

/* The content of a committed verification's paper.  SC_ERR_NOTFOUND for
 * an unknown id; SC_ERR_ARG for a draft or a run abandoned without a verdict
 * (they have no paper).  certificate_free releases the rows. */
int certificate_load(struct db *db, const char *calibration_id, struct certificate *out);
void certificate_free(struct certificate *c);

/* The paper as a card (report/card.h); the text of certificate_text and
 * the PDF of certificate_pdf (the file replaced whole) come from it. */
int certificate_card(struct db *db, const char *calibration_id, struct card **out);
int certificate_pdf(struct db *db, const char *calibration_id, const char *path);
/* The same in a paper language (report/lang.h); certificate_pdf makes a
 * Chinese one (English second). */
int certificate_pdf_lang(struct db *db, const char *calibration_id, const char *path,
                         enum paper_lang lang);
int certificate_text(struct db *db, const char *calibration_id, FILE *out);

/* "JD20261125-1A2B3C" for a certificate, "TZ..." for a notice: the legal
 * date's digits and the calibration id's first six hex digits. */
void certificate_number(const char *day, const char *calibration_id, int pass, char *buf,
                        size_t size);

#endif
