/* Keys mapped to named actions through one table (tig's requests): the help
 * line under every screen and the help screen are generated from it, never
 * kept by hand.  On a handheld with gloves every action has one digit or one
 * function key, shown on screen; arrows and j/k move in lists.
 *
 * A screen declares which scopes are live (its own, then "list", then
 * "global"); the first scope with a row for the key wins, so the same digit
 * can mean Pass on the checklist and Re-weigh on the stall card. */
#ifndef STALLCHECK_TUI_KEYS_H
#define STALLCHECK_TUI_KEYS_H

#include <stddef.h>

#include "tui/i18n.h"

/* X(NAME, label msgid) */
#define TUI_ACTION_LIST(X) \
    X(NONE, "") \
    X(HELP, N_("Help")) \
    X(QUIT, N_("Quit")) \
    X(BACK, N_("Back")) \
    X(UP, N_("Up")) \
    X(DOWN, N_("Down")) \
    X(SELECT, N_("Select")) \
    X(ERASE, N_("Erase")) \
    X(NEXT_FIELD, N_("Next field")) \
    X(OK, N_("OK")) \
    X(ENTER_NEXT, N_("Next, sign in")) \
    X(ALONE, N_("Alone")) \
    X(UNLOCK, N_("Unlock")) \
    X(OTHER_OFFICER, N_("Other officer")) \
    X(OFFICER1, N_("1st officer")) \
    X(LOCK, N_("Lock")) \
    X(FAIRSCALE, N_("Fair scale")) \
    X(NEW_COMPLAINT, N_("New complaint")) \
    X(PRINT, N_("Print")) \
    X(TYPE_CODE, N_("Type code")) \
    X(TYPE_WEIGHT, N_("Type weight")) \
    X(DRAW, N_("Draw")) \
    X(INSPECT, N_("Inspect")) \
    X(CARD, N_("Stall card")) \
    X(CHECKLIST, N_("Checklist")) \
    X(SCALE, N_("Scale")) \
    X(REWEIGH, N_("Re-weigh")) \
    X(GHOST, N_("Cheat check")) \
    X(SUMMARY, N_("Summary")) \
    X(HISTORY, N_("History")) \
    X(OFFICER2, N_("2nd officer")) \
    X(PASS, N_("Pass")) \
    X(FAIL, N_("Fail")) \
    X(NA, N_("N/A")) \
    X(SEAL_INTACT, N_("Intact")) \
    X(SEAL_BROKEN, N_("Broken")) \
    X(SEAL_MISSING, N_("Missing")) \
    X(SEAL_NOT_SEALABLE, N_("Not sealable")) \
    X(NOTE, N_("Note")) \
    X(DEADLINE, N_("Deadline")) \
    X(ZERO, N_("Zero")) \
    X(TARE, N_("Tare")) \
    X(SWITCH_SCALE, N_("Other scale")) \
    X(CAPTURE, N_("Capture")) \
    X(RETRY, N_("Retry")) \
    X(CATEGORY_NEXT, N_("Category")) \
    X(CATEGORY_PREV, N_("Category")) \
    X(NA_NOTE, N_("N/A + note")) \
    X(RECORD, N_("Record")) \
    X(VERDICT, N_("Verdict")) \
    X(SIGN_FOUND, N_("Sign found")) \
    X(CONFIRM, N_("Confirm")) \
    X(RESUME, N_("Resume")) \
    X(DISCARD, N_("Discard")) \
    X(VERIFY, N_("Verify")) \
    X(FINISH, N_("Finish")) \
    X(LISTS, N_("Lists")) \
    X(FILTER, N_("Filter")) \
    X(REFRESH, N_("Recompute")) \
    X(KIND, N_("Kind")) \
    X(ZERO_TRACKING, N_("Zero-tracking")) \
    X(ABANDON, N_("Abandon")) \
    X(CALIBRATE, N_("Calibrate")) \
    X(PAGE_UP, N_("Page up")) \
    X(PAGE_DOWN, N_("Page down")) \
    X(REFRESH_REFUSED, N_("Recompute: officers only"))

enum tui_action {
#define TUI_ACTION_ENUM(name, label) ACT_##name,
    TUI_ACTION_LIST(TUI_ACTION_ENUM)
#undef TUI_ACTION_ENUM
    ACT_COUNT
};

