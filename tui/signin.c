#include "tui/i18n.h"
#include "tui/signin.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "tui/text.h"

void signin_handle(void *state, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx)
{
    struct signin_state *s = state;
    char *field = s->field == 0 ? s->badge : s->pin;
    size_t size = s->field == 0 ? sizeof s->badge : sizeof s->pin;
    switch (ev->kind) {
    case EV_CHAR:
        /* A PIN is digits; a badge is printable ASCII (scanned badges too). */
        if (ev->ch < ' ' || ev->ch > '~' || (s->field == 1 && (ev->ch < '0' || ev->ch > '9')))
            return;
        if (text_append(field, size, ev->ch) == 0)
            rx->flags |= RX_REDRAW;
        return;
    case EV_SCAN:
        /* A scanned badge card fills the badge and moves to the PIN. */
        snprintf(s->badge, sizeof s->badge, "%s", ev->text);
        s->field = 1;
        rx->flags |= RX_REDRAW;
        return;
    case EV_RESULT:
        if (ev->effect != EFF_SIGN_IN)
            return;
        s->busy = 0;
        memset(s->pin, 0, sizeof s->pin);
        rx->flags |= RX_REDRAW;
        if (ev->status == 0) {
            session_set_message(ses, "", 0);
            rx->flags |= RX_REPLACE;
            /* Metrology staff verify instruments; the others inspect. */
            /* Metrology staff verify instruments; an officer's partner
             * signs in next (enforcement needs two); the others go on. */
            rx->screen = ses->role == ROLES_METROLOGY ? SCR_VERIFY_PICK
                         : ses->role == ROLES_OFFICER  ? SCR_TEAM
                         : ses->draft_pending          ? SCR_RESUME
                                                       : SCR_PICK;
        } else {
            s->field = 1;
            /* The effect said why: the tries left, or the lock's time. */
            if (ses->message[0] == '\0')
                session_set_message(ses, N_("Cannot sign in"), 1);
        }
        return;
    case EV_ACTION:
        break;
    default:
        return;
    }
    rx->flags |= RX_REDRAW;
    switch (ev->action) {
    case ACT_ERASE:
        text_backspace(field);
        break;
    case ACT_NEXT_FIELD:
    case ACT_ENTER_NEXT:
        /* Enter on the PIN signs in: the natural end of typing it. */
        if (s->field == 1 && s->pin[0] != '\0')
            goto sign_in;
        s->field = !s->field;
        break;
    case ACT_OK:
    sign_in:
        if (s->badge[0] == '\0') {
            s->field = 0;
            session_set_message(ses, N_("Type your badge number"), 1);
            break;
        }
        if (s->pin[0] == '\0') {
            s->field = 1;
            session_set_message(ses, N_("Type your PIN"), 1);
            break;
        }
        if (s->busy)
            break;
        s->busy = 1;
        reaction_effect_who(rx, EFF_SIGN_IN, s->badge, s->pin);
        break;
    case ACT_BACK:
        if (s->field == 1)
            s->field = 0;
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}
