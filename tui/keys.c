#include "tui/keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define F(n) KEY_F(n)
#define ENTER '\n'
#define ESC 27

/* The one key table.  Digits 1-9 are a screen's own actions, 0 is Back
 * everywhere, F1 help, F10 quit; text fields use F-keys only (F2 OK, F3 next
 * field) so that digits can be typed. */
static const struct tui_key_row table[] = {
    /* scope            key            action              shown */
    /* Enter goes from the badge to the PIN and signs in from the PIN (the
     * entry keys below: F2 signs in too, F3 and Tab change field). */
    {SCOPE_SIGNIN,      ENTER,         ACT_ENTER_NEXT,     1},
    {SCOPE_TEAM,        F(5),          ACT_ALONE,          1},
    {SCOPE_LOCK,        ENTER,         ACT_UNLOCK,         1},
    {SCOPE_LOCK_TWO,    F(3),          ACT_OTHER_OFFICER,  1},
    {SCOPE_LOCK_TWO,    KEY_UP,        ACT_OTHER_OFFICER,  0},
    {SCOPE_LOCK_TWO,    KEY_DOWN,      ACT_OTHER_OFFICER,  0},
    {SCOPE_LOCK,        KEY_BACKSPACE, ACT_ERASE,          0},
    {SCOPE_LOCK,        127,           ACT_ERASE,          0},
    {SCOPE_LOCK,        8,             ACT_ERASE,          0},

    {SCOPE_ENTRY,       ENTER,         ACT_OK,             1},
    {SCOPE_ENTRY,       F(2),          ACT_OK,             0},
    {SCOPE_ENTRY,       F(3),          ACT_NEXT_FIELD,     1},
    {SCOPE_ENTRY,       '\t',          ACT_NEXT_FIELD,     0},
    {SCOPE_ENTRY,       KEY_BACKSPACE, ACT_ERASE,          0},
    {SCOPE_ENTRY,       127,           ACT_ERASE,          0},
    {SCOPE_ENTRY,       8,             ACT_ERASE,          0},
    {SCOPE_ENTRY,       ESC,           ACT_BACK,           0},
    {SCOPE_ENTRY,       F(4),          ACT_BACK,           1},

    {SCOPE_RESUME,      '1',           ACT_RESUME,         1},
    {SCOPE_RESUME,      '2',           ACT_DISCARD,        1},

    {SCOPE_PICK,        '1',           ACT_INSPECT,        1},
    {SCOPE_PICK,        '2',           ACT_TYPE_CODE,      1},
    {SCOPE_PICK,        '3',           ACT_DRAW,           1},
    {SCOPE_PICK,        '4',           ACT_HISTORY,        1},
    {SCOPE_PICK,        '5',           ACT_LISTS,          1},
    {SCOPE_PICK,        '6',           ACT_FAIRSCALE,      1},
    {SCOPE_PICK,        F(9),          ACT_LOCK,           1},
    /* The market's manager reads cards, history and lists, and runs the
     * market's fair scale (公平秤); inspecting and drawing are the
     * officers' (core/roles.h). */
    {SCOPE_PICK_MARKET, '1',           ACT_CARD,           1},
    {SCOPE_PICK_MARKET, '2',           ACT_TYPE_CODE,      1},
    {SCOPE_PICK_MARKET, '4',           ACT_HISTORY,        1},
    {SCOPE_PICK_MARKET, '5',           ACT_LISTS,          1},
    {SCOPE_PICK_MARKET, '6',           ACT_FAIRSCALE,      1},
    {SCOPE_PICK_MARKET, F(9),          ACT_LOCK,           1},
    /* Another who may not inspect (an admin) reads the same, and makes the
     * draw as the command line lets them (core/roles.h). */
    {SCOPE_PICK_READ,   '1',           ACT_CARD,           1},
    {SCOPE_PICK_READ,   '2',           ACT_TYPE_CODE,      1},
    {SCOPE_PICK_READ,   '3',           ACT_DRAW,           1},
    {SCOPE_PICK_READ,   '4',           ACT_HISTORY,        1},
    {SCOPE_PICK_READ,   '5',           ACT_LISTS,          1},
    {SCOPE_PICK_READ,   F(9),          ACT_LOCK,           1},

    {SCOPE_MANAGERS,    '1',           ACT_FILTER,         1},
    {SCOPE_MANAGERS,    '2',           ACT_REFRESH,        1},
    /* A manager reads the list (computed as it opens) and never stores it:
     * 2 is not on the help line, and says why when pressed (core/roles.h). */
    {SCOPE_MANAGERS_READ, '1',         ACT_FILTER,         1},
    {SCOPE_MANAGERS_READ, '2',         ACT_REFRESH_REFUSED, 0},

    {SCOPE_STALL,       '1',           ACT_CHECKLIST,      1},
    {SCOPE_STALL,       '2',           ACT_REWEIGH,        1},
    {SCOPE_STALL,       '3',           ACT_SCALE,          1},
    {SCOPE_STALL,       '4',           ACT_GHOST,          1},
    {SCOPE_STALL,       '5',           ACT_OFFICER2,       1},
    {SCOPE_STALL,       '6',           ACT_HISTORY,        1},
    {SCOPE_STALL,       '9',           ACT_SUMMARY,        1},
    /* Who may not inspect reads the card and the stall's history: the
     * inspection's steps are the officers' (core/roles.h). */
    {SCOPE_STALL_READ,  '6',           ACT_HISTORY,        1},

    {SCOPE_CHECKLIST,   '1',           ACT_PASS,           1},
    {SCOPE_CHECKLIST,   '2',           ACT_FAIL,           1},
    {SCOPE_CHECKLIST,   '3',           ACT_NA,             1},
    {SCOPE_SEAL,        '1',           ACT_SEAL_INTACT,    1},
    {SCOPE_SEAL,        '2',           ACT_SEAL_BROKEN,    1},
    {SCOPE_SEAL,        '3',           ACT_SEAL_MISSING,   1},
    {SCOPE_SEAL,        '4',           ACT_SEAL_NOT_SEALABLE, 1},
    /* The seal's four answers take 1-4: note and deadline sit above them. */
    {SCOPE_CHECKLIST,   '5',           ACT_NOTE,           1},
    {SCOPE_CHECKLIST,   '6',           ACT_DEADLINE,       1},
    {SCOPE_CHECKLIST,   '9',           ACT_SUMMARY,        1},

    {SCOPE_SCALE,       '1',           ACT_ZERO,           1},
    {SCOPE_SCALE,       '2',           ACT_TARE,           1},
    {SCOPE_SCALE,       '3',           ACT_SWITCH_SCALE,   1},
    {SCOPE_SCALE,       '4',           ACT_RETRY,          1},

    /* The re-weigh item opens the re-weigh: it is passed or failed only by
     * one (core/visit.h); n/a takes a note saying why there was none. */
    {SCOPE_CL_REWEIGH,  '1',           ACT_REWEIGH,        1},
    {SCOPE_CL_REWEIGH,  '2',           ACT_REWEIGH,        0},
    {SCOPE_CL_REWEIGH,  '3',           ACT_NA_NOTE,        1},

    {SCOPE_REWEIGH,     '1',           ACT_CAPTURE,        1},
    {SCOPE_REWEIGH,     '2',           ACT_TYPE_WEIGHT,    1},
    {SCOPE_REWEIGH,     '3',           ACT_CATEGORY_NEXT,  1},
    {SCOPE_REWEIGH,     KEY_LEFT,      ACT_CATEGORY_PREV,  1},
    {SCOPE_REWEIGH,     KEY_RIGHT,     ACT_CATEGORY_NEXT,  1},
    {SCOPE_REWEIGH,     '4',           ACT_RETRY,          1},
    {SCOPE_REWEIGH,     '5',           ACT_ZERO,           1},
    {SCOPE_FAIR,        '1',           ACT_CAPTURE,        1},
    {SCOPE_FAIR,        '2',           ACT_TYPE_WEIGHT,    1},
    {SCOPE_FAIR,        '3',           ACT_CATEGORY_NEXT,  1},
    {SCOPE_FAIR,        KEY_LEFT,      ACT_CATEGORY_PREV,  1},
    {SCOPE_FAIR,        KEY_RIGHT,     ACT_CATEGORY_NEXT,  1},
    {SCOPE_FAIR,        '4',           ACT_RETRY,          1},
    {SCOPE_FAIR,        '5',           ACT_ZERO,           1},
    {SCOPE_FAIR_DONE,   '6',           ACT_NEW_COMPLAINT,  1},
    {SCOPE_FAIR_DONE,   '7',           ACT_PRINT,          1},
    {SCOPE_REWEIGH_ENTRY, KEY_LEFT,    ACT_CATEGORY_PREV,  1},
    {SCOPE_REWEIGH_ENTRY, KEY_RIGHT,   ACT_CATEGORY_NEXT,  1},

    {SCOPE_GHOST,       '1',           ACT_RECORD,         1},
    {SCOPE_GHOST,       '2',           ACT_SIGN_FOUND,     1},
    {SCOPE_GHOST,       '9',           ACT_VERDICT,        1},
    {SCOPE_GHOST,       '4',           ACT_RETRY,          1},

    {SCOPE_SUMMARY,     '1',           ACT_CONFIRM,        1},
    {SCOPE_SUMMARY,     '5',           ACT_OFFICER2,       1},
    {SCOPE_SUMMARY,     '6',           ACT_OFFICER1,       1},
    {SCOPE_SUMMARY_OPEN, '5',          ACT_OFFICER2,       1},
    {SCOPE_SUMMARY_OPEN, '6',          ACT_OFFICER1,       1},

    {SCOPE_VERIFY_PICK, '1',           ACT_VERIFY,         1},
    {SCOPE_VERIFY_PICK, '2',           ACT_TYPE_CODE,      1},
    {SCOPE_VERIFY_PICK, '3',           ACT_CALIBRATE,      1},
    {SCOPE_VERIFY_SETUP, F(5),         ACT_UP,             1},
    {SCOPE_VERIFY_SETUP, F(6),         ACT_DOWN,           1},
    {SCOPE_VERIFY_SETUP, F(7),         ACT_KIND,           1},
    {SCOPE_VERIFY_SETUP, F(8),         ACT_ZERO_TRACKING,  1},
    {SCOPE_VERIFY_SETUP, KEY_UP,       ACT_UP,             0},
    {SCOPE_VERIFY_SETUP, KEY_DOWN,     ACT_DOWN,           0},
    {SCOPE_VERIFY_STEP, '1',           ACT_CAPTURE,        1},
    {SCOPE_VERIFY_STEP, '2',           ACT_FINISH,         1},
    {SCOPE_VERIFY_STEP, '4',           ACT_RETRY,          1},
    {SCOPE_VERIFY_STEP, '5',           ACT_ZERO,           1},
    {SCOPE_VERIFY_STEP, '6',           ACT_TARE,           1},
    {SCOPE_VERIFY_CHECK, '1',          ACT_PASS,           1},
    {SCOPE_VERIFY_CHECK, '2',          ACT_FAIL,           1},
    {SCOPE_VERIFY_CHECK, '5',          ACT_NOTE,           1},
    {SCOPE_VERIFY_CHECK, '9',          ACT_VERDICT,        1},
    {SCOPE_VERIFY_DONE, '1',           ACT_CONFIRM,        1},
    {SCOPE_VERIFY_DONE, '2',           ACT_ABANDON,        1},
    {SCOPE_CAL_SETUP,   F(5),          ACT_UP,             1},
    {SCOPE_CAL_SETUP,   F(6),          ACT_DOWN,           1},
    {SCOPE_CAL_SETUP,   KEY_UP,        ACT_UP,             0},
    {SCOPE_CAL_SETUP,   KEY_DOWN,      ACT_DOWN,           0},
    {SCOPE_CAL_STEP,    '1',           ACT_CAPTURE,        1},
    {SCOPE_CAL_STEP,    '2',           ACT_FINISH,         1},
    {SCOPE_CAL_STEP,    '4',           ACT_RETRY,          1},
    {SCOPE_CAL_STEP,    '5',           ACT_ZERO,           1},
    {SCOPE_CAL_DONE,    '1',           ACT_CONFIRM,        1},
    {SCOPE_CAL_DONE,    '2',           ACT_ABANDON,        1},

    {SCOPE_HELP,        KEY_NPAGE,     ACT_PAGE_DOWN,      1},
    {SCOPE_HELP,        KEY_PPAGE,     ACT_PAGE_UP,        1},

    {SCOPE_LIST,        KEY_UP,        ACT_UP,             0},
    {SCOPE_LIST,        'k',           ACT_UP,             0},
    {SCOPE_LIST,        KEY_DOWN,      ACT_DOWN,           0},
    {SCOPE_LIST,        'j',           ACT_DOWN,           0},
    {SCOPE_LIST,        ENTER,         ACT_SELECT,         0},
    {SCOPE_LIST,        KEY_ENTER,     ACT_SELECT,         0},

    {SCOPE_GLOBAL,      '0',           ACT_BACK,           1},
    {SCOPE_GLOBAL,      ESC,           ACT_BACK,           0},
    {SCOPE_GLOBAL,      F(1),          ACT_HELP,           1},
    {SCOPE_GLOBAL,      F(10),         ACT_QUIT,           1},
    /* The first screen after signing in has nothing to go back to: the
     * global keys but Back. */
    {SCOPE_ROOT,        F(1),          ACT_HELP,           1},
    {SCOPE_ROOT,        F(10),         ACT_QUIT,           1},
};

