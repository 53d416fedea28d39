#include "tui/pick.h"

#include <stdio.h>
#include <string.h>

#include "tui/text.h"

static void load(struct pick_state *s, const char *code, struct tui_reaction *rx)
{
    s->busy = 1;
    reaction_effect_stall(rx, EFF_LOAD_STALL, code);
}

void pick_handle(void *state, struct session *ses, const struct tui_event *ev,
                 struct tui_reaction *rx)
{
    struct pick_state *s = state;
    rx->flags |= RX_REDRAW;
    switch (ev->kind) {
    case EV_ENTER:
        s->busy = 0;
        s->reader = !roles_may(ses->role, ROLE_ACT_INSPECT);
        s->fair = roles_may(ses->role, ROLE_ACT_FAIRSCALE);
        if (s->sel >= ses->day.n_stalls)
            s->sel = ses->day.n_stalls > 0 ? ses->day.n_stalls - 1 : 0;
        return;
    case EV_CHAR:
        if (s->typing && ev->ch > ' ' && ev->ch < 127)
            text_append(s->code, sizeof s->code, ev->ch);
        return;
    case EV_SCAN:
        for (int i = 0; i < ses->day.n_stalls; i++)
            if (strcmp(ses->day.stalls[i].code, ev->text) == 0)
                s->sel = i;
        load(s, ev->text, rx);
        return;
    case EV_RESULT:
        if (ev->effect == EFF_LOAD_STALL) {
            s->busy = 0;
            if (ev->status == 0) {
                s->typing = 0;
                s->code[0] = '\0';
                reaction_push(rx, SCR_STALL);
            }
        } else if (ev->effect == EFF_DRAW && ev->status == 0) {
            s->sel = 0;
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
            text_backspace(s->code);
            break;
        case ACT_OK:
            if (s->code[0] != '\0')
                load(s, s->code, rx);
            break;
        case ACT_BACK:
            s->typing = 0;
            s->code[0] = '\0';
            break;
        default:
            rx->flags |= RX_UNHANDLED;
            break;
        }
        return;
    }
    switch (ev->action) {
    case ACT_UP:
        if (s->sel > 0)
            s->sel--;
        break;
    case ACT_DOWN:
        if (s->sel + 1 < ses->day.n_stalls)
            s->sel++;
        break;
    case ACT_SELECT:
    case ACT_INSPECT:
    case ACT_CARD:
        if (s->sel < ses->day.n_stalls)
            load(s, ses->day.stalls[s->sel].code, rx);
        else
            s->typing = 1;
        break;
    case ACT_TYPE_CODE:
        s->typing = 1;
        s->code[0] = '\0';
        break;
    case ACT_DRAW:
        reaction_effect(rx, EFF_DRAW);
        break;
    case ACT_FAIRSCALE:
        reaction_push(rx, SCR_FAIRSCALE);
        break;
    case ACT_LOCK:
        /* Before the handheld goes into a pocket: locked at once. */
        reaction_push(rx, SCR_LOCK);
        break;
    case ACT_HISTORY:
        /* The stall under the cursor, as 1 opens it: its past before
         * going in. */
        reaction_effect_stall(rx, EFF_LOAD_HISTORY,
                              s->sel < ses->day.n_stalls ? ses->day.stalls[s->sel].code : "");
        reaction_push(rx, SCR_HISTORY);
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

int pick_typing(const void *state)
{
    const struct pick_state *s = state;
    return s->typing;
}

const enum tui_scope *pick_keys(const void *state)
{
    static const enum tui_scope typing[] = {SCOPE_ENTRY, SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope officer[] = {SCOPE_PICK, SCOPE_LIST, SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope reader[] = {SCOPE_PICK_READ, SCOPE_LIST, SCOPE_GLOBAL,
                                            SCOPE_COUNT};
    static const enum tui_scope market[] = {SCOPE_PICK_MARKET, SCOPE_LIST, SCOPE_GLOBAL,
                                            SCOPE_COUNT};
    const struct pick_state *s = state;
    if (s->typing)
        return typing;
    if (!s->reader)
        return officer;
    return s->fair ? market : reader;
}
