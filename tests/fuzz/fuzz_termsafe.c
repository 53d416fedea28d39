/* Fuzz target: text from anywhere made safe for a terminal and a CSV cell
 * (core/termsafe.h, report/csv.h).  What comes out must hold no control
 * character (C0, DEL, C1) and be valid UTF-8, and a CSV cell must never
 * start a formula; clean text passes unchanged. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/termsafe.h"
#include "core/utf8.h"
#include "report/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_safe(const char *s, size_t n)
{
    size_t bad;
    if (!utf8_valid(s, n, &bad))
        abort();
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
            abort();
        i += k;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0'; /* a C string: up to the first NUL */
    size_t cap = 5 * strlen(text) + 1;
    char *out = malloc(cap);
    if (out != NULL) {
        term_escape(text, out, cap);
        check_safe(out, strlen(out));
        if (term_clean(text) && strcmp(out, text) != 0)
            abort();
        /* A short buffer cuts, never leaves half an escape or character. */
        char small[16];
        term_escape(text, small, sizeof small);
        check_safe(small, strlen(small));
    }
    char *cell = NULL;
    size_t cell_len = 0;
    FILE *f = open_memstream(&cell, &cell_len);
    if (f != NULL) {
        csv_field(f, text);
        fclose(f);
        /* Quotes and CR/LF are the CSV's own: the rest must be safe. */
        const char *p = cell[0] == '"' ? cell + 1 : cell;
        if (p[0] == '=' || p[0] == '+' || p[0] == '-' || p[0] == '@')
            abort();
        check_safe(cell, cell_len);
        free(cell);
    }
    free(out);
    free(text);
    return 0;
}