static const char *const labels[ACT_COUNT] = {
#define TUI_ACTION_LABEL(name, label) label,
    TUI_ACTION_LIST(TUI_ACTION_LABEL)
#undef TUI_ACTION_LABEL
};

static const char *const names[ACT_COUNT] = {
#define TUI_ACTION_NAME(name, label) #name,
    TUI_ACTION_LIST(TUI_ACTION_NAME)
#undef TUI_ACTION_NAME
};

static const char *const scope_labels[SCOPE_COUNT] = {
    [SCOPE_GLOBAL] = N_("Everywhere"),
    [SCOPE_LIST] = N_("In lists"),
    [SCOPE_ENTRY] = N_("Typing in a field"),
    [SCOPE_SIGNIN] = N_("Sign-in"),
    [SCOPE_TEAM] = N_("Sign-in: the second officer"),
    [SCOPE_LOCK] = N_("Locked"),
    [SCOPE_LOCK_TWO] = N_("Locked: two officers"),
    [SCOPE_RESUME] = N_("Unfinished inspection"),
    [SCOPE_PICK] = N_("Today's stalls"),
    [SCOPE_PICK_MARKET] = N_("The market's stalls (managers)"),
    [SCOPE_PICK_READ] = N_("Today's stalls (reading only)"),
    [SCOPE_STALL] = N_("Stall card"),
    [SCOPE_STALL_READ] = N_("Stall card (reading only)"),
    [SCOPE_CHECKLIST] = N_("Checklist"),
    [SCOPE_SEAL] = N_("Checklist: the seal"),
    [SCOPE_CL_REWEIGH] = N_("Checklist: the re-weigh"),
    [SCOPE_SCALE] = N_("Scale"),
    [SCOPE_REWEIGH] = N_("Re-weigh"),
    [SCOPE_REWEIGH_ENTRY] = N_("Re-weigh: typing"),
    [SCOPE_FAIR] = N_("Fair scale (公平秤)"),
    [SCOPE_FAIR_DONE] = N_("Fair scale: recorded"),
    [SCOPE_GHOST] = N_("Cheating-scale check"),
    [SCOPE_SUMMARY] = N_("Summary"),
    [SCOPE_SUMMARY_OPEN] = N_("Summary: items remain"),
    [SCOPE_HISTORY] = N_("History"),
    [SCOPE_HELP] = N_("Help"),
    [SCOPE_MANAGERS] = N_("Red/black list"),
    [SCOPE_MANAGERS_READ] = N_("Red/black list (reading only)"),
    [SCOPE_VERIFY_PICK] = N_("Verification: instruments"),
    [SCOPE_VERIFY_SETUP] = N_("Verification: set-up"),
    [SCOPE_VERIFY_STEP] = N_("Verification: the procedure"),
    [SCOPE_VERIFY_DONE] = N_("Verification: verdict"),
    [SCOPE_VERIFY_CHECK] = N_("Verification: a check"),
    [SCOPE_CAL_SETUP] = N_("Calibration: set-up"),
    [SCOPE_CAL_STEP] = N_("Calibration: the readings"),
    [SCOPE_CAL_DONE] = N_("Calibration: results"),
    [SCOPE_ROOT] = N_("The first screen"),
};

