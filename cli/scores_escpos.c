/* Cards as ESC/POS receipts (devices/escpos.h): bytes to a file or
 * standard output, or sent to a printer. */
#include <stdio.h>
#include <unistd.h>

#include "cli/scores_common.h"
#include "core/error.h"
#include "devices/escpos.h"
#include "report/card.h"

static int build(struct card *const *cards, size_t n, struct escpos **out)
{
    struct escpos *e = escpos_new();
    if (e == NULL)
        return sc_error_set(SC_ERR_NOMEM, "receipt");
    int err = 0;
    for (size_t i = 0; i < n && err == 0; i++)
        err = card_escpos(cards[i], e);
    if (err < 0) {
        escpos_free(e);
        return err;
    }
    *out = e;
    return 0;
}

int scores_card_escpos(struct card *const *cards, size_t n, const char *output)
{
    struct escpos *e;
    int err = build(cards, n, &e);
    if (err < 0)
        return err;
    if (output != NULL) {
        err = escpos_write_file(e, output);
    } else {
        size_t len;
        const uint8_t *b = escpos_bytes(e, &len);
        if (fwrite(b, 1, len, stdout) != len || fflush(stdout) != 0)
            err = sc_error_set(SC_ERR_IO, "writing the receipt to standard output");
    }
    escpos_free(e);
    return err;
}

int scores_card_print(struct card *const *cards, size_t n, const char *conn)
{
    struct escpos *e;
    int err = build(cards, n, &e);
    if (err < 0)
        return err;
    err = escpos_send(e, conn, NULL);
    escpos_free(e);
    return err;
}
