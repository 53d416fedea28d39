#include "tui/scale_screen.h"

#include <string.h>

#include "core/mass.h"
#include "core/procedure.h"
#include "tui/i18n.h"

int scale_capturable(const struct tui_scale *sc, struct session *ses, int64_t *digit_ug)
{
    /* Out of range before "no value": an overloaded scale has no value. */
    const char *why = !sc->configured || !sc->online               ? N_("The scale is offline")
                      : sc->last.overload                        ? N_("The scale shows overload")
                      : sc->last.underload                       ? N_("The scale shows underload")
                      : sc->last.error                           ? N_("The scale reports an error")
                      : sc->last.seq == 0 || !sc->last.has_value ? N_("No reading yet")
                      : !sc->last.stable ? N_("Wait for the stable sign, then capture")
                                         : NULL;
    if (why != NULL) {
        session_set_message(ses, why, 1);
        return 0;
    }
    int64_t unit = mass_unit(sc->last.unit);
    if (unit <= 0 || proc_digit_of(sc->last.text, unit, digit_ug) < 0)
        *digit_ug = 0;
    return 1;
}

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
