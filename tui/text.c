#include "tui/text.h"

#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

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

/* Part of a word or a number for wrapping: Latin letters, digits, and the
 * signs inside numbers and units ("0.36", "-2.5", "kg/m", "5%"), and the
 * yuan sign before an amount.  Other punctuation may end a line. */
static int word_char(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
           cp == '.' || cp == '+' || cp == '-' || cp == '/' || cp == '%' || cp == '\'' ||
           cp == '_' || cp == 0xA5;
}

/* An opening bracket stays with what follows it; a closing one and
 * trailing punctuation with what comes before. */
static int opens(uint32_t cp)
{
    return cp == '(' || cp == '[' || cp == '{' || cp == 0xFF08 /* （ */ || cp == 0x201C ||
           cp == 0x300A /* 《 */;
}

static int closes(uint32_t cp)
{
    return cp == ')' || cp == ']' || cp == '}' || cp == ',' || cp == '.' || cp == ';' ||
           cp == ':' || cp == '!' || cp == '?' || cp == 0xFF09 /* ） */ || cp == 0xFF0C /* ， */ ||
           cp == 0x3002 /* 。 */ || cp == 0x3001 /* 、 */ || cp == 0xFF1A /* ： */ ||
           cp == 0xFF1B /* ； */ || cp == 0x201D || cp == 0x300B /* 》 */;
}

static int digit_at(const char *s, size_t i, size_t len)
{
    return i < len && s[i] >= '0' && s[i] <= '9';
}

/* "30 g", "20 C", "5 min": a number and the short unit after it. */
static int unit_after(const char *s, size_t digit, size_t len)
{
    if (!digit_at(s, digit, len))
        return 0;
    size_t i = digit + 2, n = 0;
    while (i + n < len && ((s[i + n] >= 'a' && s[i + n] <= 'z') || (s[i + n] >= 'A' && s[i + n] <= 'Z')))
        n++;
    return n >= 1 && n <= 3;
}

/* A line may break before position at, whose character is cp, after prev:
 * after a space not next to a digit, or between two characters that are
 * not both of a word. */
static int breaks_before(const char *text, size_t len, size_t at, uint32_t prev, uint32_t cp)
{
    if (at == 0 || cp == ' ' || opens(prev) || closes(cp))
        return 0;
    if (prev == ' ')
        return !(at >= 2 && unit_after(text, at - 2, len));
    return !(word_char(prev) && word_char(cp));
}

size_t text_wrap(const char *text, int cols, size_t *next)
{
    size_t len = strlen(text), at = 0, brk = 0;
    int used = 0;
    uint32_t prev = 0;
    while (at < len) {
        struct utf8_char c;
        size_t n = utf8_next(text + at, len - at, &c);
        if (breaks_before(text, len, at, prev, c.cp))
            brk = at;
        if (used + c.width > cols)
            break;
        used += c.width;
        prev = c.cp;
        at += n;
    }
    if (at >= len) {
        *next = len;
        return len;
    }
    /* Spaces after the fitted part start no line: skip them, and break
     * there if no space is next to a digit. */
    size_t sp = at;
    while (sp < len && text[sp] == ' ')
        sp++;
    if (sp > at && sp < len && !(sp == at + 1 && unit_after(text, at - 1, len)))
        brk = sp;
    if (brk == 0)
        brk = at; /* one word longer than the line: cut it */
    size_t line = brk;
    while (line > 0 && text[line - 1] == ' ')
        line--;
    *next = brk;
    return line;
}

/* The end of the field starting at text (two spaces or the end end it). */
static size_t field_end(const char *text)
{
    const char *two = strstr(text, "  ");
    return two != NULL ? (size_t)(two - text) : strlen(text);
}

void text_fields(const char *text, int cols, char *line, size_t size, size_t *next)
{
    size_t len = strlen(text);
    line[0] = '\0';
    if (utf8_width(text) <= cols) {
        utf8_copy(line, size, text);
        *next = len;
        return;
    }
    size_t at = 0, used = 0;
    int width = 0;
    while (at < len) {
        size_t n = field_end(text + at);
        char field[256];
        snprintf(field, sizeof field, "%.*s", (int)n, text + at);
        int w = utf8_width(field) + (width > 0);
        if (width + w > cols)
            break;
        if (used + n + 2 > size)
            break;
        if (width > 0)
            line[used++] = ' ';
        memcpy(line + used, field, n);
        used += n;
        line[used] = '\0';
        width += w;
        at += n;
        while (text[at] == ' ')
            at++;
    }
    if (width == 0) {
        /* One field wider than the line: wrapped like any text. */
        size_t nx, n = text_wrap(text, cols, &nx);
        snprintf(line, size, "%.*s", (int)n, text);
        at = nx;
    }
    *next = at;
}
