#include "report/csv.h"

#include <stdlib.h>
#include <string.h>

#include "core/termsafe.h"

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
    int formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
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
