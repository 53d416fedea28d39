#include "tui/i18n.h"
#include "tui/misc_screens.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "tui/text.h"

/* Resume */

void resume_handle(void *state, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx)
{
    struct resume_state *s = state;
    (void)ses;
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
    case ACT_RESUME:
    case ACT_SELECT:
        if (!s->busy) {
            s->busy = 1;
            reaction_effect(rx, EFF_RESUME_DRAFT);
        }
        break;
    case ACT_DISCARD:
        if (!s->busy) {
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

/* Second officer */

void officer2_handle(void *state, struct session *ses, const struct tui_event *ev,
                     struct tui_reaction *rx)
{
    struct officer2_state *s = state;
    rx->flags |= RX_REDRAW;
    char *field = s->field == 0 ? s->badge : s->pin;
    size_t size = s->field == 0 ? sizeof s->badge : sizeof s->pin;
    switch (ev->kind) {
    case EV_CHAR:
        if (ev->ch < ' ' || ev->ch > '~' || (s->field == 1 && (ev->ch < '0' || ev->ch > '9')))
            return;
        text_append(field, size, ev->ch);
        return;
    case EV_SCAN:
        snprintf(s->badge, sizeof s->badge, "%s", ev->text);
        s->field = 1;
        return;
    case EV_RESULT:
        if (ev->effect != EFF_OFFICER2)
            return;
        memset(s->pin, 0, sizeof s->pin);
        if (ev->status == 0) {
            session_set_message(ses, N_("Second officer added"), 0);
            rx->flags |= RX_POP;
        } else {
            session_set_message(ses,
                    ev->status == SC_ERR_LOCKED ? N_("Too many wrong PINs: locked for now")
                    : ev->status == SC_ERR_EXISTS ? N_("The second officer must be someone else")
                                                  : N_("Wrong badge or PIN"),
                    1);
            s->field = 1;
        }
        return;
    case EV_ACTION:
        break;
    default:
        return;
    }
    switch (ev->action) {
    case ACT_ERASE:
        text_backspace(field);
        break;
    case ACT_NEXT_FIELD:
        if (s->field == 1 && s->pin[0] != '\0')
            goto check;
        s->field = !s->field;
        break;
    case ACT_OK:
    case ACT_SIGN_IN:
    check:
        if (s->badge[0] == '\0' || s->pin[0] == '\0') {
            session_set_message(ses, N_("Badge and PIN of the second officer"), 1);
            s->field = s->badge[0] == '\0' ? 0 : 1;
            break;
        }
        reaction_effect_who(rx, EFF_OFFICER2, s->badge, s->pin);
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

/* Help */

void help_handle(void *state, struct session *ses, const struct tui_event *ev,
                 struct tui_reaction *rx)
{
    struct help_state *s = state;
    (void)ses;
    rx->flags |= RX_REDRAW;
    if (ev->kind != EV_ACTION)
        return;
    if (ev->action == ACT_UP && s->scroll > 0)
        s->scroll--;
    else if (ev->action == ACT_DOWN)
        s->scroll++;
    else if (ev->action == ACT_HELP)
        rx->flags |= RX_POP;
    else
        rx->flags |= RX_UNHANDLED;
}
