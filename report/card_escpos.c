/* Cards on an ESC/POS receipt printer (devices/escpos.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "devices/escpos.h"
#include "report/card_priv.h"

/* ---- receipt ----------------------------------------------------------- */

#define RECEIPT_COLS 48

int card_escpos(const struct card *c, struct escpos *e)
{
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
            if (m == NULL)
                return sc_error_set(SC_ERR_NOMEM, "receipt");
            if (r->kind == ROW_FIELD) {
                fprintf(m, "%s: ", r->label);
                card_put_fit(m, r->text, RECEIPT_COLS - card_width(r->label) - 2);
                fputc('\n', m);
            } else if (r->kind == ROW_PARA) {
                fprintf(m, "%s\n", r->text);
            } else {
                card_put_cells(m, r, RECEIPT_COLS);
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
            if (err >= 0)
                err = escpos_line(e, r->text);
            escpos_align(e, ESCPOS_LEFT);
            break;
        case ROW_PAGE:
            err = escpos_cut(e);
            break;
        }
    }
    return err < 0 ? err : 0;
}

