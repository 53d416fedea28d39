#include "tui/managers.h"

#include <stdio.h>
#include <string.h>

#include "tui/i18n.h"

void managers_init(struct managers_state *s)
{
    memset(s, 0, sizeof *s);
}

const char *managers_filter_label(enum managers_filter f)
{
    switch (f) {
    case MANAGERS_RED: return N_("Red list");
    case MANAGERS_BLACK: return N_("Black list");
    case MANAGERS_FOLLOWUP: return N_("Follow-ups");
    case MANAGERS_ALL:
    case MANAGERS_FILTER_COUNT: break;
    }
    return N_("All stalls");
}

int managers_shows(const struct managers_state *s, const struct session *ses, int i)
{
    const struct session_list_row *r = &ses->lists[i];
    switch (s->filter) {
    case MANAGERS_RED: return strcmp(r->list, "red") == 0;
    case MANAGERS_BLACK: return strcmp(r->list, "black") == 0;
    case MANAGERS_FOLLOWUP: return r->followups > 0;
    case MANAGERS_ALL:
    case MANAGERS_FILTER_COUNT: break;
    }
    return 1;
}

int managers_count(const struct managers_state *s, const struct session *ses)
{
    int n = 0;
    for (int i = 0; i < ses->n_lists; i++)
        n += managers_shows(s, ses, i);
    return n;
}

int managers_row(const struct managers_state *s, const struct session *ses, int n)
{
    for (int i = 0; i < ses->n_lists; i++)
        if (managers_shows(s, ses, i) && n-- == 0)
            return i;
    return -1;
}

void managers_handle(struct managers_state *s, struct session *ses, const struct tui_event *ev,
                     struct tui_reaction *rx)
{
    rx->flags |= RX_REDRAW;
    switch (ev->kind) {
    case EV_ENTER:
        /* Fresh figures each time the screen comes up. */
        if (!s->loading) {
            s->loading = 1;
            reaction_effect(rx, EFF_LOAD_LISTS, 0, ses->market, NULL);
        }
        return;
    case EV_RESULT:
        if (ev->effect != EFF_LOAD_LISTS)
            return;
        s->loading = 0;
        if (ev->status != 0) {
            snprintf(ses->message, sizeof ses->message, "%s", N_("Could not load the lists"));
            ses->message_is_error = 1;
        }
        if (s->sel >= managers_count(s, ses))
            s->sel = 0;
        return;
    case EV_ACTION:
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        return;
    }
    int n = managers_count(s, ses);
    switch (ev->action) {
    case ACT_UP:
        if (s->sel > 0)
            s->sel--;
        break;
    case ACT_DOWN:
        if (s->sel + 1 < n)
            s->sel++;
        break;
    case ACT_FILTER:
        s->filter = (enum managers_filter)((s->filter + 1) % MANAGERS_FILTER_COUNT);
        s->sel = 0;
        break;
    case ACT_REFRESH:
        if (!s->loading) {
            s->loading = 1;
            reaction_effect(rx, EFF_LOAD_LISTS, 1, ses->market, NULL);
        }
        break;
    case ACT_SELECT: {
        /* The selected stall's card, as an officer would open it. */
        int i = managers_row(s, ses, s->sel);
        if (i >= 0) {
            reaction_effect(rx, EFF_LOAD_STALL, 0, ses->lists[i].code, NULL);
            reaction_push(rx, SCR_STALL);
        }
        break;
    }
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

const enum tui_scope *managers_scopes(const struct managers_state *s)
{
    (void)s;
    static const enum tui_scope scopes[] = {SCOPE_MANAGERS, SCOPE_LIST, SCOPE_GLOBAL,
                                            SCOPE_COUNT};
    return scopes;
}

int managers_wants_text(const struct managers_state *s)
{
    (void)s;
    return 0;
}
