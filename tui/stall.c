#include "tui/stall.h"

#include <stdio.h>
#include <string.h>

int stall_overdue(const struct session *ses)
{
    for (int i = 0; i < ses->card.n_instruments; i++)
        if (ses->card.instruments[i].overdue)
            return 1;
    return 0;
}

void stall_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx)
{
    struct stall_state *s = state;
    if (ev->kind == EV_ENTER) {
        if (s != NULL)
            s->reader = !roles_may(ses->role, ROLE_ACT_INSPECT);
        /* An overdue scale is a finding: pre-answer "verification in date"
         * as failed unless the officer already answered it. */
        if (stall_overdue(ses) && ses->visit.answers[CHECK_VERIFICATION_DUE] == ANSWER_NONE &&
            ses->visit.id[0] != '\0') {
            visit_answer(&ses->visit, CHECK_VERIFICATION_DUE, ANSWER_FAIL);
            snprintf(ses->visit.notes[CHECK_VERIFICATION_DUE], VISIT_NOTE_MAX, "%s",
                     "overdue for verification");
            reaction_effect(rx, EFF_SAVE_DRAFT);
        }
        rx->flags |= RX_REDRAW;
        return;
    }
    if (ev->kind != EV_ACTION) {
        if (ev->kind == EV_RESULT)
            rx->flags |= RX_REDRAW;
        else
            rx->flags |= RX_UNHANDLED;
        return;
    }
    switch (ev->action) {
    case ACT_CHECKLIST:
        reaction_push(rx, SCR_CHECKLIST);
        break;
    case ACT_REWEIGH:
        reaction_push(rx, SCR_REWEIGH);
        break;
    case ACT_SCALE:
        reaction_push(rx, SCR_SCALE);
        break;
    case ACT_GHOST:
        reaction_push(rx, SCR_GHOST);
        break;
    case ACT_OFFICER2:
        reaction_push(rx, SCR_OFFICER2);
        break;
    case ACT_HISTORY:
        reaction_effect_stall(rx, EFF_LOAD_HISTORY, ses->card.stall);
        reaction_push(rx, SCR_HISTORY);
        break;
    case ACT_SUMMARY:
        reaction_effect(rx, EFF_SCORE_PREVIEW);
        reaction_push(rx, SCR_SUMMARY);
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

const enum tui_scope *stall_keys(const void *state)
{
    static const enum tui_scope inspect[] = {SCOPE_STALL, SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope reader[] = {SCOPE_STALL_READ, SCOPE_GLOBAL, SCOPE_COUNT};
    const struct stall_state *s = state;
    return s != NULL && s->reader ? reader : inspect;
}
