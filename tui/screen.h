/* What every screen shares: the events it is given, the effects it asks for
 * and the row that describes it.  A screen is a state struct and a pure
 * update function (STYLE.md 1): state and event in, reaction and effects
 * out; no curses, no SQL, no port.  The main loop (tui/app.c) performs the
 * effects, feeds their results back as events, and redraws (htop's
 * Htop_Reaction).
 *
 * Screens describe themselves as tig's views do (struct view_ops): one row
 * each in tui/screens.def, read through the functions at the end. */
#ifndef STALLCHECK_TUI_SCREEN_H
#define STALLCHECK_TUI_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "tui/effect.h"
#include "tui/keys.h"
#include "tui/session.h"

/* The ids, from the rows of tui/screens.def (traces print the number:
 * append rows, never reorder). */
enum tui_screen_id {
#define SCREEN(id, ...) id,
#include "tui/screens.def"
#undef SCREEN
    SCR_COUNT
};

enum tui_event_kind {
    EV_ACTION,   /* a key, through the key table */
    EV_CHAR,     /* a character typed into a field */
    EV_SCAN,     /* a code typed by the barcode scanner (or by hand) + Enter */
    EV_READING,  /* a new reading on scale `which` (session has it) */
    EV_DEVICE,   /* scale `which` went on- or offline */
    EV_RESULT,   /* the result of an effect: status 0 or SC_ERR_* */
    EV_ENTER,    /* the screen came to the top of the stack */
};

struct tui_event {
    enum tui_event_kind kind;
    enum tui_action action;
    unsigned ch;
    const char *text;
    int which;
    int status;
    enum tui_effect_kind effect;   /* EV_RESULT: the effect it answers */
};

enum {
    RX_REDRAW = 1,
    RX_PUSH = 2,       /* push reaction.screen */
    RX_POP = 4,
    RX_QUIT = 8,
    RX_REPLACE = 16,   /* replace the top with reaction.screen */
    RX_HOME = 32,      /* the stack becomes [pick]; then RX_PUSH applies */
    RX_UNHANDLED = 64, /* the screen did not use the event (scans, global keys) */
};

#define TUI_MAX_EFFECTS 4
struct tui_reaction {
    unsigned flags;
    enum tui_screen_id screen;
    int n_effects;
    struct tui_effect effects[TUI_MAX_EFFECTS];
    struct tui_effect dropped;   /* an effect beyond the limit lands here, unperformed */
};

/* Adds an effect of `kind` and returns it, zeroed, for its payload:
 *     reaction_effect(rx, EFF_DEVICE_RETRY)->scale = SCALE_STALL; */
struct tui_effect *reaction_effect(struct tui_reaction *rx, enum tui_effect_kind kind);
/* The same with a stall code (EFF_LOAD_STALL, EFF_LOAD_HISTORY). */
void reaction_effect_stall(struct tui_reaction *rx, enum tui_effect_kind kind, const char *code);
/* The same with a badge and PIN (EFF_SIGN_IN, EFF_SWAP_OFFICER, EFF_UNLOCK). */
struct tui_effect *reaction_effect_who(struct tui_reaction *rx, enum tui_effect_kind kind,
                                      const char *badge, const char *pin);
void reaction_push(struct tui_reaction *rx, enum tui_screen_id screen);
/* The keys of the scale a screen weighs on (SCALE_*): retry its link,
 * zero it.  1 when action was one of them (its effect added), else 0. */
int reaction_scale_key(struct tui_reaction *rx, enum tui_action action, int scale);

/* A line typed on a list screen (today's stall code, the instruments'
 * query, a reason): Backspace erases a character; Esc leaves the line,
 * emptied (*typing = 0).  LINE_OTHER: the screen's (Enter, any other). */
enum screen_line { LINE_ERASED, LINE_LEFT, LINE_OTHER };
enum screen_line screen_line_key(char *line, int *typing, enum tui_action action);

/* A screen's row.  Keys and text: a screen that takes text always (a form)
 * sets text; one that does only while a field is being typed gives typing,
 * and while typing its keys are the entry keys (F-keys, Enter, Esc). */
struct screen_ops {
    const char *name;                 /* "SCR_PICK", for traces and tests */
    size_t state_size;                /* its state struct (0: none), zeroed on entry */
    const enum tui_scope *keys;       /* its key scopes, SCOPE_COUNT-terminated */
    int text;                         /* 1: every printable key is text for it */
    int (*typing)(const void *state); /* or NULL: a field is being typed now */
    const enum tui_scope *(*keys_of)(const void *state); /* or NULL: keys by state */
    void (*init)(void *state);        /* or NULL: after zeroing */
    void (*handle)(void *state, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx);
    /* Draws above row foot (the status and key lines are drawn). */
    void (*draw)(const void *state, const struct session *ses, int foot);
};

/* The row of screen id (tui/screens.c). */
const struct screen_ops *screen_ops(enum tui_screen_id id);
/* Zeroes state (ops->state_size bytes) and runs the row's init. */
void screen_state_init(enum tui_screen_id id, void *state);
/* The key scopes in force now, and whether printable keys are text. */
const enum tui_scope *screen_keys(enum tui_screen_id id, const void *state);
int screen_takes_text(enum tui_screen_id id, const void *state);

#endif
