#include "tui/cal_screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/mass.h"
#include "core/procedure.h"
#include "tui/i18n.h"
#include "tui/text.h"

/* ---- set-up: weight set, temperature, humidity, display ---- */

static char *csetup_field(struct csetup_state *s, size_t *size)
{
    switch (s->field) {
    case CSETUP_TEMP:
        *size = sizeof s->temp;
        return s->temp;
    case CSETUP_HUMIDITY:
        *size = sizeof s->humidity;
        return s->humidity;
    case CSETUP_DISPLAY:
        *size = sizeof s->display;
        return s->display;
    default:
        *size = sizeof s->set;
        return s->set;
    }
}

static void csetup_start(struct csetup_state *s, struct session *ses, struct tui_reaction *rx)
{
    struct decimal temp, humidity;
    if (decimal_parse(s->temp, &temp, NULL) < 0) {
        s->field = CSETUP_TEMP;
        session_set_message(ses, N_("Type the room temperature (deg C)"), 1);
        return;
    }
    if (decimal_parse(s->humidity, &humidity, NULL) < 0 || s->humidity[0] == '-' ||
        atof(s->humidity) > 100.0) {
        s->field = CSETUP_HUMIDITY;
        session_set_message(ses, N_("Type the relative humidity (%RH)"), 1);
        return;
    }
    int64_t display_ug = 0;
    if (s->display[0] != '\0' && mass_parse(s->display, MASS_G, &display_ug) < 0) {
        session_message(ses, 1, "%s: '%s'", _("Test-mode interval: not a mass"), s->display);
        return;
    }
    s->busy = 1;
    struct tui_effect *e = reaction_effect(rx, EFF_CAL_START);
    text_copy(e->start.weight_set, sizeof e->start.weight_set, s->set);
    e->start.temperature = temp;
    e->start.humidity = humidity;
    e->start.display_ug = display_ug;
}

void csetup_handle(void *state, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx)
{
    struct csetup_state *s = state;
    rx->flags |= RX_REDRAW;
    size_t size;
    char *field = csetup_field(s, &size);
    switch (ev->kind) {
    case EV_ENTER:
        s->busy = 0;
        if (s->set[0] == '\0')
            for (int i = 0; i < ses->verify.n_sets; i++)
                if (!ses->verify.sets[i].expired) {
                    snprintf(s->set, sizeof s->set, "%s", ses->verify.sets[i].code);
                    break;
                }
        return;
    case EV_CHAR: {
        unsigned c = ev->ch;
        int ok = s->field == CSETUP_SET ? c > ' ' && c < 127
                 : s->field == CSETUP_DISPLAY ? (c >= '0' && c <= '9') || c == '.' || (c >= 'a' && c <= 'z')
                                              : (c >= '0' && c <= '9') || c == '.' || (c == '-' && s->field == CSETUP_TEMP);
        if (ok)
            text_append(field, size, c);
        return;
    }
    case EV_SCAN:
        if (s->field == CSETUP_SET)
            snprintf(s->set, sizeof s->set, "%s", ev->text);
        return;
    case EV_RESULT:
        if (ev->effect == EFF_CAL_START) {
            s->busy = 0;
            if (ev->status == 0) {
                rx->flags |= RX_REPLACE;
                rx->screen = SCR_CAL_STEP;
            }
        }
        return;
    case EV_ACTION:
        break;
    default:
        rx->flags &= ~(unsigned)RX_REDRAW;
        return;
    }
    switch (ev->action) {
    case ACT_ERASE:
        text_backspace(field);
        break;
    case ACT_NEXT_FIELD:
        s->field = (s->field + 1) % CSETUP_FIELDS;
        break;
    case ACT_UP:
    case ACT_DOWN: {
        int n = ses->verify.n_sets, at = -1;
        for (int i = 0; i < n; i++)
            if (strcmp(ses->verify.sets[i].code, s->set) == 0)
                at = i;
        if (n > 0) {
            at = at < 0 ? 0 : (at + (ev->action == ACT_UP ? -1 : 1) + n) % n;
            snprintf(s->set, sizeof s->set, "%s", ses->verify.sets[at].code);
        }
        break;
    }
    case ACT_OK:
        if (ses->cal.draft_waits && !s->busy) {
            /* the unfinished run resumes with its own set and conditions */
            s->busy = 1;
            reaction_effect(rx, EFF_CAL_START);
            break;
        }
        if (s->set[0] == '\0') {
            s->field = CSETUP_SET;
            session_set_message(ses, N_("Declare the weight set used"), 1);
            break;
        }
        if (!s->busy)
            csetup_start(s, ses, rx);
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
    if (!sc->configured || !sc->online) {
        session_set_message(ses, N_("The scale is offline"), 1);
        return;
    }
    if (sc->last.seq == 0 || !sc->last.has_value) {
        session_set_message(ses, N_("No reading yet"), 1);
        return;
    }
    if (sc->last.overload) {
        session_set_message(ses, N_("The scale shows overload"), 1);
        return;
    }
    if (!sc->last.stable) {
        session_set_message(ses, N_("Wait for the stable sign, then capture"), 1);
        return;
    }
    s->busy = 1;
    struct tui_effect *e = reaction_effect(rx, EFF_CAL_FEED);
    e->feed.indication_ug = sc->last.ug;
    int64_t unit = mass_unit(sc->last.unit);
    if (unit <= 0 || proc_digit_of(sc->last.text, unit, &e->feed.digit_ug) < 0)
        e->feed.digit_ug = 0;
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
    case ACT_RETRY:
        reaction_effect(rx, EFF_DEVICE_RETRY)->scale = SCALE_STALL;
        break;
    case ACT_ZERO:
        reaction_effect(rx, EFF_DEVICE_ZERO)->scale = SCALE_STALL;
        break;
    case ACT_BACK:
        session_set_message(ses, N_("Calibration interrupted: pick the instrument again, 3 resumes it"), 0);
        rx->flags |= RX_UNHANDLED;
        break;
    default:
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
        return;
    case EV_CHAR:
        if (s->typing && ev->ch >= ' ' && ev->ch != 0x7f && !(ev->ch == ' ' && s->reason[0] == '\0'))
            text_append(s->reason, sizeof s->reason, ev->ch);
        return;
    case EV_RESULT:
        if (ev->effect == EFF_CAL_COMMIT || ev->effect == EFF_CAL_END)
            s->busy = 0;
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
        switch (ev->action) {
        case ACT_ERASE:
            text_backspace(s->reason);
            break;
        case ACT_OK:
            if (s->reason[0] == '\0')
                break;
            s->typing = 0;
            s->busy = 1;
            text_copy(reaction_effect(rx, EFF_CAL_END)->reason, sizeof ((struct tui_effect *)0)->reason,
                      s->reason);
            break;
        case ACT_BACK:
            s->typing = 0;
            break;
        default:
            rx->flags |= RX_UNHANDLED;
            break;
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