const struct tui_key_row *keys_table(size_t *count)
{
    *count = sizeof table / sizeof table[0];
    return table;
}

enum tui_action keys_lookup(const enum tui_scope *scopes, int key)
{
    for (; *scopes != SCOPE_COUNT; scopes++)
        for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
            if (table[i].scope == *scopes && table[i].key == key)
                return table[i].action;
    return ACT_NONE;
}

const char *keys_action_label(enum tui_action a)
{
    return (unsigned)a < ACT_COUNT ? labels[a] : "";
}

const char *keys_action_name(enum tui_action a)
{
    return (unsigned)a < ACT_COUNT ? names[a] : "NONE";
}

int keys_help_lines(void (*fn)(int line, enum tui_scope scope, const struct tui_key_row *row,
                               void *arg),
                    void *arg)
{
    const size_t n = sizeof table / sizeof table[0];
    int line = 0;
    for (int s = 0; s < SCOPE_COUNT; s++) {
        int header = 0;
        for (size_t i = 0; i < n; i++) {
            if ((int)table[i].scope != s)
                continue;
            if (!header) {
                if (fn != NULL)
                    fn(line, (enum tui_scope)s, NULL, arg);
                line++;
                header = 1;
            }
            /* Enter and KEY_ENTER are one key to the officer: listed once. */
            if (i > 0 && table[i - 1].scope == table[i].scope &&
                table[i - 1].action == table[i].action) {
                char a[16], b[16];
                if (strcmp(keys_key_name(table[i - 1].key, a, sizeof a),
                           keys_key_name(table[i].key, b, sizeof b)) == 0)
                    continue;
            }
            if (fn != NULL)
                fn(line, (enum tui_scope)s, &table[i], arg);
            line++;
        }
    }
    return line;
}

