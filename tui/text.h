/* Text fields and names in fixed buffers: copied, typed and erased by
 * character, never cutting one (a name never ends in half a Chinese
 * character).  Measuring and fitting in columns is core/utf8.h's.  No
 * curses. */
#ifndef STALLCHECK_TUI_TEXT_H
#define STALLCHECK_TUI_TEXT_H

#include <stddef.h>

/* Copies src into dst (size bytes), cut at a character boundary when too
 * long, so a name never ends in half a Chinese character. */
void text_copy(char *dst, size_t size, const char *src);

/* Removes the last character (not byte) from a UTF-8 string in place: the
 * backspace of a text field. */
void text_backspace(char *s);

/* Appends the character c (a code point) to a UTF-8 buffer; 0 when it fits
 * (NUL included), -1 otherwise. */
int text_append(char *s, size_t size, unsigned c);

/* One line of text wrapped at cols columns: returns the bytes of the line
 * and, in *next, where the next one starts.  It breaks at a space (not the
 * one between a number and its unit: "30 g" stays together) or between two
 * characters that are not both of a Latin word or number (Chinese breaks
 * between any two characters; "¥0.36" stays whole), whichever fits more;
 * a word longer than the line is cut.  *next == strlen(text) at the end. */
size_t text_wrap(const char *text, int cols, size_t *next);

/* Fields set apart by two or more spaces ("III  Max 150000 g  e = 50 g",
 * a plate; "F7 Kind: first  F8 Zero-tracking: no") laid on lines of cols
 * columns, a field never split: the text as it is when it fits, else the
 * fields one space apart, as many whole ones on a line as fit (a field
 * wider than the line wraps as text_wrap does).  Writes one line into
 * line (size bytes); returns where the next starts in *next, strlen(text)
 * at the end. */
void text_fields(const char *text, int cols, char *line, size_t size, size_t *next);

#endif
