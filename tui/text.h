/* Measuring and fitting UTF-8 text in terminal columns (htop's RichString,
 * not ncdu 1.15's cropstr, which cuts by bytes and breaks Chinese).  Widths
 * come from wcwidth in the current locale, the same table ncursesw uses, so
 * what we measure is what the terminal draws.  Invalid bytes and
 * non-printable characters are shown as U+FFFD (one column).  No curses. */
#ifndef STALLCHECK_TUI_TEXT_H
#define STALLCHECK_TUI_TEXT_H

#include <stddef.h>

enum {
    TEXT_PAD = 1,      /* pad with spaces to exactly cols columns */
    TEXT_ELLIPSIS = 2, /* mark a cut with a trailing '~' (one column) */
};

/* Columns that s takes on screen. */
int text_width(const char *s);

/* Copies the longest prefix of s that fits in cols columns into buf, never
 * cutting a character (a wide character that would straddle the edge is left
 * out).  buf is always NUL-terminated valid UTF-8.  Returns the columns used
 * (cols when padded), or 0 when size is too small for anything. */
int text_fit(const char *s, int cols, char *buf, size_t size, int flags);

/* Copies src into dst (size bytes), cut at a character boundary when too
 * long, so a name never ends in half a Chinese character. */
void text_copy(char *dst, size_t size, const char *src);

/* Removes the last character (not byte) from a UTF-8 string in place: the
 * backspace of a text field. */
void text_backspace(char *s);

/* Appends the character c (a code point) to a UTF-8 buffer; 0 when it fits
 * (NUL included), -1 otherwise. */
int text_append(char *s, size_t size, unsigned c);

#endif
