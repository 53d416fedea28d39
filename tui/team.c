#include "tui/i18n.h"
#include "tui/team.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "tui/text.h"

void team_init_day(void *state)
{
    struct team_state *s = state;
    s->slot = 2;
    s->day = 1;
}

void team_init_first(void *state)
{
    struct team_state *s = state;
    s->slot = 1;
}

void team_init_second(void *state)
{
    struct team_state *s = state;
    s->slot = 2;
}

/* Where the day goes on once the team is signed in. */
static void start_the_day(const struct session *ses, struct tui_reaction *rx)
{
    rx->flags |= RX_REPLACE;
    rx->screen = ses->draft_pending ? SCR_RESUME : SCR_PICK;
}

static void result(struct team_state *s, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx)
{
    if (ev->effect != EFF_SWAP_OFFICER)
        return;
    s->busy = 0;
    memset(s->pin, 0, sizeof s->pin);
    if (ev->status != 0) {
        /* The effect said why (tries left, the lock, someone else). */
        s->field = 1;
        return;
    }
    if (s->day)
        start_the_day(ses, rx);
    else
        rx->flags |= RX_POP;
}

static void sign_in(struct team_state *s, struct session *ses, struct tui_reaction *rx)
{
    if (s->badge[0] == '\0' || s->pin[0] == '\0') {
        session_set_message(ses, s->badge[0] == '\0' ? N_("Type the officer's badge number")
                                                     : N_("Type the officer's PIN"),
                            1);
        s->field = s->badge[0] == '\0' ? 0 : 1;
        return;
    }
    if (s->busy)
        return;
    s->busy = 1;
    reaction_effect_who(rx, EFF_SWAP_OFFICER, s->badge, s->pin)->who.slot = s->slot;
}

void team_handle(void *state, struct session *ses, const struct tui_event *ev,
                 struct tui_reaction *rx)
{
    struct team_state *s = state;
    rx->flags |= RX_REDRAW;
    char *field = s->field == 0 ? s->badge : s->pin;
    size_t size = s->field == 0 ? sizeof s->badge : sizeof s->pin;
    switch (ev->kind) {
    case EV_CHAR:
        /* A PIN is digits; a badge is printable ASCII (scanned badges too). */
        if (ev->ch < ' ' || ev->ch > '~' || (s->field == 1 && (ev->ch < '0' || ev->ch > '9')))
            return;
        text_append(field, size, ev->ch);
        return;
    case EV_SCAN:
        /* A scanned badge card fills the badge and moves to the PIN. */
        text_copy(s->badge, sizeof s->badge, ev->text);
        s->field = 1;
        return;
    case EV_RESULT:
        result(s, ses, ev, rx);
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
    case ACT_ENTER_NEXT:
        /* Enter on the PIN signs in: the natural end of typing it. */
        if (s->field == 1 && s->pin[0] != '\0')
            sign_in(s, ses, rx);
        else
            s->field = !s->field;
        break;
    case ACT_OK:
        sign_in(s, ses, rx);
        break;
    case ACT_ALONE:
        session_set_message(ses, N_("Alone: enforcement needs a second officer (5 on the summary)"),
                            0);
        start_the_day(ses, rx);
        break;
    case ACT_BACK:
        if (s->field == 1)
            s->field = 0;
        else if (!s->day)
            rx->flags |= RX_POP;
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

const enum tui_scope *team_keys(const void *state)
{
    const struct team_state *s = state;
    static const enum tui_scope day[] = {SCOPE_SIGNIN, SCOPE_TEAM, SCOPE_ENTRY, SCOPE_GLOBAL,
                                         SCOPE_COUNT};
    static const enum tui_scope swap[] = {SCOPE_SIGNIN, SCOPE_ENTRY, SCOPE_GLOBAL, SCOPE_COUNT};
    return s->day ? day : swap;
}

/* ---- the idle lock ---- */

void lock_handle(void *state, struct session *ses, const struct tui_event *ev,
                 struct tui_reaction *rx)
{
    struct lock_state *s = state;
    rx->flags |= RX_REDRAW;
    const char *badges[2] = {ses->badge, ses->badge2};
    switch (ev->kind) {
    case EV_ENTER:
        if (!s->idle)
            s->idle = ses->lock_idle;
        ses->lock_idle = 0;
        s->two = ses->badge2[0] != '\0';
        return;
    case EV_CHAR:
        if (ev->ch >= '0' && ev->ch <= '9')
            text_append(s->pin, sizeof s->pin, ev->ch);
        return;
    case EV_SCAN:
        /* A scanned badge card picks that officer. */
        for (int i = 0; i < 2; i++)
            if (badges[i][0] != '\0' && strcmp(badges[i], ev->text) == 0)
                s->who = i;
        return;
    case EV_RESULT:
        if (ev->effect != EFF_UNLOCK)
            return;
        s->busy = 0;
        memset(s->pin, 0, sizeof s->pin);
        if (ev->status == 0)
            rx->flags |= RX_POP;
        return;
    case EV_ACTION:
        break;
    default:
        /* Readings and the like wait: nothing happens behind a lock. */
        return;
    }
    switch (ev->action) {
    case ACT_ERASE:
        text_backspace(s->pin);
        break;
    case ACT_OTHER_OFFICER:
        if (ses->badge2[0] != '\0')
            s->who = !s->who;
        break;
    case ACT_UNLOCK:
    case ACT_OK:
        if (s->pin[0] == '\0') {
            session_set_message(ses, N_("Type the PIN"), 1);
            break;
        }
        if (!s->busy) {
            s->busy = 1;
            reaction_effect_who(rx, EFF_UNLOCK, badges[s->who], s->pin);
        }
        break;
    case ACT_QUIT:
        rx->flags |= RX_UNHANDLED;
        break;
    default:
        /* Back, help, lists: not past the lock. */
        break;
    }
}

void lock_why(const struct lock_state *s, const struct session *ses, char *buf, size_t size)
{
    if (s->idle && s->two)
        snprintf(buf, size, _("No key for %d minutes: the PIN of either officer opens it. "
                              "Nothing typed is lost."),
                 ses->lock_minutes);
    else if (s->idle)
        snprintf(buf, size, _("No key for %d minutes: your PIN opens it. Nothing typed is lost."),
                 ses->lock_minutes);
    else if (s->two)
        snprintf(buf, size, "%s",
                 _("Locked: the PIN of either officer opens it. Nothing typed is lost."));
    else
        snprintf(buf, size, "%s", _("Locked: your PIN opens it. Nothing typed is lost."));
}

const enum tui_scope *lock_keys(const void *state)
{
    static const enum tui_scope two[] = {SCOPE_LOCK, SCOPE_LOCK_TWO, SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope one[] = {SCOPE_LOCK, SCOPE_GLOBAL, SCOPE_COUNT};
    const struct lock_state *s = state;
    return s->two ? two : one;
}
