#include "report/csv.h"

#include <stdlib.h>
#include <string.h>

#include "core/termsafe.h"

/* Whether a cell starting with s is taken for a formula (csv.h). */
static int formula_start(const char *s)
{
    /* ＝ ＋ － ＠ (U+FF1D, U+FF0B, U+FF0D, U+FF20), as UTF-8: the forms a
     * Chinese input method types by default. */
    static const char *const fullwidth[] = {"\xef\xbc\x9d", "\xef\xbc\x8b", "\xef\xbc\x8d",
                                            "\xef\xbc\xa0"};
    if (s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
        return 1;
    for (size_t i = 0; i < sizeof fullwidth / sizeof fullwidth[0]; i++)
        if (strncmp(s, fullwidth[i], 3) == 0)
            return 1;
    return 0;
}

void csv_field(FILE *out, const char *s)
{
    if (s == NULL)
        return;
    char *escaped = NULL;
    const char *t = s;
    if (!term_clean(s)) {
        size_t size = 5 * strlen(s) + 1;
        if ((escaped = malloc(size)) != NULL)
            t = term_escape(s, escaped, size);
        else
            t = "";
    }
    int formula = formula_start(s);
    int quote = formula || strpbrk(t, ",\"\r\n") != NULL;
    if (quote)
        fputc('"', out);
    if (formula)
        fputc('\'', out);
    for (; *t; t++) {
        if (*t == '"')
            fputc('"', out);
        fputc(*t, out);
    }
    if (quote)
        fputc('"', out);
    free(escaped);
}
