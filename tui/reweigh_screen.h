/* Re-weigh (复秤): the goods' category, the declared weight and unit price
 * (typed, or scanned as "DECLARED;PRICE", e.g. "500g;12.50"), the measured
 * weight captured from the reference scale when stable, and at once the
 * verdict (core/reweigh.h) with the shortfall in grams and in money. */
#ifndef STALLCHECK_TUI_REWEIGH_SCREEN_H
#define STALLCHECK_TUI_REWEIGH_SCREEN_H

#include "tui/screen.h"

enum reweigh_field { RW_NONE, RW_DECLARED, RW_PRICE };

struct reweigh_state {
    int cat;                 /* enum reweigh_category; 0 = by price */
    enum reweigh_field field;
    char declared[24];
    char price[24];
    int current;             /* index in visit.reweigh being worked on; -1 none */
    char reason[320];        /* core's one-line reason of the last verdict */
};

void reweigh_init(void *state);
void reweigh_handle(void *state, struct session *ses, const struct tui_event *ev,
                    struct tui_reaction *rx);
void reweigh_draw(const void *state, const struct session *ses, int foot);
/* The declared weight or the price is being typed. */
int reweigh_typing(const void *state);

#endif
