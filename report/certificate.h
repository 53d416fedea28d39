/* The papers of a verification (检定) as a card (report/card.h): a
 * verification certificate (检定证书) when the instrument passed, a notice
 * of failed verification (检定结果通知书) when it failed.  Both carry the
 * instrument as registered, the reference weight set with its class and its
 * own calibration, the room temperature, every reading with its error and
 * the MPE it was judged against, the verdict and the due date, and a QR
 * code of the record ("stallcheck:calibration:ID"), so anyone can check it
 * against the audit chain.  Built from what is stored (db/calibration.h):
 * a reprint is the same paper. */
#ifndef STALLCHECK_REPORT_CERTIFICATE_H
#define STALLCHECK_REPORT_CERTIFICATE_H

#include <stdio.h>

#include "db/db.h"
#include "report/card.h"

/* The card of a committed calibration; SC_ERR_NOTFOUND for an unknown id,
 * SC_ERR_ARG for a draft (it has no verdict to print). */
int certificate_card(struct db *db, const char *calibration_id, struct card **out);

/* The card written as an A4 PDF (the file replaced whole), or as text. */
int certificate_pdf(struct db *db, const char *calibration_id, const char *path);
int certificate_text(struct db *db, const char *calibration_id, FILE *out);

/* "JD20261125-1A2B3C" for a certificate, "TZ..." for a notice: the day's
 * date and the calibration id's first six hex digits, upper case. */
void certificate_number(const char *day, const char *calibration_id, int pass, char *buf,
                        size_t size);

#endif
