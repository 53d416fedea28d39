/* Where every report leaves stallcheck: the one entry point the command
 * line and the TUI both call.  A report is cards (report/card.h: a
 * scorecard, the posted list, a ticket, a certificate) or rows of a table
 * (report/lists.h, report/due.h); the format and the destination are
 * chosen here.
 *
 *   text     UTF-8, columns by display width (core/utf8.h)
 *   json     one object per line (report/json.h)
 *   csv      RFC 4180 with a header line (report/csv.h)
 *   pdf      A4, the Chinese font embedded (cards only; needs a file)
 *   escpos   receipt printer bytes, GB18030, 48 columns (cards only), to a
 *            file, standard output, or sent to a printer */
#ifndef STALLCHECK_REPORT_OUTPUT_H
#define STALLCHECK_REPORT_OUTPUT_H

#include <stddef.h>

#include "report/card.h"

enum report_format {
    REPORT_TEXT = 0,
    REPORT_JSON,
    REPORT_CSV,
    REPORT_PDF,
    REPORT_ESCPOS,
    REPORT_FORMAT_COUNT
};

/* "text", "json", "csv", "pdf", "escpos"; parse: SC_ERR_PARSE naming them. */
const char *report_format_name(enum report_format f);
int report_format_parse(const char *name, enum report_format *out);

struct report_to {
    enum report_format format;
    const char *path;      /* a file; NULL: standard output */
    const char *printer;   /* escpos: send to this printer instead (devices/escpos.h:
                              a serial port or tcp-raw/HOST/PORT) */
};

/* Writes the cards one after another (each a page of a PDF, a cut on a
 * receipt).  SC_ERR_ARG for json or csv (no cards in those) and for a PDF
 * with no path; SC_ERR_IO naming the file. */
int report_cards(struct card *const *cards, size_t n, const struct report_to *to);

#endif
