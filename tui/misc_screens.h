/* The small screens: resuming an unfinished inspection found at start (after
 * a kill -9 or a dead battery), the history list, adding the second officer
 * (enforcement needs two), and the help screen generated from the key
 * table. */
#ifndef STALLCHECK_TUI_MISC_SCREENS_H
#define STALLCHECK_TUI_MISC_SCREENS_H

#include "tui/screen.h"

struct resume_state {
    int busy;
};
void resume_init(struct resume_state *s);
void resume_handle(struct resume_state *s, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx);
const enum tui_scope *resume_scopes(const struct resume_state *s);
int resume_wants_text(const struct resume_state *s);
void resume_draw(const struct resume_state *s, const struct session *ses);

struct history_state {
    int sel;
};
void history_init(struct history_state *s);
void history_handle(struct history_state *s, struct session *ses, const struct tui_event *ev,
                    struct tui_reaction *rx);
const enum tui_scope *history_scopes(const struct history_state *s);
int history_wants_text(const struct history_state *s);
void history_draw(const struct history_state *s, const struct session *ses);

struct officer2_state {
    char badge[VISIT_CODE_MAX];
    char pin[16];
    int field;
};
void officer2_init(struct officer2_state *s);
void officer2_handle(struct officer2_state *s, struct session *ses, const struct tui_event *ev,
                     struct tui_reaction *rx);
const enum tui_scope *officer2_scopes(const struct officer2_state *s);
int officer2_wants_text(const struct officer2_state *s);
void officer2_draw(const struct officer2_state *s, const struct session *ses);

struct help_state {
    int scroll;
};
void help_init(struct help_state *s);
void help_handle(struct help_state *s, struct session *ses, const struct tui_event *ev,
                 struct tui_reaction *rx);
const enum tui_scope *help_scopes(const struct help_state *s);
int help_wants_text(const struct help_state *s);
void help_draw(const struct help_state *s, const struct session *ses);

#endif
