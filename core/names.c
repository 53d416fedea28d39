#include "core/names.h"

#include <string.h>

int names_index(const char *const *names, int n, const char *text)
{
    for (int i = 0; text != NULL && i < n; i++)
        if (names[i] != NULL && strcmp(text, names[i]) == 0)
            return i;
    return -1;
}
