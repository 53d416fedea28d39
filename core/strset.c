/* A set of strings: see strset.h. */
#include "core/strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Grows to keep at least half the slots free (cap a power of two). */
int strset_add(struct strset *s, const char *key)
{
    if ((s->n + 1) * 2 > s->cap) {
        struct strset bigger = {calloc(s->cap ? s->cap * 2 : 256, sizeof(char *)),
                                s->cap ? s->cap * 2 : 256, 0};
        if (!bigger.v)
            return sc_error_set(SC_ERR_NOMEM, NULL);
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i]) {
                size_t j = fnv(s->v[i]) & (bigger.cap - 1);
                while (bigger.v[j])
                    j = (j + 1) & (bigger.cap - 1);
                bigger.v[j] = s->v[i];
                bigger.n++;
            }
        free(s->v);
        *s = bigger;
    }
    size_t j = fnv(key) & (s->cap - 1);
    while (s->v[j]) {
        if (strcmp(s->v[j], key) == 0)
            return 0;
        j = (j + 1) & (s->cap - 1);
    }
    if (!(s->v[j] = strdup(key)))
        return sc_error_set(SC_ERR_NOMEM, NULL);
    s->n++;
    return 1;
}

int strset_has(const struct strset *s, const char *key)
{
    if (!s->cap)
        return 0;
    size_t j = fnv(key) & (s->cap - 1);
    while (s->v[j]) {
        if (strcmp(s->v[j], key) == 0)
            return 1;
        j = (j + 1) & (s->cap - 1);
    }
    return 0;
}

void strset_free(struct strset *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}
