#include "tui/ghost_screen.h"

#include <stdio.h>
#include <string.h>

#include "core/day.h"
#include "core/mass.h"
#include "core/r76.h"
#include "core/reference.h"
#include "tui/i18n.h"
#include "tui/text.h"

/* The stall's own scale: its plate from the registry. */
static const struct session_instrument *stall_scale(const struct session *ses)
{
    for (int i = 0; i < ses->card.n_instruments; i++) {
        const struct session_instrument *in = &ses->card.instruments[i];
        if (strcmp(in->kind, "price-computing") == 0 || strcmp(in->kind, "platform") == 0)
            return in;
    }
    return NULL;
}

static void setup(struct ghost_state *s, struct session *ses)
{
    const struct session_instrument *in = stall_scale(ses);
    enum r76_class cls;
    if (in == NULL || in->max_ug <= 0 || in->e_ug <= 0 || r76_class_parse(in->cls, &cls) < 0) {
        s->problem = N_("The stall's scale has no plate data (class, Max, e)");
        return;
    }
    r76_instrument_single(&s->check.instrument, cls, in->max_ug, in->min_ug, in->e_ug, in->d_ug);
    if (r76_instrument_check(&s->check.instrument) < 0) {
        s->problem = N_("The stall's scale plate is not a valid R76 instrument");
        return;
    }
    day_t due = 0;
    if (ses->day.reference_id[0] == '\0' || day_parse(ses->day.reference_due, &due) < 0 ||
        reference_init(&s->check.reference, REFERENCE_SCALE, ses->day.reference_id, due, 0) < 0) {
        s->problem = N_("The market has no reference scale with a calibration date");
        return;
    }
    if (day_parse(ses->today, &s->check.today) < 0) {
        s->problem = N_("Today's date is unknown");
        return;
    }
    /* The loads are the visit's: a check resumed from the draft goes on
     * with the loads it started with. */
    struct visit_ghost_check *g = &ses->visit.ghost;
    if (g->nloads == 0)
        g->nloads = ghost_suggest_loads(&s->check.instrument, g->loads_ug);
    if (g->nloads <= 0) {
        g->nloads = 0;
        s->problem = N_("No loads suit this scale");
        return;
    }
    s->ready = 1;
    /* Concluded earlier: its verdict, from the observations kept. */
    if (g->result == VISIT_GHOST_CLEAR || g->result == VISIT_GHOST_SUSPECT) {
        visit_ghost_fill(&ses->visit, &s->check);
        s->judged = ghost_judge(&s->check, &s->verdict) == 0;
    }
}

static void judge(struct ghost_state *s, struct session *ses, struct tui_reaction *rx)
{
    visit_ghost_fill(&ses->visit, &s->check);
    if (ghost_judge(&s->check, &s->verdict) < 0) {
        session_set_message(ses, N_("The reference scale cannot be used (calibration expired?)"), 1);
        return;
    }
    if (visit_ghost_conclude(&ses->visit, &s->verdict) < 0) {
        session_set_message(ses, N_("Not enough rounds for a verdict: go on recording"), 1);
        return;
    }
    s->judged = 1;
    int suspect = s->verdict.outcome == GHOST_SUSPECT;
    reaction_effect(rx, EFF_SAVE_DRAFT);
    session_set_message(ses, suspect ? N_("Suspect: the scale behaves like a cheating scale")
                         : N_("Clear: no sign of a cheating scale"),
            suspect);
}

/* One observation at the next position of the protocol (the visit keeps
 * them, so a kill loses none); after a round's "before" the vendor has the
 * scale; after every round from GHOST_MIN_ROUNDS on, core judges. */
