#include "core/utf8.h"

#include <locale.h>
#include <pthread.h>
#include <string.h>
#include <wchar.h>

size_t utf8_decode(const char *s, size_t left, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (left == 0)
        return 0;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    size_t n;
    uint32_t c, min;
    if ((u[0] & 0xE0) == 0xC0) { n = 2; c = u[0] & 0x1F; min = 0x80; }
    else if ((u[0] & 0xF0) == 0xE0) { n = 3; c = u[0] & 0x0F; min = 0x800; }
    else if ((u[0] & 0xF8) == 0xF0) { n = 4; c = u[0] & 0x07; min = 0x10000; }
    else return 0;
    if (n > left)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

int utf8_valid(const char *s, size_t n, size_t *bad)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            if (bad)
                *bad = i;
            return 0;
        }
        i += k;
    }
    return 1;
}

/* wcwidth answers for the calling thread's LC_CTYPE, which is "C" (every
 * non-ASCII character -1) in the CLI's tests and anywhere LANG is unset:
 * ask it under a C.UTF-8 locale object instead.  glibc's UTF-8 locales
 * share one width table, the one ncursesw uses in the user's locale. */
static locale_t utf8_locale;
static pthread_once_t utf8_once = PTHREAD_ONCE_INIT;

static void utf8_locale_init(void)
{
    utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

/* wcwidth of cp: -1 for a control or unprintable character. */
static int cp_wcwidth(uint32_t cp)
{
    if (cp < 0x80)
        return cp < 0x20 || cp == 0x7F ? -1 : 1;
    pthread_once(&utf8_once, utf8_locale_init);
    locale_t old = utf8_locale != (locale_t)0 ? uselocale(utf8_locale) : (locale_t)0;
    int w = wcwidth((wchar_t)cp);
    if (old != (locale_t)0)
        uselocale(old);
    return w;
}

int utf8_cp_width(uint32_t cp)
{
    int w = cp_wcwidth(cp);
    return w < 0 ? 1 : w; /* drawn as one U+FFFD */
}

size_t utf8_next(const char *s, size_t left, struct utf8_char *c)
{
    uint32_t cp = 0xFFFD;
    size_t n = utf8_decode(s, left, &cp);
    int w = n > 0 ? cp_wcwidth(cp) : -1;
    c->replaced = w < 0;
    c->cp = w < 0 ? 0xFFFD : cp;
    c->len = n > 0 ? n : 1;
    c->width = w < 0 ? 1 : w;
    return c->len;
}

int utf8_width(const char *s)
{
    int cols = 0;
    size_t left = s != NULL ? strlen(s) : 0;
    while (left > 0) {
        struct utf8_char c;
        size_t n = utf8_next(s, left, &c);
        cols += c.width;
        s += n;
        left -= n;
    }
    return cols;
}

const char *utf8_tail(const char *s, int cols)
{
    /* Drop whole characters from the front until the rest fits. */
    int width = utf8_width(s);
    size_t left = strlen(s);
    while (width > cols && left > 0) {
        struct utf8_char c;
        size_t n = utf8_next(s, left, &c);
        width -= c.width;
        s += n;
        left -= n;
    }
    return s;
}

int utf8_fit(const char *s, int cols, char *buf, size_t size, int flags)
{
    if (size == 0)
        return 0;
    if (cols < 0)
        cols = 0;
    size_t len = 0, left = s != NULL ? strlen(s) : 0;
    int used = 0, limit = cols;
    /* With an ellipsis a cut text keeps one column for the mark: measure
     * first whether it fits whole. */
    int cut = (flags & UTF8_ELLIPSIS) && cols > 0 && utf8_width(s) > cols;
    if (cut)
        limit = cols - 1;
    while (left > 0) {
        struct utf8_char c;
        size_t n = utf8_next(s, left, &c);
        if (used + c.width > limit)
            break;
        const char *bytes = c.replaced ? UTF8_REPLACEMENT : s;
        size_t nb = c.replaced ? sizeof UTF8_REPLACEMENT - 1 : n;
        if (len + nb + 1 > size)
            break;
        memcpy(buf + len, bytes, nb);
        len += nb;
        used += c.width;
        s += n;
        left -= n;
    }
    if (cut && len + 2 <= size) {
        buf[len++] = '~';
        used++;
    }
    if (flags & UTF8_PAD)
        while (used < cols && len + 2 <= size) {
            buf[len++] = ' ';
            used++;
        }
    buf[len] = '\0';
    return used;
}

size_t utf8_copy(char *dst, size_t size, const char *src)
{
    if (size == 0)
        return 0;
    size_t n = src != NULL ? strlen(src) : 0;
    if (n >= size) {
        n = size - 1;
        /* Back off the continuation bytes (10xxxxxx) of the character that
         * the cut would split, and its lead byte. */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    if (n > 0)
        memcpy(dst, src, n);
    dst[n] = '\0';
    return n;
}
