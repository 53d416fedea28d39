#include "tui/screen.h"

#include <stdio.h>

void reaction_effect(struct tui_reaction *rx, enum tui_effect_kind kind, int arg,
                     const char *text, const char *text2)
{
    if (rx->n_effects >= TUI_MAX_EFFECTS)
        return;
    struct tui_effect *e = &rx->effects[rx->n_effects++];
    e->kind = kind;
    e->arg = arg;
    snprintf(e->text, sizeof e->text, "%s", text != NULL ? text : "");
    snprintf(e->text2, sizeof e->text2, "%s", text2 != NULL ? text2 : "");
}

void reaction_push(struct tui_reaction *rx, enum tui_screen_id screen)
{
    rx->flags |= RX_PUSH | RX_REDRAW;
    rx->screen = screen;
}
