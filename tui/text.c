#include "tui/text.h"

#include <string.h>

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
