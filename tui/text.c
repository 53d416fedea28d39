#include "tui/text.h"

#include <string.h>
#include <wchar.h>

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD in UTF-8 */

/* Decodes one character at s: its byte length and its width in columns.
 * An invalid or incomplete sequence is one byte drawn as U+FFFD. */
static size_t next_char(const char *s, size_t left, int *width, int *replaced)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    wchar_t wc;
    size_t n = mbrtowc(&wc, s, left, &st);
    *replaced = 0;
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
        *replaced = 1;
        *width = 1;
        return 1;
    }
    int w = wcwidth(wc);
    if (w < 0) { /* a control character: never sent raw to the terminal */
        *replaced = 1;
        w = 1;
    }
    *width = w;
    return n;
}

int text_width(const char *s)
{
    int cols = 0;
    size_t left = s != NULL ? strlen(s) : 0;
    while (left > 0) {
        int w, r;
        size_t n = next_char(s, left, &w, &r);
        cols += w;
        s += n;
        left -= n;
    }
    return cols;
}

int text_fit(const char *s, int cols, char *buf, size_t size, int flags)
{
    if (size == 0)
        return 0;
    if (cols < 0)
        cols = 0;
    size_t len = 0;
    int used = 0;
    size_t left = s != NULL ? strlen(s) : 0;
    int limit = cols;
    /* With an ellipsis, a cut text keeps one column for the mark: measure
     * first whether it fits whole. */
    int cut = (flags & TEXT_ELLIPSIS) && text_width(s) > cols && cols > 0;
    if (cut)
        limit = cols - 1;
    while (left > 0) {
        int w, r;
        size_t n = next_char(s, left, &w, &r);
        if (used + w > limit)
            break;
        const char *bytes = r ? REPLACEMENT : s;
        size_t nb = r ? sizeof REPLACEMENT - 1 : n;
        if (len + nb + 1 > size)
            break;
        memcpy(buf + len, bytes, nb);
        len += nb;
        used += w;
        s += n;
        left -= n;
    }
    if (cut && len + 2 <= size) {
        buf[len++] = '~';
        used++;
    }
    if (flags & TEXT_PAD)
        while (used < cols && len + 2 <= size) {
            buf[len++] = ' ';
            used++;
        }
    buf[len] = '\0';
    return used;
}

void text_copy(char *dst, size_t size, const char *src)
{
    if (size == 0)
        return;
    size_t n = src != NULL ? strlen(src) : 0;
    if (n >= size) {
        n = size - 1;
        /* Back off continuation bytes (10xxxxxx) and the lead byte they
         * belong to. */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    if (n > 0)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

void text_backspace(char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return;
    n--;
    /* Step back over UTF-8 continuation bytes (10xxxxxx). */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    s[n] = '\0';
}

int text_append(char *s, size_t size, unsigned c)
{
    char enc[4];
    size_t k;
    if (c < 0x80) {
        enc[0] = (char)c;
        k = 1;
    } else if (c < 0x800) {
        enc[0] = (char)(0xC0 | (c >> 6));
        enc[1] = (char)(0x80 | (c & 0x3F));
        k = 2;
    } else if (c < 0x10000) {
        enc[0] = (char)(0xE0 | (c >> 12));
        enc[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        enc[2] = (char)(0x80 | (c & 0x3F));
        k = 3;
    } else if (c < 0x110000) {
        enc[0] = (char)(0xF0 | (c >> 18));
        enc[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        enc[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        enc[3] = (char)(0x80 | (c & 0x3F));
        k = 4;
    } else {
        return -1;
    }
    size_t n = strlen(s);
    if (n + k + 1 > size)
        return -1;
    memcpy(s + n, enc, k);
    s[n + k] = '\0';
    return 0;
}
