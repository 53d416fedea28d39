/* UTF-8 text measured and fitted in display columns: one routine for the
 * TUI, the reports and JSON.  Widths are wcwidth's in a UTF-8 locale
 * (C.UTF-8, whatever the caller's locale), the same table ncursesw draws
 * with, so a Chinese name lines up on screen, on a receipt and in a text
 * card alike.  Decoding is strict (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF); an invalid byte is one U+FFFD of one
 * column, and so is a control character, which is never passed on raw. */
#ifndef STALLCHECK_CORE_UTF8_H
#define STALLCHECK_CORE_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define UTF8_REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Length of the valid UTF-8 sequence at s (at most left bytes) with its code
 * point in *cp, or 0 when the bytes there are not one. */
size_t utf8_decode(const char *s, size_t left, uint32_t *cp);

/* One character as drawn: its code point (U+FFFD when replaced), its byte
 * length in the source (1 for an invalid byte), its columns, and whether it
 * is drawn as U+FFFD (an invalid byte or a control character). */
struct utf8_char {
    uint32_t cp;
    size_t len;
    int width;
    int replaced;
};

/* Decodes the character at s (left > 0 bytes); an unprintable character
 * (wcwidth -1) is replaced too.  Returns c->len. */
size_t utf8_next(const char *s, size_t left, struct utf8_char *c);

/* Columns of one code point: 0 for combining marks, 2 for East Asian wide
 * and fullwidth, 1 otherwise (a control character counts as its U+FFFD). */
int utf8_cp_width(uint32_t cp);

/* Columns that s takes (NULL is 0). */
int utf8_width(const char *s);

enum {
    UTF8_PAD = 1,      /* pad with spaces to exactly cols columns */
    UTF8_ELLIPSIS = 2, /* mark a cut with a trailing '~' (one column) */
};

/* Copies the longest prefix of s that fits in cols columns into buf, never
 * cutting a character (a wide one that would straddle the edge is left
 * out), invalid bytes and control characters as U+FFFD.  buf is always
 * NUL-terminated valid UTF-8.  Returns the columns used (cols when padded),
 * 0 when size is 0. */
int utf8_fit(const char *s, int cols, char *buf, size_t size, int flags);

/* The longest tail of s that fits in cols columns, starting at a character
 * boundary (a text field scrolled to where the typing is: its first
 * character whole, never half of a Chinese one). */
const char *utf8_tail(const char *s, int cols);

/* Whether n bytes at s are valid UTF-8 (utf8_decode's strict rules; a NUL
 * byte is valid).  When not, *bad (if given) is the offset of the first
 * byte that is not. */
int utf8_valid(const char *s, size_t n, size_t *bad);

/* Copies src into dst (size bytes, NUL included), cut when too long at a
 * character boundary, so a name never ends in half a Chinese character.
 * Returns the bytes copied: src was copied whole when that is strlen(src);
 * else the caller refuses the text (stored records) or keeps the cut. */
size_t utf8_copy(char *dst, size_t size, const char *src);

#endif
