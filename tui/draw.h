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

/* Text at (y, x) in cols columns; padded to cols when pad.  A text that
 * does not fit is cut (never mid-character) and ends in the mark '~', so
 * no line is cut unseen ($STALLCHECK_TRACE logs each cut: "cut Y X
 * drawn").  Returns the columns drawn. */
int draw_text(int y, int x, int cols, enum tui_role role, const char *text, int pad);
/* printf-style draw_text, not padded. */
int draw_textf(int y, int x, int cols, enum tui_role role, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Text word-wrapped over rows [y, foot) from column x (Chinese breaks
 * between any two characters); the last row is cut with the mark if it
 * must be.  Returns the next row.  draw_wrap_rows: the rows it needs. */
int draw_wrap(int y, int foot, int x, enum tui_role role, const char *text);
int draw_wrap_rows(int x, const char *text);
/* Fields set apart by two spaces (a plate, "F7 Kind: ...  F8 ..."), over
 * rows [y, foot) from column x, a field never split (text_fields).
 * Returns the next row. */
int draw_fields(int y, int foot, int x, enum tui_role role, const char *text);

/* "label: value" on row y, the label in the LABEL role. */
void draw_field(int y, const char *label, const char *value, enum tui_role role);
/* A text field: its label and value; the focused one marked '>' at the
 * left edge, its label lit, the cursor after its value (placed by
 * draw_cursor_place once the screen is drawn).  Masked with '*' when
 * secret; a long value shows its end, '~' marking what scrolled off. */
void draw_input(int y, const char *label, const char *value, int focused, int secret);

/* Called by the main loop: before drawing a screen (draw_footer does),
 * and after, to put the cursor where the focused input is (hidden when
 * none is). */
void draw_cursor_reset(void);
void draw_cursor_place(void);

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

/* The help screen: every scope of the key table (keys_help_lines), from
 * line `scroll`. */
void draw_help(int scroll, int foot);

#endif