/* Where a row of the key table applies. */
enum tui_scope {
    SCOPE_GLOBAL,
    SCOPE_LIST,      /* arrows, j/k, Enter in any list */
    SCOPE_ENTRY,     /* while a text field has the cursor: F-keys only */
    SCOPE_SIGNIN,
    SCOPE_TEAM,      /* the second officer at the start of the day */
    SCOPE_LOCK,
    SCOPE_LOCK_TWO,  /* locked with two signed in: the other's PIN */
    SCOPE_RESUME,
    SCOPE_PICK,
    SCOPE_PICK_MARKET, /* today's stalls to the market's manager: read, fair scale */
    SCOPE_PICK_READ, /* today's stalls to one who may not inspect (an admin) */
    SCOPE_STALL,
    SCOPE_STALL_READ, /* a stall's card to one who may not inspect (a manager) */
    SCOPE_CHECKLIST,
    SCOPE_SEAL,
    SCOPE_CL_REWEIGH,   /* the checklist's re-weigh item */
    SCOPE_SCALE,
    SCOPE_REWEIGH,
    SCOPE_REWEIGH_ENTRY, /* while the declared weight or price is typed */
    SCOPE_FAIR,      /* the fair-scale station (公平秤) */
    SCOPE_FAIR_DONE, /* its check recorded: the next customer, or the ticket again */
    SCOPE_GHOST,
    SCOPE_SUMMARY,
    SCOPE_SUMMARY_OPEN, /* the summary while items remain: no Confirm yet */
    SCOPE_HISTORY,
    SCOPE_HELP,
    SCOPE_MANAGERS,
    SCOPE_MANAGERS_READ, /* the list to one who may not recompute it (a manager) */
    SCOPE_VERIFY_PICK,
    SCOPE_VERIFY_SETUP,
    SCOPE_VERIFY_STEP,
    SCOPE_VERIFY_DONE,
    SCOPE_VERIFY_CHECK,  /* a step answered pass or fail (the general check, levelling) */
    SCOPE_CAL_SETUP,
    SCOPE_CAL_STEP,
    SCOPE_CAL_DONE,
    SCOPE_ROOT,      /* the first screen (today's stalls, the instruments): no Back */
    SCOPE_COUNT
};

/* Key codes: plain characters are themselves; the rest are curses' KEY_*
 * values, which keys.c knows without the screens including curses. */
struct tui_key_row {
    enum tui_scope scope;
    int key;
    enum tui_action action;
    int shown; /* on the help line (digits and F-keys); the rest only in help */
};

const struct tui_key_row *keys_table(size_t *count);

/* The action for key in the first of scopes (terminated by SCOPE_COUNT) that
 * maps it, else ACT_NONE. */
enum tui_action keys_lookup(const enum tui_scope *scopes, int key);

/* "Pass": the label msgid of an action (untranslated). */
const char *keys_action_label(enum tui_action a);
/* "ACT_PASS" style stable name without the prefix: "PASS". */
const char *keys_action_name(enum tui_action a);
/* "1", "F1", "Enter", "Esc", "Up": how a key is written on screen. */
const char *keys_key_name(int key, char *buf, size_t size);
/* The help screen's lines: for each scope of the key table a heading (row
 * NULL), then its keys (Enter and the keypad's Enter once).  fn is called
 * for each line in order; returns the number of lines. */
int keys_help_lines(void (*fn)(int line, enum tui_scope scope, const struct tui_key_row *row,
                               void *arg),
                    void *arg);
/* The line of scope's heading in that list (0 when it has no keys). */
int keys_help_line_of(enum tui_scope scope);

/* The terminal's keypad Enter (curses' KEY_ENTER), which is Enter too. */
int keys_enter_code(void);
/* The scope's name for the help screen (msgid). */
const char *keys_scope_label(enum tui_scope s);

/* The help line: "1 Pass  2 Fail  ... F1 Help", each shown row of the live
 * scopes once (a key already taken by an earlier scope is skipped), labels
 * translated with translate (may be NULL).  typing: a text field has the
 * cursor, so printable keys are text and left off the line.  Writes at most n items into
 * out_keys/out_labels; returns how many. */
size_t keys_help_items(const enum tui_scope *scopes, int typing,
                       const char *(*translate)(const char *), const char **out_labels,
                       int *out_keys, size_t n);

#endif
