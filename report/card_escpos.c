/* Cards on an ESC/POS receipt printer (devices/escpos.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/utf8.h"
#include "devices/escpos.h"
#include "report/card_priv.h"

/* ---- receipt ----------------------------------------------------------- */

#define RECEIPT_COLS 48

/* Writes text from column col on, wrapped at the paper's width (a line
 * breaks before the character that would pass it), continuation lines
 * indented by two; returns the column it ends at.  Nothing is cut. */
static int put_run(FILE *m, const char *text, int col)
{
    const char *p = text;
    while (*p) {
        size_t n = card_fit_len(p, RECEIPT_COLS - col);
        if (n == 0 && col <= 2)
            break; /* not even one character fits a fresh line */
        if (n > 0) {
            col += card_put_fit(m, p, RECEIPT_COLS - col);
            p += n;
        }
        if (*p == '\0')
            break;
        fputs("\n  ", m);
        col = 2;
    }
    return col;
}

/* A text from column col on, then the line's end. */
static void put_text_wrapped(FILE *m, const char *text, int col)
{
    put_run(m, text, col);
    fputc('\n', m);
}

static int row_width(const struct row *r)
{
    int w = 0;
    for (int k = 0; k < r->ncols; k++)
        w += r->widths[k];
    return w;
}

/* A table row wider than the paper: its cells one after another, wrapped
 * at the paper's width, continuation lines indented, so nothing is cut. */
static void put_wrapped(FILE *m, const struct row *r)
{
    int col = 0;
    for (int k = 0; k < r->ncols; k++) {
        const char *c = r->cells[k];
        if (*c == '\0')
            continue;
        int w = utf8_width(c);
        if (col > 0 && col + 1 + w > RECEIPT_COLS) {
            fputs("\n  ", m);
            col = 2;
        } else if (col > 0) {
            fputc(' ', m);
            col++;
        }
        /* A cell longer than the line goes on over the next ones. */
        col = put_run(m, c, col);
    }
    fputc('\n', m);
}

int card_escpos(const struct card *card, struct escpos *e)
{
    struct card *c = card_plain(card);
    if (c == NULL)
        return sc_error_set(SC_ERR_NOMEM, "receipt");
    int err = 0;
    for (size_t i = 0; i < c->n && err >= 0; i++) {
        const struct row *r = &c->rows[i];
        char *line = NULL;
        size_t len = 0;
        FILE *m;
        switch (r->kind) {
        case ROW_TITLE:
            escpos_align(e, ESCPOS_CENTER);
            escpos_bold(e, true);
            escpos_size(e, 1, 2);
            err = escpos_line(e, r->text);
            escpos_size(e, 1, 1);
            escpos_bold(e, false);
            escpos_align(e, ESCPOS_LEFT);
            break;
        case ROW_HEADING:
            escpos_bold(e, true);
            err = escpos_line(e, r->text);
            escpos_bold(e, false);
            break;
        case ROW_BIG:
            escpos_align(e, ESCPOS_CENTER);
            escpos_size(e, 2, 2);
            err = escpos_line(e, r->text);
            escpos_size(e, 1, 1);
            escpos_align(e, ESCPOS_LEFT);
            break;
        case ROW_FIELD:
        case ROW_PARA:
        case ROW_CELLS:
            /* Lay the line out in memory, cut to the paper's width. */
            m = open_memstream(&line, &len);
            if (m == NULL) {
                card_free(c);
                return sc_error_set(SC_ERR_NOMEM, "receipt");
            }
            if (r->kind == ROW_FIELD) {
                fprintf(m, "%s:", r->label);
                int col = utf8_width(r->label) + 2, w = utf8_width(r->text);
                /* A value that would break although a line of its own
                 * holds it (a credit code) starts on the next line. */
                if (col + w > RECEIPT_COLS && 2 + w <= RECEIPT_COLS) {
                    fputs("\n  ", m);
                    col = 2;
                } else {
                    fputc(' ', m);
                }
                put_text_wrapped(m, r->text, col);
            } else if (r->kind == ROW_PARA) {
                put_text_wrapped(m, r->text, 0);
            } else if (row_width(r) <= RECEIPT_COLS) {
                card_put_cells(m, r, RECEIPT_COLS);
            } else {
                put_wrapped(m, r);
            }
            fclose(m);
            if (len > 0 && line[len - 1] == '\n')
                line[len - 1] = '\0';
            if (r->kind == ROW_CELLS && r->header)
                escpos_bold(e, true);
            err = escpos_line(e, line);
            if (r->kind == ROW_CELLS && r->header)
                escpos_bold(e, false);
            free(line);
            break;
        case ROW_QR:
            escpos_align(e, ESCPOS_CENTER);
            err = escpos_qr(e, r->text, 6);
            if (err >= 0 && r->label != NULL && r->label[0] != '\0')
                err = escpos_line(e, r->label);
            if (err >= 0)
                err = escpos_line(e, r->text);
            escpos_align(e, ESCPOS_LEFT);
            break;
        case ROW_SIGN:
            m = open_memstream(&line, &len);
            if (m == NULL) {
                card_free(c);
                return sc_error_set(SC_ERR_NOMEM, "receipt");
            }
            fprintf(m, "%s: %s%s____________", r->label, r->text, r->text[0] ? " " : "");
            fclose(m);
            err = escpos_line(e, line);
            free(line);
            break;
        case ROW_PAGE:
            err = escpos_cut(e);
            break;
        }
    }
    card_free(c);
    return err < 0 ? err : 0;
}

