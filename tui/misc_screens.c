#include "tui/i18n.h"
#include "tui/misc_screens.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "tui/text.h"

/* Resume */

/* What discarding the draft would lose, in a line. */
static void say_what_is_lost(struct session *ses)
{
    const struct visit *v = &ses->draft;
    int failed = 0;
    for (int i = 0; i < v->n_reweigh; i++)
        failed += v->reweigh[i].captured && v->reweigh[i].verdict == REWEIGH_FAIL;
    session_message(ses, 1, _("Discard %s? Lost: %d of %d answers, %d re-weigh(s), %d failed. "
                              "2 again discards, 1 resumes"),
                    v->stall, visit_answered(v), CHECK_ITEM_COUNT, v->n_reweigh, failed);
}

void resume_handle(void *state, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx)
{
    struct resume_state *s = state;
    rx->flags |= RX_REDRAW;
    if (ev->kind == EV_RESULT) {
        s->busy = 0;
        if (ev->status != 0)
            return;
        if (ev->effect == EFF_RESUME_DRAFT) {
            /* Straight back to where the officer was: the stall card. */
            rx->flags |= RX_HOME;
            reaction_push(rx, SCR_STALL);
        } else if (ev->effect == EFF_DISCARD_DRAFT) {
            session_message(ses, 0, _("Inspection of %s discarded"), ses->draft.stall);
            rx->flags |= RX_HOME;
        }
        return;
    }
    if (ev->kind != EV_ACTION) {
        if (ev->kind != EV_ENTER)
            rx->flags |= RX_UNHANDLED;
        return;
    }
    if (ev->action != ACT_DISCARD)
        s->confirm_discard = 0;
    switch (ev->action) {
    case ACT_RESUME:
    case ACT_SELECT:
        if (!s->busy) {
            s->busy = 1;
            reaction_effect(rx, EFF_RESUME_DRAFT);
        }
        break;
    case ACT_DISCARD:
        /* A draft may hold a failed re-weigh: one key must not drop it. */
        if (!s->confirm_discard) {
            s->confirm_discard = 1;
            say_what_is_lost(ses);
        } else if (!s->busy) {
            s->busy = 1;
            reaction_effect(rx, EFF_DISCARD_DRAFT);
        }
        break;
    case ACT_BACK:
        /* Later: the draft stays, offered again at the next start. */
        rx->flags |= RX_HOME;
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

/* History */

void history_handle(void *state, struct session *ses, const struct tui_event *ev,
                    struct tui_reaction *rx)
{
    struct history_state *s = state;
    rx->flags |= RX_REDRAW;
    if (ev->kind != EV_ACTION) {
        if (ev->kind != EV_RESULT && ev->kind != EV_ENTER)
            rx->flags |= RX_UNHANDLED;
        return;
    }
    if (ev->action == ACT_UP && s->sel > 0)
        s->sel--;
    else if (ev->action == ACT_DOWN && s->sel + 1 < ses->card.n_history)
        s->sel++;
    else if (ev->action != ACT_UP && ev->action != ACT_DOWN)
        rx->flags |= RX_UNHANDLED;
}

/* Help */

void help_handle(void *state, struct session *ses, const struct tui_event *ev,
                 struct tui_reaction *rx)
{
    struct help_state *s = state;
    rx->flags |= RX_REDRAW;
    int last = keys_help_lines(NULL, NULL) - 1;
    int page = ses->rows > 8 ? ses->rows - 6 : 4;
    if (ev->kind == EV_ENTER && !s->placed) {
        /* At the keys of the screen F1 was pressed on, not at the top. */
        s->placed = 1;
        s->scroll = keys_help_line_of(ses->help_scope);
        return;
    }
    if (ev->kind != EV_ACTION)
        return;
    switch (ev->action) {
    case ACT_UP:
        s->scroll -= s->scroll > 0;
        break;
    case ACT_DOWN:
        s->scroll += s->scroll < last;
        break;
    case ACT_PAGE_UP:
        s->scroll = s->scroll > page ? s->scroll - page : 0;
        break;
    case ACT_PAGE_DOWN:
        s->scroll = s->scroll + page < last ? s->scroll + page : last;
        break;
    case ACT_HELP:
        rx->flags |= RX_POP;
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}
