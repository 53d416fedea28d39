/* Text made safe for a terminal (see termsafe.h). */
#include "core/termsafe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

/* The escape for the character at s (n bytes decoded as cp, or n = 0 for an
 * invalid byte) into esc; "" when it passes as it is. */
static void escape_of(const unsigned char *s, size_t n, uint32_t cp, char esc[8])
{
    esc[0] = '\0';
    if (n == 0)
        snprintf(esc, 8, "\\x%02x", s[0]);
    else if (cp == '\n')
        snprintf(esc, 8, "\\n");
    else if (cp == '\r')
        snprintf(esc, 8, "\\r");
    else if (cp == '\t')
        snprintf(esc, 8, "\\t");
    else if (cp < 0x20 || cp == 0x7f)
        snprintf(esc, 8, "\\x%02x", (unsigned)cp);
    else if (cp >= 0x80 && cp <= 0x9f)
        snprintf(esc, 8, "\\u%04x", (unsigned)cp);
}

/* Walks s: fn gets each piece to write (a run of clean bytes, or one
 * escape); stops when fn returns non-zero. */
static int walk(const char *s, int (*fn)(const char *p, size_t n, void *arg), void *arg)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;
    size_t left = strlen(s);
    while (left > 0) {
        uint32_t cp = 0;
        size_t n = utf8_decode((const char *)p, left, &cp);
        char esc[8];
        escape_of(p, n, cp, esc);
        size_t step = n ? n : 1;
        if (esc[0] != '\0') {
            int rc;
            if ((p > run && (rc = fn((const char *)run, (size_t)(p - run), arg)) != 0) ||
                (rc = fn(esc, strlen(esc), arg)) != 0)
                return rc;
            run = p + step;
        }
        p += step;
        left -= step;
    }
    return p > run ? fn((const char *)run, (size_t)(p - run), arg) : 0;
}

int term_clean(const char *s)
{
    const char *p = s;
    size_t left = strlen(s);
    while (left > 0) {
        uint32_t cp = 0;
        size_t n = utf8_decode(p, left, &cp);
        char esc[8];
        escape_of((const unsigned char *)p, n, cp, esc);
        if (esc[0] != '\0')
            return 0;
        p += n;
        left -= n;
    }
    return 1;
}

struct sink {
    char *out;
    size_t size, len;
};

static int to_buffer(const char *p, size_t n, void *arg)
{
    struct sink *b = arg;
    if (b->len + n + 1 > b->size) {
        /* A clean run may be cut, but only at a character boundary. */
        if (p[0] != '\\' || n == 1) {
            size_t room = b->size - b->len - 1, cut = 0;
            while (cut < room) {
                uint32_t cp;
                size_t k = utf8_decode(p + cut, n - cut, &cp);
                if (k == 0 || cut + k > room)
                    break;
                cut += k;
            }
            memcpy(b->out + b->len, p, cut);
            b->len += cut;
        }
        return 1;
    }
    memcpy(b->out + b->len, p, n);
    b->len += n;
    return 0;
}

char *term_escape(const char *s, char *out, size_t size)
{
    if (size == 0)
        return out;
    struct sink b = {out, size, 0};
    walk(s ? s : "", to_buffer, &b);
    out[b.len] = '\0';
    return out;
}

static int to_file(const char *p, size_t n, void *arg)
{
    return fwrite(p, 1, n, arg) == n ? 0 : EOF;
}

int term_fputs(const char *s, FILE *f)
{
    return walk(s ? s : "", to_file, f) == 0 ? 0 : EOF;
}

/* The escaped copy of s, malloc'd (NULL when out of memory). */
static char *escaped_dup(const char *s)
{
    size_t size = 5 * strlen(s) + 1; /* \xNN is the longest escape per byte */
    char *out = malloc(size);
    return out ? term_escape(s, out, size) : NULL;
}

/* Each conversion of fmt is handed to vfprintf-like fprintf on its own, its
 * argument taken with the type its length modifier says; a %s argument is
 * escaped first.  The format is the program's literal, checked by the
 * compiler at each call through the attribute. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
int term_vprintf(FILE *f, const char *fmt, va_list ap)
{
    int total = 0;
    const char *p = fmt;
    while (*p) {
        const char *pct = strchr(p, '%');
        size_t lit = pct ? (size_t)(pct - p) : strlen(p);
        if (lit) {
            if (fwrite(p, 1, lit, f) != lit)
                return -1;
            total += (int)lit;
            p += lit;
            continue;
        }
        /* One conversion: % flags width .precision length conv */
        char spec[32];
        size_t n = strspn(p + 1, "-+ #0'123456789.*hlLqjzt") + 2;
        if (n >= sizeof spec || p[n - 1] == '\0')
            return -1;
        memcpy(spec, p, n);
        spec[n] = '\0';
        p += n;
        char conv = spec[n - 1];
        int stars[2], nstars = 0;
        for (const char *q = spec; *q; q++)
            if (*q == '*' && nstars < 2)
                stars[nstars++] = va_arg(ap, int);
        int longs = 0, size_t_ = 0, short_ = 0, intmax = 0, ptrdiff = 0;
        for (const char *q = spec + 1; q < spec + n - 1; q++) {
            longs += *q == 'l';
            size_t_ |= *q == 'z';
            short_ |= *q == 'h';
            intmax |= *q == 'j';
            ptrdiff |= *q == 't';
        }
        (void)short_; /* h and hh arguments arrive promoted to int */
        int w;
#define EMIT(value)                                                                 \
    (nstars == 2 ? fprintf(f, spec, stars[0], stars[1], value)                      \
     : nstars == 1 ? fprintf(f, spec, stars[0], value)                              \
                   : fprintf(f, spec, value))
        switch (conv) {
        case '%':
            w = fputc('%', f) == EOF ? -1 : 1;
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            char *e = escaped_dup(s ? s : "(null)");
            if (!e)
                return -1;
            w = EMIT(e);
            free(e);
            break;
        }
        case 'c':
            w = EMIT(va_arg(ap, int));
            break;
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
            if (size_t_)
                w = EMIT(va_arg(ap, size_t));
            else if (intmax)
                w = EMIT(va_arg(ap, intmax_t));
            else if (ptrdiff)
                w = EMIT(va_arg(ap, ptrdiff_t));
            else if (longs >= 2)
                w = EMIT(va_arg(ap, long long));
            else if (longs == 1)
                w = EMIT(va_arg(ap, long));
            else
                w = EMIT(va_arg(ap, int));
            break;
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G':
            w = EMIT(va_arg(ap, double));
            break;
        case 'p':
            w = EMIT(va_arg(ap, void *));
            break;
        default:
            return -1; /* %n and the rest are never used */
        }
#undef EMIT
        if (w < 0)
            return -1;
        total += w;
    }
    return total;
}
#pragma GCC diagnostic pop

int term_printf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = term_vprintf(f, fmt, ap);
    va_end(ap);
    return n;
}