struct line_of {
    enum tui_scope scope;
    int line;
};

static void find_heading(int line, enum tui_scope scope, const struct tui_key_row *row, void *arg)
{
    struct line_of *f = arg;
    if (row == NULL && scope == f->scope && f->line < 0)
        f->line = line;
}

int keys_help_line_of(enum tui_scope scope)
{
    struct line_of f = {scope, -1};
    keys_help_lines(find_heading, &f);
    return f.line < 0 ? 0 : f.line;
}

int keys_enter_code(void)
{
    return KEY_ENTER;
}

const char *keys_scope_label(enum tui_scope s)
{
    return (unsigned)s < SCOPE_COUNT ? scope_labels[s] : "";
}

const char *keys_key_name(int key, char *buf, size_t size)
{
    if (key >= KEY_F(1) && key <= KEY_F(12))
        snprintf(buf, size, "F%d", key - KEY_F(0));
    else if (key == ENTER || key == KEY_ENTER)
        snprintf(buf, size, "Enter");
    else if (key == ESC)
        snprintf(buf, size, "Esc");
    else if (key == '\t')
        snprintf(buf, size, "Tab");
    else if (key == KEY_UP)
        snprintf(buf, size, "Up");
    else if (key == KEY_DOWN)
        snprintf(buf, size, "Down");
    else if (key == KEY_LEFT)
        snprintf(buf, size, "Left");
    else if (key == KEY_RIGHT)
        snprintf(buf, size, "Right");
    else if (key == KEY_NPAGE)
        snprintf(buf, size, "PgDn");
    else if (key == KEY_PPAGE)
        snprintf(buf, size, "PgUp");
    else if (key == KEY_BACKSPACE || key == 127 || key == 8)
        snprintf(buf, size, "Backspace");
    else if (key > ' ' && key < 127)
        snprintf(buf, size, "%c", key);
    else
        snprintf(buf, size, "#%d", key);
    return buf;
}

size_t keys_help_items(const enum tui_scope *scopes, int typing,
                       const char *(*translate)(const char *), const char **out_labels,
                       int *out_keys, size_t n)
{
    size_t k = 0;
    for (const enum tui_scope *s = scopes; *s != SCOPE_COUNT; s++) {
        for (size_t i = 0; i < sizeof table / sizeof table[0] && k < n; i++) {
            if (table[i].scope != *s || !table[i].shown)
                continue;
            if (typing && table[i].key >= ' ' && table[i].key < 127)
                continue;
            /* An earlier scope that maps the same key shadows this row. */
            if (keys_lookup(scopes, table[i].key) != table[i].action)
                continue;
            int dup = 0;
            for (size_t j = 0; j < k; j++)
                dup |= out_keys[j] == table[i].key;
            if (dup)
                continue;
            out_keys[k] = table[i].key;
            out_labels[k] = translate != NULL ? translate(labels[table[i].action])
                                              : labels[table[i].action];
            k++;
        }
    }
    return k;
}
