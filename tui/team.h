/* The day's team: both officers sign in once, at the start of the day, and
 * every inspection names both (enforcement needs two).  Three screens share
 * one state machine: the second officer signing in after the first
 * (SCR_TEAM), and either officer swapped later for another with that
 * officer's PIN (SCR_OFFICER1, SCR_OFFICER2).  And the idle lock
 * (SCR_LOCK): after the lock time without a key the handheld asks the PIN
 * of either officer again; it is pushed over whatever was on screen, so
 * nothing typed is lost. */
#ifndef STALLCHECK_TUI_TEAM_H
#define STALLCHECK_TUI_TEAM_H

#include "tui/screen.h"

struct team_state {
    int slot;           /* 1 or 2: which officer signs in */
    int day;            /* signing in at the start of the day (SCR_TEAM) */
    char badge[VISIT_CODE_MAX];
    char pin[16];
    int field;          /* 0 badge, 1 PIN */
    int busy;
};

void team_init_day(void *state);
void team_init_first(void *state);
void team_init_second(void *state);
void team_handle(void *state, struct session *ses, const struct tui_event *ev,
                 struct tui_reaction *rx);
void team_draw(const void *state, const struct session *ses, int foot);
/* At the start of the day "alone" is offered too. */
const enum tui_scope *team_keys(const void *state);

struct lock_state {
    int who;            /* 0 the first officer, 1 the second */
    char pin[16];
    int busy;
    int idle;           /* locked for want of a key (else by F9) */
    int two;            /* two signed in: either PIN opens it */
};

void lock_handle(void *state, struct session *ses, const struct tui_event *ev,
                 struct tui_reaction *rx);
void lock_draw(const void *state, const struct session *ses, int foot);
/* Why it is locked and whose PIN opens it, in the screen's language. */
void lock_why(const struct lock_state *s, const struct session *ses, char *buf, size_t size);
/* The other officer's key (F3) only when two are signed in. */
const enum tui_scope *lock_keys(const void *state);

#endif
