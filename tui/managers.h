/* The managers' screen (市场管理方): the market's red/black list (红黑榜)
 * as the manager sees it in the office: every stall with its score, star and
 * list, filtered to red, black or open follow-ups, the selected stall's
 * reason below.  A pure state machine (STYLE.md 1): the rows come from
 * EFF_LOAD_LISTS (the loop fills session.lists from db/lists.h). */
#ifndef STALLCHECK_TUI_MANAGERS_H
#define STALLCHECK_TUI_MANAGERS_H

#include "tui/screen.h"

enum managers_filter {
    MANAGERS_ALL,
    MANAGERS_RED,
    MANAGERS_BLACK,
    MANAGERS_FOLLOWUP,  /* stalls with an open follow-up (限期整改) */
    MANAGERS_FILTER_COUNT
};

struct managers_state {
    enum managers_filter filter;
    int sel;            /* index among the rows the filter shows */
    int loading;
    int reader;         /* may not recompute (a manager): 2 refused, not offered */
};

void managers_handle(void *state, struct session *ses, const struct tui_event *ev,
                     struct tui_reaction *rx);
void managers_draw(const void *state, const struct session *ses, int foot);
const enum tui_scope *managers_keys(const void *state);

/* Whether row i of session.lists shows under the filter; the number shown;
 * the session index of the n-th shown row (-1 if none). */
int managers_shows(const struct managers_state *s, const struct session *ses, int i);
int managers_count(const struct managers_state *s, const struct session *ses);
int managers_row(const struct managers_state *s, const struct session *ses, int n);
/* The filter's name (msgid). */
const char *managers_filter_label(enum managers_filter f);

#endif
