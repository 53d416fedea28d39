/* The fair-scale station (公平秤): at the market's fair-scale desk a
 * customer's complaint is re-weighed on the fair scale, read live.  The
 * stall complained about (typed or scanned), what was bought, the mass
 * charged and the unit price (a label scanned as "500g;12.50" fills
 * both), the retail table's row from the stall's category (Left/Right or
 * 3 to change it); 1 records the check against the stall and prints the
 * ticket on the receipt printer, as `stallcheck fairscale` does. */
#ifndef STALLCHECK_TUI_FAIRSCALE_H
#define STALLCHECK_TUI_FAIRSCALE_H

#include "tui/reweigh_screen.h"
#include "tui/screen.h"

enum fair_field { FAIR_NONE, FAIR_STALL, FAIR_GOODS, FAIR_DECLARED, FAIR_PRICE };

struct fair_state {
    enum fair_field field;
    char stall[VISIT_CODE_MAX];
    char goods[64];
    char declared[24];
    char price[24];
    struct reweigh_choice row;
    int opened;              /* the fair scale looked up (once, on entry) */
    int shown;               /* the last check recorded is on screen */
    int busy;
};

void fair_init(void *state);
void fair_handle(void *state, struct session *ses, const struct tui_event *ev,
                 struct tui_reaction *rx);
void fair_draw(const void *state, const struct session *ses, int foot);
int fair_typing(const void *state);
const enum tui_scope *fair_keys(const void *state);

#endif
