/* Drawing helpers for the *_draw.c files: text placed by columns (utf8_fit),
 * colour by role, the title bar, the status line and the help line generated
 * from the key table.  Screens never cache LINES/COLS: they ask draw_rows()
 * and draw_cols() each time they draw. */
#ifndef STALLCHECK_TUI_DRAW_H
#define STALLCHECK_TUI_DRAW_H

#include "tui/color.h"
#include "tui/keys.h"
#include "tui/screen.h"

/* The smallest usable terminal (a handheld's 40x15). */
#define DRAW_MIN_COLS 40
#define DRAW_MIN_ROWS 15

int draw_cols(void);
int draw_rows(void);

/* Text at (y, x), cut to cols columns (never mid-character); padded to cols
 * when pad.  Returns the columns drawn. */
int draw_text(int y, int x, int cols, enum tui_role role, const char *text, int pad);
/* printf-style draw_text, not padded. */
int draw_textf(int y, int x, int cols, enum tui_role role, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* "label: value" on row y, the label in the LABEL role. */
void draw_field(int y, const char *label, const char *value, enum tui_role role);
/* A text field being typed: shown in the INPUT role, the cursor after it
 * when focused; masked with '*' when secret. */
void draw_input(int y, const char *label, const char *value, int focused, int secret);

/* Row 0: the title, and at the right the officer signed in. */
void draw_title(const char *title, const struct session *ses);

/* The bottom rows: the status message (session.message) and the help line
 * generated from the screen's live scopes.  Returns the first row they use,
 * so content stops above it. */
int draw_footer(const struct session *ses, const enum tui_scope *scopes, int typing);

/* The first content row (below the title) and one past the last. */
int draw_top(void);

/* The "terminal too small" screen. */
void draw_too_small(void);

/* The help screen: every scope of the key table, from line `scroll`. */
void draw_help(int scroll, int foot);
int draw_help_lines(void);

#endif
