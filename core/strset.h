/* A set of strings (open addressing, FNV-1a): the ingest's ids seen in a
 * batch, looked up thousands of times a batch. */
#ifndef STALLCHECK_CORE_STRSET_H
#define STALLCHECK_CORE_STRSET_H

#include <stddef.h>

/* Zeroed is empty. */
struct strset {
    char **v;
    size_t cap, n;
};

/* Adds a copy of key: 1 added, 0 there already, SC_ERR_NOMEM. */
int strset_add(struct strset *s, const char *key);
/* 1 when key is in the set. */
int strset_has(const struct strset *s, const char *key);
void strset_free(struct strset *s);

#endif
