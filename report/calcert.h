/* The calibration certificate (校准证书) of a calibration after EURAMET
 * cg-18 (db/nawical.h).  What it carries follows JJF 1069-2012's rules for
 * a calibration certificate as summarised in secondary sources (the
 * specification's text could not be read): certificate number, original
 * record number, page number and page count; the issuing body with its
 * address; the client; the instrument's name, model and serial; the
 * calibrator's, checker's and approver's signatures; the calibration date;
 * the method followed (EURAMET cg-18; JJF 1847-2020 for electronic
 * balances as the nearest national specification); the reference
 * standard with its certificate and validity and its technical
 * characteristics (class); the place; the conditions (temperature,
 * humidity); and the results with their measurement uncertainty — the
 * errors of indication with U at k = 2, the repeatability as a standard
 * deviation, the eccentricity — and an end mark.  A calibration certificate
 * states no conformity and gives no calibration interval. */
#ifndef STALLCHECK_REPORT_CALCERT_H
#define STALLCHECK_REPORT_CALCERT_H

#include <stddef.h>
#include <stdio.h>

#include "db/db.h"
#include "db/nawical.h"
#include "report/card.h"
#include "report/lang.h"
#include "report/paper_head.h"

struct calcert {
    char id[48];
    char number[48];         /* "JZ20261207-1A2B3C" */
    char record_no[48];
    struct paper_head head;
    char calibrated_on[11];
    char calibrator[96];     /* 校准员 */
    char method[160];
    char repeat_load[24];    /* g */
    char repeat_s[24];       /* s, g */
    char ecc_load[24];
    char ecc_max[24];        /* |ΔI_ecc|max, g */
    int k;
    size_t nrows;
    struct nawical_row rows[CG18_STEPS];
    char qr[128];
};

/* The content of a committed calibration's certificate; SC_ERR_NOTFOUND,
 * SC_ERR_ARG for a draft or one ended without results. */
int calcert_load(struct db *db, const char *id, struct calcert *out);
/* The certificate as a card in the current paper language (report/lang.h:
 * labels Chinese first with the English second on a Chinese paper). */
int calcert_card(struct db *db, const char *id, struct card **out);
/* A4 PDF or text in the given language; calcert_pdf and calcert_text make
 * a Chinese paper, whatever the screen's language. */
int calcert_pdf_lang(struct db *db, const char *id, const char *path, enum paper_lang lang);
int calcert_text_lang(struct db *db, const char *id, FILE *out, enum paper_lang lang);
int calcert_pdf(struct db *db, const char *id, const char *path);
int calcert_text(struct db *db, const char *id, FILE *out);

#endif