static void record(struct ghost_state *s, struct session *ses, struct tui_reaction *rx)
{
    struct visit_ghost_check *g = &ses->visit.ghost;
    if (g->vendor_turn) {
        /* The vendor has used the scale: the same loads again. */
        g->vendor_turn = 0;
        reaction_effect(rx, EFF_SAVE_DRAFT);
        return;
    }
    const struct tui_scale *a = &ses->scales[SCALE_STALL], *b = &ses->scales[SCALE_REFERENCE];
    if (!a->online || !b->online) {
        session_set_message(ses, N_("Both scales must be online: 4 retries"), 1);
        return;
    }
    if (!a->last.has_value || !b->last.has_value || !a->last.stable || !b->last.stable) {
        session_set_message(ses, N_("Wait until both scales are stable"), 1);
        return;
    }
    if (visit_ghost_record(&ses->visit, a->last.ug, b->last.ug) < 0)
        return;
    session_set_message(ses, "", 0);
    int round, load;
    enum ghost_phase phase;
    visit_ghost_position(g, &round, &phase, &load);
    if (load == 0 && phase == GHOST_AFTER)
        g->vendor_turn = 1;
    if (load == 0 && phase == GHOST_BEFORE && round - 1 >= GHOST_MIN_ROUNDS)
        judge(s, ses, rx);
    if (!s->judged)
        reaction_effect(rx, EFF_SAVE_DRAFT);
}

void ghost_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx)
{
    struct ghost_state *s = state;
    switch (ev->kind) {
    case EV_ENTER:
        if (!s->ready && s->problem == NULL)
            setup(s, ses);
        rx->flags |= RX_REDRAW;
        return;
    case EV_READING:
    case EV_DEVICE:
    case EV_RESULT:
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
    case ACT_RECORD:
        if (!s->ready) {
            session_set_message(ses, s->problem != NULL ? s->problem : "", 1);
            break;
        }
        if (!s->judged)
            record(s, ses, rx);
        break;
    case ACT_VERDICT:
        if (s->ready && !s->judged)
            judge(s, ses, rx);
        break;
    case ACT_SIGN_FOUND:
        /* A device seen on the stall: no protocol needed to record it. */
        visit_ghost_device_seen(&ses->visit);
        session_set_message(ses, N_("Recorded: signs of a cheating device"), 1);
        reaction_effect(rx, EFF_SAVE_DRAFT);
        break;
    case ACT_RETRY:
        reaction_effect(rx, EFF_DEVICE_RETRY)->scale = SCALE_STALL;
        reaction_effect(rx, EFF_DEVICE_RETRY)->scale = SCALE_REFERENCE;
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

/* What the verdict rests on, in the screen's language, from its flags and
 * counts (core/ghost.c writes the same in English as its reason, with the
 * figures of each finding, for the record). */
void ghost_verdict_words(const struct ghost_verdict *v, char *buf, size_t size)
{
    char worst[40], until[16];
    mass_format(v->worst_error_ug < 0 ? -v->worst_error_ug : v->worst_error_ug, MASS_G, worst,
                sizeof worst);
    day_format(v->reference_valid_until, until, sizeof until);
    int n = 0;
    if (v->outcome == GHOST_SUSPECT) {
        static const struct {
            unsigned flag;
            const char *msgid;
        } found[] = {
            {GHOST_OUT_OF_TOLERANCE, N_("an error in use beyond the in-service MPE")},
            {GHOST_INCONSISTENT, N_("readings at one load disagree by more than the MPE")},
            {GHOST_SWITCHED, N_("its error changed after the vendor's key presses")},
            {GHOST_DRIFTED, N_("its error moved from its last verification by more than the MPE")},
        };
        n = snprintf(buf, size, "%s", _("Suspect:"));
        const char *sep = " ";
        for (size_t i = 0; i < sizeof found / sizeof found[0]; i++)
            if ((v->flags & found[i].flag) && n >= 0 && (size_t)n < size) {
                n += snprintf(buf + n, size - (size_t)n, "%s%s", sep, _(found[i].msgid));
                sep = _("; ");
            }
    } else if (v->outcome == GHOST_INCOMPLETE) {
        n = snprintf(buf, size,
                     _("Nothing found so far, but the check needs %d loads, each read %d times "
                       "before and after the vendor's key presses"),
                     GHOST_MIN_LOADS, GHOST_MIN_ROUNDS);
    } else {
        n = snprintf(buf, size,
                     _("Clear: every reading within the in-service MPE and the same before and "
                       "after the vendor's key presses; worst error %s g"),
                     worst);
    }
    if (n >= 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, _(" (%d loads, %d rounds; reference %s, valid until %s)"),
                 v->loads, v->rounds, v->reference_id, until);
}
