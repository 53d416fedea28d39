#include "tui/i18n.h"
#include "tui/ghost_screen.h"

#include <stdio.h>
#include <string.h>

void ghost_init(struct ghost_state *s)
{
    memset(s, 0, sizeof *s);
}

void ghost_handle(struct ghost_state *s, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx)
{
    (void)s;
    switch (ev->kind) {
    case EV_READING:
    case EV_DEVICE:
    case EV_ENTER:
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
    case ACT_NO_SIGN:
    case ACT_SIGN_FOUND: {
        int failed = ev->action == ACT_SIGN_FOUND;
        ses->visit.ghost_done = failed ? 2 : 1;
        ses->visit.answers[CHECK_CHEATING_DEVICE] = failed ? ANSWER_FAIL : ANSWER_PASS;
        snprintf(ses->message, sizeof ses->message, "%s",
                 failed ? N_("Recorded: signs of a cheating device") : N_("Recorded: no cheating device"));
        ses->message_is_error = failed;
        reaction_effect(rx, EFF_SAVE_DRAFT, 0, NULL, NULL);
        rx->flags |= RX_POP;
        break;
    }
    case ACT_RETRY:
        reaction_effect(rx, EFF_DEVICE_RETRY, SCALE_STALL, NULL, NULL);
        reaction_effect(rx, EFF_DEVICE_RETRY, SCALE_REFERENCE, NULL, NULL);
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

const enum tui_scope *ghost_scopes(const struct ghost_state *s)
{
    (void)s;
    static const enum tui_scope scopes[] = {SCOPE_GHOST, SCOPE_GLOBAL, SCOPE_COUNT};
    return scopes;
}

int ghost_wants_text(const struct ghost_state *s)
{
    (void)s;
    return 0;
}
