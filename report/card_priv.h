/* The rows of a card, for the renderers in report/card*.c only. */
#ifndef STALLCHECK_REPORT_CARD_PRIV_H
#define STALLCHECK_REPORT_CARD_PRIV_H

#include <stdio.h>

#include "report/card.h"

enum row_kind {
    ROW_TITLE, ROW_HEADING, ROW_FIELD, ROW_PARA, ROW_BIG, ROW_CELLS, ROW_QR, ROW_PAGE, ROW_SIGN
};

#define CARD_MAX_COLS 8

struct row {
    enum row_kind kind;
    char *text;               /* title, heading, para, big, qr payload, field value */
    char *label;              /* field */
    int ncols;                /* cells */
    char *cells[CARD_MAX_COLS];
    int widths[CARD_MAX_COLS];
    int header;               /* the first row of its table */
};

struct card {
    struct row *rows;
    size_t n, cap;
    int ncols;                /* the table being filled */
    int widths[CARD_MAX_COLS];
    int header_next;
    int page_numbers;         /* text: "第 x 页 共 y 页" on each page */
    char *header;             /* the running header of its PDF pages, or NULL */
};

/* A copy with each bilingual label's separator as a space, for the text
 * and receipt renderers.  NULL when out of memory. */
struct card *card_plain(const struct card *c);

/* Writes s cut to at most width display columns; returns the columns. */
int card_put_fit(FILE *out, const char *s, int width);
/* The bytes of s that card_put_fit(out, s, width) consumes. */
size_t card_fit_len(const char *s, int width);
/* A table row padded to its columns, cut at limit columns, then LF. */
void card_put_cells(FILE *out, const struct row *r, int limit);

#endif
