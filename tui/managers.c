#include "tui/managers.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "tui/i18n.h"
#include "tui/text.h"

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
    const struct session_list_row *r = &ses->lists.rows[i];
    switch (s->filter) {
    case MANAGERS_RED: return r->list == SCORE_LIST_RED;
    case MANAGERS_BLACK: return r->list == SCORE_LIST_BLACK;
    case MANAGERS_FOLLOWUP: return r->followups > 0;
    case MANAGERS_ALL:
    case MANAGERS_FILTER_COUNT: break;
    }
    return 1;
}

int managers_count(const struct managers_state *s, const struct session *ses)
{
    int n = 0;
    for (int i = 0; i < ses->lists.n; i++)
        n += managers_shows(s, ses, i);
    return n;
}

int managers_row(const struct managers_state *s, const struct session *ses, int n)
{
    for (int i = 0; i < ses->lists.n; i++)
        if (managers_shows(s, ses, i) && n-- == 0)
            return i;
    return -1;
}

static void load(struct managers_state *s, const struct session *ses, int recompute,
                 struct tui_reaction *rx)
{
    s->loading = 1;
    struct tui_effect *e = reaction_effect(rx, EFF_LOAD_LISTS);
    text_copy(e->lists.market, sizeof e->lists.market, ses->day.market);
    e->lists.recompute = recompute;
}

void managers_handle(void *state, struct session *ses, const struct tui_event *ev,
                     struct tui_reaction *rx)
{
    struct managers_state *s = state;
    rx->flags |= RX_REDRAW;
    switch (ev->kind) {
    case EV_ENTER:
        s->reader = !roles_may(ses->role, ROLE_ACT_LISTS);
        /* Fresh figures each time the screen comes up. */
        if (!s->loading) {
            load(s, ses, 0, rx);
        }
        return;
    case EV_RESULT:
        if (ev->effect != EFF_LOAD_LISTS)
            return;
        s->loading = 0;
        if (ev->status != 0)
            session_set_message(ses, N_("Could not load the lists"), 1);
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
    case ACT_REFRESH_REFUSED:
    case ACT_REFRESH:
        /* Recomputing stores every stall's status: a manager reads and
         * prints, and changes no record (core/roles.h). */
        if (s->reader || ev->action == ACT_REFRESH_REFUSED) {
            i18n_roles_check(ses->role, NULL, ROLE_ACT_LISTS, NULL);
            session_message(ses, 1, "%s: %s", _("Not allowed"), sc_error_message());
            break;
        }
        if (!s->loading) {
            load(s, ses, 1, rx);
        }
        break;
    case ACT_SELECT: {
        /* The selected stall's card, as an officer would open it. */
        int i = managers_row(s, ses, s->sel);
        if (i >= 0) {
            reaction_effect_stall(rx, EFF_LOAD_STALL, ses->lists.rows[i].code);
            reaction_push(rx, SCR_STALL);
        }
        break;
    }
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

const enum tui_scope *managers_keys(const void *state)
{
    static const enum tui_scope all[] = {SCOPE_MANAGERS, SCOPE_LIST, SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope reader[] = {SCOPE_MANAGERS_READ, SCOPE_LIST, SCOPE_GLOBAL,
                                            SCOPE_COUNT};
    const struct managers_state *s = state;
    return s != NULL && s->reader ? reader : all;
}
