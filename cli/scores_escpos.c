/* Receipt output of cards: waits for devices/escpos.h. */
#include "cli/scores_common.h"
#include "core/error.h"

int scores_card_escpos(struct card *const *cards, size_t n, const char *output)
{
    (void)cards;
    (void)n;
    (void)output;
    return sc_error_set(SC_ERR_UNSUPPORTED, "receipts need devices/escpos (not landed yet)");
}

int scores_card_print(struct card *const *cards, size_t n, const char *conn)
{
    (void)cards;
    (void)n;
    (void)conn;
    return sc_error_set(SC_ERR_UNSUPPORTED, "receipts need devices/escpos (not landed yet)");
}
