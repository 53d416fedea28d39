#include "tui/scale_screen.h"

#include <string.h>

void scale_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx)
{
    struct scale_state *s = state;
    switch (ev->kind) {
    case EV_READING:
    case EV_DEVICE:
        if (ev->which == s->which)
            rx->flags |= RX_REDRAW;
        return;
    case EV_ENTER:
        /* Start on the reference scale when the stall's has no link. */
        if (!ses->scales[s->which].configured && ses->scales[!s->which].configured)
            s->which = !s->which;
        rx->flags |= RX_REDRAW;
        return;
    case EV_ACTION:
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        return;
    }
    rx->flags |= RX_REDRAW;
    switch (ev->action) {
    case ACT_ZERO:
        reaction_effect(rx, EFF_DEVICE_ZERO)->scale = s->which;
        break;
    case ACT_TARE:
        reaction_effect(rx, EFF_DEVICE_TARE)->scale = s->which;
        break;
    case ACT_SWITCH_SCALE:
        s->which = s->which == SCALE_STALL ? SCALE_REFERENCE : SCALE_STALL;
        break;
    case ACT_RETRY:
        reaction_effect(rx, EFF_DEVICE_RETRY)->scale = s->which;
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}
