#include "tui/verify_screens.h"

#include <stdio.h>
#include <string.h>

#include "core/decimal.h"
#include "core/mass.h"
#include "tui/i18n.h"
#include "tui/text.h"

/* ---- picking the instrument ---- */

static int contains(const char *hay, const char *needle)
{
    if (needle[0] == '\0')
        return 1;
    for (; *hay; hay++) {
        size_t i = 0;
        while (needle[i] && hay[i]) {
            char a = hay[i], b = needle[i];
            if (a >= 'a' && a <= 'z')
                a = (char)(a - 32);
            if (b >= 'a' && b <= 'z')
                b = (char)(b - 32);
            if (a != b)
                break;
            i++;
        }
        if (needle[i] == '\0')
            return 1;
    }
    return 0;
}

int vpick_matches(const struct vpick_state *s, const struct verify_instrument_row *r)
{
    if (!s->typing || s->query[0] == '\0')
        return 1;
    return contains(r->code, s->query) || contains(r->serial, s->query) ||
           contains(r->mark_no, s->query) || contains(r->stall, s->query) ||
           contains(r->market, s->query);
}

static void vpick_first_match(struct vpick_state *s, const struct session *ses)
{
    for (int i = 0; i < ses->verify.n_instruments; i++)
        if (vpick_matches(s, &ses->verify.instruments[i])) {
            s->sel = i;
            return;
        }
}

static void vpick_load(struct vpick_state *s, const char *code, struct tui_reaction *rx)
{
    s->busy = 1;
    struct tui_effect *e = reaction_effect(rx, EFF_VERIFY_LOAD);
    text_copy(e->instrument, sizeof e->instrument, code);
}

static void vpick_move(struct vpick_state *s, const struct session *ses, int dir)
{
    for (int i = s->sel + dir; i >= 0 && i < ses->verify.n_instruments; i += dir)
        if (vpick_matches(s, &ses->verify.instruments[i])) {
            s->sel = i;
            return;
        }
}

