/* The stored names of an enum, in one table per enum (the index is the
 * value): looked up here, so each parse is one line. */
#ifndef STALLCHECK_CORE_NAMES_H
#define STALLCHECK_CORE_NAMES_H

/* The index of text among names[0..n-1], or -1 (text NULL too). */
int names_index(const char *const *names, int n, const char *text);

#endif
