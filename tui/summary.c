#include "tui/i18n.h"
#include "tui/summary.h"

#include <stdio.h>
#include <string.h>

void summary_handle(void *state, struct session *ses, const struct tui_event *ev,
                    struct tui_reaction *rx)
{
    struct summary_state *s = state;
    rx->flags |= RX_REDRAW;
    s->complete = visit_complete(&ses->visit);
    if (ev->kind == EV_RESULT) {
        if (ev->effect == EFF_COMMIT) {
            s->busy = 0;
            /* The commit's message says what was saved and the new score. */
            if (ev->status == 0)
                rx->flags |= RX_HOME;
        }
        return;
    }
    if (ev->kind != EV_ACTION) {
        if (ev->kind != EV_ENTER)
            rx->flags |= RX_UNHANDLED;
        return;
    }
    switch (ev->action) {
    case ACT_UP:
        if (s->scroll > 0)
            s->scroll--;
        break;
    case ACT_DOWN:
        s->scroll++;
        break;
    case ACT_CONFIRM:
        if (!visit_complete(&ses->visit)) {
            session_set_message(ses, N_("Answer every checklist item first"), 1);
            break;
        }
        if (s->busy)
            break;
        s->busy = 1;
        reaction_effect(rx, EFF_COMMIT);
        break;
    case ACT_OFFICER2:
        reaction_push(rx, SCR_OFFICER2);
        break;
    case ACT_OFFICER1:
        reaction_push(rx, SCR_OFFICER1);
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

const enum tui_scope *summary_keys(const void *state)
{
    static const enum tui_scope complete[] = {SCOPE_SUMMARY, SCOPE_LIST, SCOPE_GLOBAL,
                                              SCOPE_COUNT};
    static const enum tui_scope open[] = {SCOPE_SUMMARY_OPEN, SCOPE_LIST, SCOPE_GLOBAL,
                                          SCOPE_COUNT};
    const struct summary_state *s = state;
    return s->complete ? complete : open;
}