void vpick_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx)
{
    struct vpick_state *s = state;
    rx->flags |= RX_REDRAW;
    switch (ev->kind) {
    case EV_ENTER:
        s->busy = 0;
        /* The list again each time: dates move when a verification commits. */
        reaction_effect(rx, EFF_VERIFY_LIST);
        return;
    case EV_CHAR:
        if (s->typing && ev->ch > ' ' && ev->ch < 127) {
            text_append(s->query, sizeof s->query, ev->ch);
            vpick_first_match(s, ses);
        }
        return;
    case EV_SCAN:
        /* A scanned asset code, serial or mark number. */
        vpick_load(s, ev->text, rx);
        return;
    case EV_RESULT:
        if (ev->effect == EFF_VERIFY_LIST) {
            if (s->sel >= ses->verify.n_instruments)
                s->sel = ses->verify.n_instruments > 0 ? ses->verify.n_instruments - 1 : 0;
        } else if (ev->effect == EFF_VERIFY_LOAD) {
            s->busy = 0;
            if (ev->status == 0) {
                s->typing = 0;
                s->query[0] = '\0';
                reaction_push(rx, ses->verify.running ? SCR_VERIFY_STEP : SCR_VERIFY_SETUP);
            }
        }
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
            text_backspace(s->query);
            vpick_first_match(s, ses);
            break;
        case ACT_OK:
            if (s->sel < ses->verify.n_instruments &&
                vpick_matches(s, &ses->verify.instruments[s->sel]))
                vpick_load(s, ses->verify.instruments[s->sel].code, rx);
            else if (s->query[0] != '\0')
                vpick_load(s, s->query, rx); /* the effect says what it found */
            break;
        case ACT_BACK:
            s->typing = 0;
            s->query[0] = '\0';
            break;
        default:
            rx->flags |= RX_UNHANDLED;
            break;
        }
        return;
    }
    switch (ev->action) {
    case ACT_UP:
        vpick_move(s, ses, -1);
        break;
    case ACT_DOWN:
        vpick_move(s, ses, 1);
        break;
    case ACT_SELECT:
    case ACT_VERIFY:
        if (s->sel < ses->verify.n_instruments)
            vpick_load(s, ses->verify.instruments[s->sel].code, rx);
        break;
    case ACT_TYPE_CODE:
        s->typing = 1;
        s->query[0] = '\0';
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

/* ---- set-up: weight set, temperature, display ---- */

static char *vsetup_field(struct vsetup_state *s, size_t *size)
{
    switch (s->field) {
    case VSETUP_TEMP:
        *size = sizeof s->temp;
        return s->temp;
    case VSETUP_DISPLAY:
        *size = sizeof s->display;
        return s->display;
    default:
        *size = sizeof s->set;
        return s->set;
    }
}

static void vsetup_cycle(struct vsetup_state *s, const struct session *ses, int dir)
{
    int n = ses->verify.n_sets, at = -1;
    if (n == 0)
        return;
    for (int i = 0; i < n; i++)
        if (strcmp(ses->verify.sets[i].code, s->set) == 0)
            at = i;
    at = at < 0 ? 0 : (at + dir + n) % n;
    snprintf(s->set, sizeof s->set, "%s", ses->verify.sets[at].code);
}

/* The form read into numbers: the temperature as typed (kept exactly), the
 * test mode's interval in µg ("" = the scale's own e). */
static void vsetup_start(struct vsetup_state *s, struct session *ses, struct tui_reaction *rx)
{
    struct decimal temp;
    if (decimal_parse(s->temp, &temp, NULL) < 0) {
        session_message(ses, 1, "%s: '%s'", _("Temperature: not a number"), s->temp);
        return;
    }
    int64_t display_ug = 0;
    if (s->display[0] != '\0' && mass_parse(s->display, MASS_G, &display_ug) < 0) {
        session_message(ses, 1, "%s: '%s'", _("Test-mode interval: not a mass"), s->display);
        return;
    }
    s->busy = 1;
    struct tui_effect *e = reaction_effect(rx, EFF_VERIFY_START);
    text_copy(e->start.weight_set, sizeof e->start.weight_set, s->set);
    e->start.temperature = temp;
    e->start.display_ug = display_ug;
}

void vsetup_handle(void *state, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx)
{
    struct vsetup_state *s = state;
    rx->flags |= RX_REDRAW;
    size_t size;
    char *field = vsetup_field(s, &size);
    switch (ev->kind) {
    case EV_ENTER:
        s->busy = 0;
        /* The first set in date is offered; the operator may pick another. */
        if (s->set[0] == '\0')
            for (int i = 0; i < ses->verify.n_sets; i++)
                if (!ses->verify.sets[i].expired) {
                    snprintf(s->set, sizeof s->set, "%s", ses->verify.sets[i].code);
                    break;
                }
        return;
    case EV_CHAR: {
        unsigned c = ev->ch;
        int ok = s->field == VSETUP_SET       ? c > ' ' && c < 127
                 : s->field == VSETUP_TEMP    ? (c >= '0' && c <= '9') || c == '.' || c == '-'
                                              : (c >= '0' && c <= '9') || c == '.' ||
                                                 (c >= 'a' && c <= 'z');
        if (ok)
            text_append(field, size, c);
        return;
    }
    case EV_SCAN:
        if (s->field == VSETUP_SET)
            snprintf(s->set, sizeof s->set, "%s", ev->text);
        return;
    case EV_RESULT:
        if (ev->effect == EFF_VERIFY_START) {
            s->busy = 0;
            if (ev->status == 0) {
                rx->flags |= RX_REPLACE;
                rx->screen = SCR_VERIFY_STEP;
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
        s->field = (s->field + 1) % VSETUP_FIELDS;
        break;
    case ACT_UP:
    case ACT_DOWN:
        /* From any field: the set is the one choice made from a list. */
        vsetup_cycle(s, ses, ev->action == ACT_UP ? -1 : 1);
        break;
    case ACT_OK: {
        if (s->set[0] == '\0') {
            s->field = VSETUP_SET;
            session_set_message(ses, N_("Declare the weight set used"), 1);
            break;
        }
        if (s->temp[0] == '\0') {
            s->field = VSETUP_TEMP;
            session_set_message(ses, N_("Type the room temperature (deg C)"), 1);
            break;
        }
        if (!s->busy)
            vsetup_start(s, ses, rx);
        break;
    }
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

/* ---- the procedure ---- */

/* added: ΔL in µg, or -1 when the indication is judged directly. */
static void vstep_feed(struct vstep_state *s, int64_t indication_ug, int64_t added_ug,
                       struct tui_reaction *rx)
{
    s->busy = 1;
    struct tui_effect *e = reaction_effect(rx, EFF_VERIFY_FEED);
    e->feed.indication_ug = indication_ug;
    e->feed.direct = added_ug < 0;
    e->feed.added_ug = added_ug < 0 ? 0 : added_ug;
}

static void vstep_capture(struct vstep_state *s, struct session *ses, struct tui_reaction *rx)
{
    const struct tui_scale *sc = &ses->scales[SCALE_STALL];
    if (!ses->verify.has_step) {
        session_set_message(ses, N_("Every step is done: 2 for the verdict"), 0);
        return;
    }
    if (!sc->configured || !sc->online) {
        session_set_message(ses, N_("The scale is offline"), 1);
        return;
    }
    /* Out of range before "no value": an overloaded scale has no value. */
    if (sc->last.overload || sc->last.underload || sc->last.error) {
        session_set_message(ses, sc->last.overload ? N_("The scale shows overload")
                                 : sc->last.underload ? N_("The scale shows underload")
                                                      : N_("The scale reports an error"), 1);
        return;
    }
    if (sc->last.seq == 0 || !sc->last.has_value) {
        session_set_message(ses, N_("No reading yet"), 1);
        return;
    }
    if (!sc->last.stable) {
        session_set_message(ses, N_("Wait for the stable sign, then capture"), 1);
        return;
    }
    /* The reading as read, frame and all, for the record. */
    struct verify_data *v = &ses->verify;
    v->has_capture = 1;
    snprintf(v->cap_text, sizeof v->cap_text, "%s", sc->last.text);
    snprintf(v->cap_unit, sizeof v->cap_unit, "%s", sc->last.unit);
    text_copy(v->cap_driver, sizeof v->cap_driver, sc->driver);
    v->cap_raw_len = sc->last.raw_len < sizeof v->cap_raw ? sc->last.raw_len : sizeof v->cap_raw;
    memcpy(v->cap_raw, sc->last.raw, v->cap_raw_len);
    /* The discrimination test judges the indication alone (R76-1 A.4.8.2);
     * in a test mode every reading is the error directly (3.5.3.2). */
    if (ses->verify.direct || ses->verify.step.test == PROC_DISCRIMINATION) {
        vstep_feed(s, sc->last.ug, -1, rx);
        return;
    }
    /* The error-point method (A.4.4.3): the indication now, then the small
     * weights added until it stepped up by e. */
    s->indication_ug = sc->last.ug;
    s->typing = 1;
    s->added[0] = '\0';
}

void vstep_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx)
{
    struct vstep_state *s = state;
    switch (ev->kind) {
    case EV_ENTER:
        s->busy = 0;
        /* Committed or dropped from the verdict screen: back to the list. */
        if (!ses->verify.running)
            rx->flags |= RX_POP;
        rx->flags |= RX_REDRAW;
        return;
    case EV_READING:
    case EV_DEVICE:
        if (ev->which == SCALE_STALL)
            rx->flags |= RX_REDRAW;
        return;
    case EV_CHAR:
        if (s->typing && ((ev->ch >= '0' && ev->ch <= '9') || ev->ch == '.'))
            text_append(s->added, sizeof s->added, ev->ch);
        rx->flags |= RX_REDRAW;
        return;
    case EV_SCAN:
        return;
    case EV_RESULT:
        rx->flags |= RX_REDRAW;
        if (ev->effect == EFF_VERIFY_FEED) {
            s->busy = 0;
            s->typing = 0;
            if (ev->status == 0 && !ses->verify.has_step)
                reaction_push(rx, SCR_VERIFY_DONE);
        }
        return;
    case EV_ACTION:
        break;
    default:
        return;
    }
    rx->flags |= RX_REDRAW;
    if (s->typing) {
        switch (ev->action) {
        case ACT_ERASE:
            text_backspace(s->added);
            break;
        case ACT_OK: {
            int64_t added;
            if (s->added[0] == '\0' || mass_parse(s->added, MASS_G, &added) < 0 || added < 0) {
                session_set_message(ses, N_("Type the small weights added, in g (0 when none)"), 1);
                break;
            }
            vstep_feed(s, s->indication_ug, added, rx);
            break;
        }
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
    case ACT_CAPTURE:
        if (!s->busy)
            vstep_capture(s, ses, rx);
        break;
    case ACT_FINISH:
        /* A verification ends at its last step, or as soon as one fails
         * (the verdict cannot change back to pass). */
        if (!ses->verify.has_step || ses->verify.verdict.outcome == PROC_FAIL)
            reaction_push(rx, SCR_VERIFY_DONE);
        else
            session_set_message(ses, N_("Steps remain and none failed: the verification goes on"), 1);
        break;
    case ACT_RETRY:
        reaction_effect(rx, EFF_DEVICE_RETRY)->scale = SCALE_STALL;
        break;
    case ACT_ZERO:
        reaction_effect(rx, EFF_DEVICE_ZERO)->scale = SCALE_STALL;
        break;
    case ACT_TARE:
        reaction_effect(rx, EFF_DEVICE_TARE)->scale = SCALE_STALL;
        break;
    case ACT_BACK:
        /* Interrupting keeps everything: the state is saved after every
         * reading; picking the instrument again resumes here. */
        session_set_message(ses, N_("Verification interrupted: pick the instrument again to resume"), 0);
        rx->flags |= RX_UNHANDLED;
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

/* ---- the verdict ---- */

void vdone_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx)
{
    struct vdone_state *s = state;
    rx->flags |= RX_REDRAW;
    switch (ev->kind) {
    case EV_ENTER:
        s->busy = 0;
        s->confirm_discard = 0;
        s->saved = ses->verify.committed;
        return;
    case EV_RESULT:
        if (ev->effect == EFF_VERIFY_COMMIT || ev->effect == EFF_VERIFY_DISCARD)
            s->busy = 0;
        s->saved = ses->verify.committed;
        if (ev->effect == EFF_VERIFY_DISCARD && ev->status == 0)
            rx->flags |= RX_POP;
        return;
    case EV_ACTION:
        break;
    default:
        rx->flags &= ~(unsigned)RX_REDRAW;
        return;
    }
    if (ev->action != ACT_DISCARD)
        s->confirm_discard = 0;
    switch (ev->action) {
    case ACT_CONFIRM:
        if (ses->verify.committed || s->busy)
            break;
        if (ses->verify.verdict.outcome == PROC_INCOMPLETE) {
            session_set_message(ses, N_("Steps remain and none failed: the verification goes on"), 1);
            break;
        }
        s->busy = 1;
        reaction_effect(rx, EFF_VERIFY_COMMIT);
        break;
    case ACT_DISCARD:
        if (ses->verify.committed || s->busy)
            break;
        if (!s->confirm_discard) {
            s->confirm_discard = 1;
            session_set_message(ses, N_("Press 2 again to drop this verification and its readings"), 1);
            break;
        }
        s->busy = 1;
        reaction_effect(rx, EFF_VERIFY_DISCARD);
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

const enum tui_scope *vdone_keys(const void *state)
{
    const struct vdone_state *s = state;
    static const enum tui_scope open[] = {SCOPE_VERIFY_DONE, SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope saved[] = {SCOPE_GLOBAL, SCOPE_COUNT};
    return s->saved ? saved : open;
}

int vpick_typing(const void *state)
{
    const struct vpick_state *s = state;
    return s->typing;
}

int vstep_typing(const void *state)
{
    const struct vstep_state *s = state;
    return s->typing;
}
