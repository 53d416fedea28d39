/* What both papers of metrology staff carry besides their results — the
 * verification certificate or notice (report/certificate.h) and the
 * calibration certificate (report/calcert.h): the issuing body with its
 * authorisation number and contact, the applicant, the instrument (name,
 * code, maker and model, serial, plate), the reference standard (name,
 * range, class, 计量标准考核证书号) with the weights' own certificate, the
 * place and the conditions.  Read from the record's snapshot (db/paper.h)
 * and the registry; laid out as card rows (report/card.h). */
#ifndef STALLCHECK_REPORT_PAPER_HEAD_H
#define STALLCHECK_REPORT_PAPER_HEAD_H

#include <stddef.h>

#include "db/db.h"
#include "report/card.h"

struct paper_head {
    char issuer[256];               /* 发出证书的单位 */
    char issuer_authorisation[128]; /* 计量授权证书号 */
    char issuer_address[256];
    char issuer_phone[64];
    char issuer_email[128];
    char applicant[256];            /* 委托方 / 申请方 */
    char instrument_name[64];       /* 计量器具名称: 电子计价秤 ... */
    char instrument_code[48];
    char model[128];                /* maker and model, as registered */
    char serial[64];
    char cls[8];                    /* "Ⅲ" */
    char plate[128];                /* class, Max, Min, e */
    char standard[160];             /* the measurement standard's name */
    char standard_range[64];
    char standard_accuracy[64];     /* "OIML R111 M1" */
    char standard_cert[96];         /* 计量标准考核证书号 */
    char reference[160];            /* the weight set, its certificate and validity */
    char place[96];
    char temperature[16];           /* °C */
    char humidity[16];              /* %RH */
};

/* The head of a record: paper is its snapshot (db/paper.h). */
void paper_head_load(struct db *db, const char *paper, const char *instrument, const char *weight_set,
                     const char *place, const char *temperature, const char *humidity,
                     struct paper_head *out);

/* Card rows: the cover's issuer, applicant and instrument; its contact
 * lines; the inner page's standard, place and conditions. */
void paper_head_cover(struct card *k, const struct paper_head *h);
void paper_head_contact(struct card *k, const struct paper_head *h);
void paper_head_inner(struct card *k, const struct paper_head *h);

/* "2001 王计量" for a badge; "" for none. */
void paper_person(struct db *db, const char *badge, char *buf, size_t size);

/* Formats into a field, never cutting a UTF-8 character. */
void paper_set(char *dst, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Grams as text: "2.5", and with a sign: "+2.5", "-0.5", "0". */
void paper_grams(int64_t ug, char *buf, size_t size);
void paper_signed_grams(int64_t ug, char *buf, size_t size);

/* A signature line (JJF 1069-2012: the verifier's or calibrator's, the
 * checker's and the approver's own hand): the role in Chinese with the name
 * recorded (empty: signed on paper), its English gloss, a line and a date. */
int paper_sign(struct card *k, const char *role_zh, const char *name, const char *role_en);

#endif
