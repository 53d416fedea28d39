#include "tui/verify_screens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decimal.h"
#include "core/mass.h"
#include "tui/i18n.h"
#include "tui/scale_screen.h"
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
                if (s->calibrate)
                    reaction_push(rx, SCR_CAL_SETUP);
                else
                    reaction_push(rx, ses->verify.running ? SCR_VERIFY_STEP : SCR_VERIFY_SETUP);
            }
            s->calibrate = 0;
        }
        return;
    case EV_ACTION:
        break;
    default:
        rx->flags &= ~(unsigned)RX_REDRAW;
        return;
    }
    if (s->typing) {
        enum screen_line line = screen_line_key(s->query, &s->typing, ev->action);
        if (line == LINE_ERASED)
            vpick_first_match(s, ses);
        if (line != LINE_OTHER)
            return;
        if (ev->action != ACT_OK)
            rx->flags |= RX_UNHANDLED;
        else if (s->sel < ses->verify.n_instruments &&
                 vpick_matches(s, &ses->verify.instruments[s->sel]))
            vpick_load(s, ses->verify.instruments[s->sel].code, rx);
        else if (s->query[0] != '\0')
            vpick_load(s, s->query, rx); /* the effect says what it found */
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
    case ACT_CALIBRATE:
        s->calibrate = ev->action == ACT_CALIBRATE;
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

/* ---- set-up: the conditions (tui/conditions.h), the kind, zero-tracking ---- */

void vsetup_handle(void *state, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx)
{
    struct vsetup_state *s = state;
    if (conditions_screen(&s->form, &s->busy, ses, ev, rx, EFF_VERIFY_START, SCR_VERIFY_STEP))
        return;
    struct tui_effect *e;
    switch (ev->action) {
    case ACT_KIND:
        /* 后续检定 (subsequent) first: the usual case; then 首次检定, 使用中检查. */
        s->kind = (s->kind + 1) % 3;
        break;
    case ACT_ZERO_TRACKING:
        s->zero_tracking = !s->zero_tracking;
        break;
    case ACT_OK:
        if ((e = conditions_start(&s->form, &s->busy, ses, rx, EFF_VERIFY_START)) != NULL) {
            e->start.kind = s->kind;
            e->start.zero_tracking = s->zero_tracking;
        }
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

/* ---- the procedure ---- */

static int vstep_mode_of(const struct session *ses)
{
    const struct verify_data *v = &ses->verify;
    if (!v->has_step)
        return VSTEP_READ;
    return v->step.answer_step ? VSTEP_CHECK : v->step.test == PROC_PRICE ? VSTEP_PRICE : VSTEP_READ;
}

static struct tui_effect *vstep_effect(struct vstep_state *s, struct tui_reaction *rx)
{
    s->busy = 1;
    return reaction_effect(rx, EFF_VERIFY_FEED);
}

/* added: ΔL in µg, or -1 when the indication is judged directly. */
static void vstep_feed(struct vstep_state *s, int64_t indication_ug, int64_t added_ug,
                       struct tui_reaction *rx)
{
    struct tui_effect *e = vstep_effect(s, rx);
    e->feed.indication_ug = indication_ug;
    e->feed.direct = added_ug < 0;
    e->feed.added_ug = added_ug < 0 ? 0 : added_ug;
    e->feed.digit_ug = s->digit_ug;
}

static void vstep_answer(struct vstep_state *s, int answer, struct tui_reaction *rx)
{
    struct tui_effect *e = vstep_effect(s, rx);
    e->feed.answer = answer;
    text_copy(e->feed.text, sizeof e->feed.text, s->note);
}

static void vstep_capture(struct vstep_state *s, struct session *ses, struct tui_reaction *rx)
{
    const struct tui_scale *sc = &ses->scales[SCALE_STALL];
    if (!ses->verify.has_step) {
        session_set_message(ses, N_("Every step is done: 2 for the verdict"), 0);
        return;
    }
    int64_t digit_ug;
    if (!scale_capturable(sc, ses, &digit_ug))
        return;
    /* The reading as read, frame and all, for the record. */
    struct verify_data *v = &ses->verify;
    v->has_capture = 1;
    snprintf(v->cap_text, sizeof v->cap_text, "%s", sc->last.text);
    snprintf(v->cap_unit, sizeof v->cap_unit, "%s", sc->last.unit);
    text_copy(v->cap_driver, sizeof v->cap_driver, sc->driver);
    v->cap_raw_len = sc->last.raw_len < sizeof v->cap_raw ? sc->last.raw_len : sizeof v->cap_raw;
    memcpy(v->cap_raw, sc->last.raw, v->cap_raw_len);
    /* The digits the scale gave its reading with: a test mode's interval
     * is taken only from readings that carry it (core/procedure.h). */
    s->digit_ug = digit_ug;
    s->indication_ug = sc->last.ug;
    if (s->mode == VSTEP_PRICE) {
        /* The weight shown, then the price to pay typed as the scale shows it. */
        s->typing = VTYPE_AMOUNT;
        s->amount[0] = '\0';
        return;
    }
    /* The discrimination test judges the indication alone (R76-1 A.4.8.2);
     * in a test mode every reading is the error directly (3.5.3.2). */
    if (ses->verify.direct || ses->verify.step.test == PROC_DISCRIMINATION) {
        vstep_feed(s, sc->last.ug, -1, rx);
        return;
    }
    /* The error-point method (A.4.4.3): the indication now, then the small
     * weights added until it stepped up by e. */
    s->typing = VTYPE_ADDED;
    s->added[0] = '\0';
}

/* "92.55" yuan -> 9255 分; -1 when not a sum of money to the fen. */
static int64_t fen_of(const char *text)
{
    struct decimal d;
    if (text[0] == '\0' || text[0] == '-' || decimal_parse(text, &d, NULL) < 0)
        return -1;
    int64_t fen;
    return decimal_rescale(d, 2, &fen) < 0 ? -1 : fen;
}

static void vstep_typed(struct vstep_state *s, struct session *ses, struct tui_reaction *rx)
{
    switch (s->typing) {
    case VTYPE_ADDED: {
        int64_t added;
        if (s->added[0] == '\0' || mass_parse(s->added, MASS_G, &added) < 0 || added < 0) {
            session_set_message(ses, N_("Type the small weights added, in g (0 when none)"), 1);
            return;
        }
        vstep_feed(s, s->indication_ug, added, rx);
        return;
    }
    case VTYPE_AMOUNT: {
        int64_t fen = fen_of(s->amount);
        if (fen < 0) {
            session_set_message(ses, N_("Type the price to pay the scale shows, in yuan"), 1);
            return;
        }
        struct tui_effect *e = vstep_effect(s, rx);
        e->feed.indication_ug = s->indication_ug;
        e->feed.amount_fen = fen;
        return;
    }
    case VTYPE_NOTE:
        s->typing = VTYPE_NONE;
        if (s->pending)
            vstep_answer(s, s->pending, rx);
        return;
    default:
        return;
    }
}

static void vstep_check(struct vstep_state *s, struct session *ses, enum tui_action a,
                        struct tui_reaction *rx)
{
    const struct proc_step *st = &ses->verify.step;
    switch (a) {
    case ACT_PASS:
        if (st->needs_text && s->note[0] == '\0') {
            /* The software identification: what the display shows, typed. */
            s->typing = VTYPE_NOTE;
            s->pending = PROC_YES;
            session_set_message(ses, N_("Type what the scale shows, then OK"), 0);
            return;
        }
        vstep_answer(s, PROC_YES, rx);
        return;
    case ACT_FAIL:
        vstep_answer(s, PROC_NO, rx);
        return;
    case ACT_NOTE:
        s->typing = VTYPE_NOTE;
        s->pending = 0;
        return;
    case ACT_VERDICT:
        reaction_push(rx, SCR_VERIFY_DONE);
        return;
    default:
        rx->flags |= RX_UNHANDLED;
        return;
    }
}

void vstep_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx)
{
    struct vstep_state *s = state;
    switch (ev->kind) {
    case EV_ENTER:
        s->busy = 0;
        s->mode = vstep_mode_of(ses);
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
        if (s->typing == VTYPE_ADDED && ((ev->ch >= '0' && ev->ch <= '9') || ev->ch == '.'))
            text_append(s->added, sizeof s->added, ev->ch);
        else if (s->typing == VTYPE_AMOUNT && ((ev->ch >= '0' && ev->ch <= '9') || ev->ch == '.'))
            text_append(s->amount, sizeof s->amount, ev->ch);
        else if (s->typing == VTYPE_NOTE && ev->ch >= ' ' && ev->ch != 0x7f &&
                 !(ev->ch == ' ' && s->note[0] == '\0'))
            text_append(s->note, sizeof s->note, ev->ch);
        rx->flags |= RX_REDRAW;
        return;
    case EV_SCAN:
        return;
    case EV_RESULT:
        rx->flags |= RX_REDRAW;
        if (ev->effect == EFF_VERIFY_FEED) {
            s->busy = 0;
            if (ev->status == 0) {
                s->typing = VTYPE_NONE;
                s->note[0] = '\0';
                s->pending = 0;
                if (!ses->verify.has_step)
                    reaction_push(rx, SCR_VERIFY_DONE);
            } else if (s->typing == VTYPE_NOTE) {
                s->typing = VTYPE_NONE; /* refused: the note stays, answer again */
            } else if (s->typing != VTYPE_NONE) {
                s->typing = VTYPE_NONE;
            }
            s->mode = vstep_mode_of(ses);
        }
        return;
    case EV_ACTION:
        break;
    default:
        return;
    }
    rx->flags |= RX_REDRAW;
    if (s->typing != VTYPE_NONE) {
        char *field = s->typing == VTYPE_ADDED ? s->added : s->typing == VTYPE_AMOUNT ? s->amount : s->note;
        switch (ev->action) {
        case ACT_ERASE:
            text_backspace(field);
            break;
        case ACT_OK:
            if (!s->busy)
                vstep_typed(s, ses, rx);
            break;
        case ACT_BACK:
            s->typing = VTYPE_NONE;
            s->pending = 0;
            break;
        default:
            rx->flags |= RX_UNHANDLED;
            break;
        }
        return;
    }
    if (s->mode == VSTEP_CHECK && ev->action != ACT_BACK) {
        if (!s->busy)
            vstep_check(s, ses, ev->action, rx);
        return;
    }
    switch (ev->action) {
    case ACT_CAPTURE:
        if (!s->busy)
            vstep_capture(s, ses, rx);
        break;
    case ACT_FINISH:
        /* The verdict screen: to commit (all done, or a step failed: the
         * verdict cannot change back to pass) or to end without a verdict. */
        reaction_push(rx, SCR_VERIFY_DONE);
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
        if (!reaction_scale_key(rx, ev->action, SCALE_STALL))
            rx->flags |= RX_UNHANDLED;
        break;
    }
}

const enum tui_scope *vstep_keys(const void *state)
{
    const struct vstep_state *s = state;
    static const enum tui_scope check[] = {SCOPE_VERIFY_CHECK, SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope read[] = {SCOPE_VERIFY_STEP, SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope entry[] = {SCOPE_ENTRY, SCOPE_GLOBAL, SCOPE_COUNT};
    if (s->typing != VTYPE_NONE)
        return entry;
    return s->mode == VSTEP_CHECK ? check : read;
}

/* ---- the verdict ---- */

static void vdone_commit(struct vdone_state *s, struct tui_reaction *rx)
{
    s->busy = 1;
    struct tui_effect *e = reaction_effect(rx, EFF_VERIFY_COMMIT);
    text_copy(e->commit.mark, sizeof e->commit.mark, s->mark);
    text_copy(e->commit.seal, sizeof e->commit.seal, s->seal);
}

/* 1: a pass asks for the new mark and seal numbers, then commits. */
static void vdone_confirm(struct vdone_state *s, struct session *ses, struct tui_reaction *rx)
{
    const struct verify_data *v = &ses->verify;
    if (v->verdict.outcome == PROC_INCOMPLETE) {
        session_set_message(ses, N_("Steps remain and none failed: the verification goes on"), 1);
        return;
    }
    if (v->verdict.outcome == PROC_PASS && s->mark[0] == '\0') {
        s->typing = VDONE_MARK;
        session_set_message(ses, N_("Type the number of the verification mark put on the scale"), 0);
        return;
    }
    if (v->verdict.outcome == PROC_PASS && s->seal[0] == '\0') {
        s->typing = VDONE_SEAL;
        session_set_message(ses, N_("Type the number of the seal put on the scale"), 0);
        return;
    }
    vdone_commit(s, rx);
}

void vdone_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx)
{
    struct vdone_state *s = state;
    rx->flags |= RX_REDRAW;
    char *field = s->typing == VDONE_MARK ? s->mark : s->typing == VDONE_SEAL ? s->seal : s->reason;
    size_t size = s->typing == VDONE_MARK ? sizeof s->mark : s->typing == VDONE_SEAL ? sizeof s->seal
                                                                                      : sizeof s->reason;
    switch (ev->kind) {
    case EV_ENTER:
        s->busy = 0;
        s->typing = VDONE_NONE;
        s->saved = ses->verify.committed;
        return;
    case EV_CHAR:
        if (s->typing != VDONE_NONE && ev->ch >= ' ' && ev->ch != 0x7f && !(ev->ch == ' ' && field[0] == '\0'))
            text_append(field, size, ev->ch);
        return;
    case EV_SCAN:
        /* A scanned mark or seal label. */
        if (s->typing == VDONE_MARK || s->typing == VDONE_SEAL)
            text_copy(field, size, ev->text);
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
    if (s->typing != VDONE_NONE) {
        switch (ev->action) {
        case ACT_ERASE:
            text_backspace(field);
            break;
        case ACT_OK:
            if (field[0] == '\0')
                break;
            if (s->typing == VDONE_REASON) {
                s->typing = VDONE_NONE;
                s->busy = 1;
                text_copy(reaction_effect(rx, EFF_VERIFY_DISCARD)->reason,
                          sizeof ((struct tui_effect *)0)->reason, s->reason);
            } else {
                s->typing = VDONE_NONE;
                vdone_confirm(s, ses, rx);
            }
            break;
        case ACT_BACK:
            s->typing = VDONE_NONE;
            break;
        default:
            rx->flags |= RX_UNHANDLED;
            break;
        }
        return;
    }
    switch (ev->action) {
    case ACT_CONFIRM:
        if (ses->verify.committed || s->busy)
            break;
        vdone_confirm(s, ses, rx);
        break;
    case ACT_ABANDON:
        if (ses->verify.committed || s->busy)
            break;
        /* A failing run is a notice of failure; it cannot be dropped. */
        if (ses->verify.verdict.outcome == PROC_FAIL) {
            session_set_message(ses, N_("The readings fail the scale: 1 issues the notice of failure"), 1);
            break;
        }
        s->typing = VDONE_REASON;
        s->reason[0] = '\0';
        session_set_message(ses, N_("Why does it end without a verdict? The record is kept"), 0);
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
    static const enum tui_scope entry[] = {SCOPE_ENTRY, SCOPE_GLOBAL, SCOPE_COUNT};
    if (s->typing != VDONE_NONE)
        return entry;
    return s->saved ? saved : open;
}

int vpick_typing(const void *state)
{
    const struct vpick_state *s = state;
    return s->typing;
}

const enum tui_scope *vpick_keys(const void *state)
{
    static const enum tui_scope typing[] = {SCOPE_ENTRY, SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope list[] = {SCOPE_VERIFY_PICK, SCOPE_LIST, SCOPE_ROOT, SCOPE_COUNT};
    return vpick_typing(state) ? typing : list;
}

int vstep_typing(const void *state)
{
    const struct vstep_state *s = state;
    return s->typing != VTYPE_NONE;
}

int vdone_typing(const void *state)
{
    const struct vdone_state *s = state;
    return s->typing != VDONE_NONE;
}
