#include "tui/scale_screen.h"

#include <string.h>

void scale_init(struct scale_state *s)
{
    memset(s, 0, sizeof *s);
}

void scale_handle(struct scale_state *s, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx)
{
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
        reaction_effect(rx, EFF_DEVICE_ZERO, s->which, NULL, NULL);
        break;
    case ACT_TARE:
        reaction_effect(rx, EFF_DEVICE_TARE, s->which, NULL, NULL);
        break;
    case ACT_SWITCH_SCALE:
        s->which = s->which == SCALE_STALL ? SCALE_REFERENCE : SCALE_STALL;
        break;
    case ACT_RETRY:
        reaction_effect(rx, EFF_DEVICE_RETRY, s->which, NULL, NULL);
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

const enum tui_scope *scale_scopes(const struct scale_state *s)
{
    (void)s;
    static const enum tui_scope scopes[] = {SCOPE_SCALE, SCOPE_GLOBAL, SCOPE_COUNT};
    return scopes;
}

int scale_wants_text(const struct scale_state *s)
{
    (void)s;
    return 0;
}
