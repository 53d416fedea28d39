#include "tui/pick.h"

#include <stdio.h>
#include <string.h>

#include "tui/text.h"

void pick_init(struct pick_state *s)
{
    memset(s, 0, sizeof *s);
}

static void load(struct pick_state *s, const char *code, struct tui_reaction *rx)
{
    s->busy = 1;
    reaction_effect(rx, EFF_LOAD_STALL, 0, code, NULL);
}

void pick_handle(struct pick_state *s, struct session *ses, const struct tui_event *ev,
                 struct tui_reaction *rx)
{
    rx->flags |= RX_REDRAW;
    switch (ev->kind) {
    case EV_ENTER:
        s->busy = 0;
        if (s->sel >= ses->n_stalls)
            s->sel = ses->n_stalls > 0 ? ses->n_stalls - 1 : 0;
        return;
    case EV_CHAR:
        if (s->typing && ev->ch > ' ' && ev->ch < 127)
            text_append(s->code, sizeof s->code, ev->ch);
        return;
    case EV_SCAN:
        for (int i = 0; i < ses->n_stalls; i++)
            if (strcmp(ses->stalls[i].code, ev->text) == 0)
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
        if (s->sel + 1 < ses->n_stalls)
            s->sel++;
        break;
    case ACT_SELECT:
    case ACT_INSPECT:
        if (s->sel < ses->n_stalls)
            load(s, ses->stalls[s->sel].code, rx);
        else
            s->typing = 1;
        break;
    case ACT_TYPE_CODE:
        s->typing = 1;
        s->code[0] = '\0';
        break;
    case ACT_DRAW:
        reaction_effect(rx, EFF_DRAW, 0, NULL, NULL);
        break;
    case ACT_HISTORY:
        reaction_effect(rx, EFF_LOAD_HISTORY, 0, "", NULL);
        reaction_push(rx, SCR_HISTORY);
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

const enum tui_scope *pick_scopes(const struct pick_state *s)
{
    static const enum tui_scope typing[] = {SCOPE_ENTRY, SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope list[] = {SCOPE_PICK, SCOPE_LIST, SCOPE_GLOBAL, SCOPE_COUNT};
    return s->typing ? typing : list;
}

int pick_wants_text(const struct pick_state *s)
{
    return s->typing;
}
