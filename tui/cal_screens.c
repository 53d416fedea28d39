#include "tui/cal_screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/mass.h"
#include "core/procedure.h"
#include "tui/i18n.h"
#include "tui/scale_screen.h"
#include "tui/text.h"

/* ---- set-up: the conditions (tui/conditions.h) ---- */

void csetup_handle(void *state, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx)
{
    struct csetup_state *s = state;
    if (conditions_screen(&s->form, &s->busy, ses, ev, rx, EFF_CAL_START, SCR_CAL_STEP))
        return;
    switch (ev->action) {
    case ACT_OK:
        if (ses->cal.draft_waits && !s->busy) {
            /* the unfinished run resumes with its own set and conditions */
            s->busy = 1;
            reaction_effect(rx, EFF_CAL_START);
            break;
        }
        conditions_start(&s->form, &s->busy, ses, rx, EFF_CAL_START);
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

/* ---- the readings ---- */

static void cstep_capture(struct cstep_state *s, struct session *ses, struct tui_reaction *rx)
{
    const struct tui_scale *sc = &ses->scales[SCALE_STALL];
    if (!ses->cal.has_step) {
        session_set_message(ses, N_("Every reading is taken: 2 for the results"), 0);
        return;
    }
    int64_t digit_ug;
    if (!scale_capturable(sc, ses, &digit_ug))
        return;
    s->busy = 1;
    struct tui_effect *e = reaction_effect(rx, EFF_CAL_FEED);
    e->feed.indication_ug = sc->last.ug;
    e->feed.digit_ug = digit_ug;
}

void cstep_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx)
{
    struct cstep_state *s = state;
    switch (ev->kind) {
    case EV_ENTER:
        s->busy = 0;
        if (!ses->cal.running)
            rx->flags |= RX_POP;
        rx->flags |= RX_REDRAW;
        return;
    case EV_READING:
    case EV_DEVICE:
        if (ev->which == SCALE_STALL)
            rx->flags |= RX_REDRAW;
        return;
    case EV_RESULT:
        rx->flags |= RX_REDRAW;
        if (ev->effect == EFF_CAL_FEED) {
            s->busy = 0;
            if (ev->status == 0 && !ses->cal.has_step)
                reaction_push(rx, SCR_CAL_DONE);
        }
        return;
    case EV_ACTION:
        break;
    default:
        return;
    }
    rx->flags |= RX_REDRAW;
    switch (ev->action) {
    case ACT_CAPTURE:
        if (!s->busy)
            cstep_capture(s, ses, rx);
        break;
    case ACT_FINISH:
        reaction_push(rx, SCR_CAL_DONE);
        break;
    case ACT_BACK:
        session_set_message(ses, N_("Calibration interrupted: pick the instrument again, 3 resumes it"), 0);
        rx->flags |= RX_UNHANDLED;
        break;
    default:
        if (!reaction_scale_key(rx, ev->action, SCALE_STALL))
            rx->flags |= RX_UNHANDLED;
        break;
    }
}

/* ---- the results ---- */

void cdone_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx)
{
    struct cdone_state *s = state;
    rx->flags |= RX_REDRAW;
    switch (ev->kind) {
    case EV_ENTER:
        s->busy = 0;
        s->typing = 0;
        s->saved = ses->cal.committed;
        return;
    case EV_CHAR:
        if (s->typing && ev->ch >= ' ' && ev->ch != 0x7f && !(ev->ch == ' ' && s->reason[0] == '\0'))
            text_append(s->reason, sizeof s->reason, ev->ch);
        return;
    case EV_RESULT:
        if (ev->effect == EFF_CAL_COMMIT || ev->effect == EFF_CAL_END)
            s->busy = 0;
        s->saved = ses->cal.committed;
        if (ev->effect == EFF_CAL_END && ev->status == 0)
            rx->flags |= RX_POP;
        return;
    case EV_ACTION:
        break;
    default:
        rx->flags &= ~(unsigned)RX_REDRAW;
        return;
    }
    if (s->typing) {
        /* Esc empties the reason: it is asked afresh (and shown) only
         * while typed. */
        if (screen_line_key(s->reason, &s->typing, ev->action) != LINE_OTHER)
            return;
        if (ev->action != ACT_OK) {
            rx->flags |= RX_UNHANDLED;
        } else if (s->reason[0] != '\0') {
            s->typing = 0;
            s->busy = 1;
            text_copy(reaction_effect(rx, EFF_CAL_END)->reason, sizeof ((struct tui_effect *)0)->reason,
                      s->reason);
        }
        return;
    }
    switch (ev->action) {
    case ACT_CONFIRM:
        if (ses->cal.committed || s->busy)
            break;
        if (!ses->cal.has_results) {
            session_set_message(ses, N_("Readings remain: the calibration goes on"), 1);
            break;
        }
        s->busy = 1;
        reaction_effect(rx, EFF_CAL_COMMIT);
        break;
    case ACT_ABANDON:
        if (ses->cal.committed || s->busy)
            break;
        s->typing = 1;
        s->reason[0] = '\0';
        session_set_message(ses, N_("Why does it end without results? The readings are kept"), 0);
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

int cdone_typing(const void *state)
{
    const struct cdone_state *s = state;
    return s->typing;
}

const enum tui_scope *cdone_keys(const void *state)
{
    const struct cdone_state *s = state;
    static const enum tui_scope open[] = {SCOPE_CAL_DONE, SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope saved[] = {SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope entry[] = {SCOPE_ENTRY, SCOPE_GLOBAL, SCOPE_COUNT};
    return s->typing ? entry : s->saved ? saved : open;
}
