/* The registry import: a CSV file of markets, stalls, operators and
 * instruments, validated row by row and across rows, then written in one
 * transaction (all or nothing).  Columns: README.md, "Registry and
 * officers"; data/registry-example.csv.
 *
 * Every problem is reported, not only the first, as "FILE:LINE: field: why"
 * through the error callback; then nothing is written.  Re-importing the
 * same file writes nothing (db/registry.h upserts only changes). */
#ifndef STALLCHECK_CLI_IMPORT_H
#define STALLCHECK_CLI_IMPORT_H

#include <stdint.h>

#include "db/db.h"

struct import_result {
    int64_t rows;
    int64_t markets, operators, stalls, instruments; /* distinct records in the file */
    int64_t changed;  /* records inserted or updated */
    int64_t errors;
};

struct import_options {
    int dry_run;      /* validate only */
    int progress;     /* draw a progress bar on stderr */
    void (*error)(void *arg, const char *message);  /* one line, no newline */
    void *arg;
};

/* 0 when imported (or valid, in a dry run); SC_ERR_PARSE when the file had
 * errors (each reported; count in result->errors); other SC_ERR_* when the
 * file cannot be read or the database fails. */
int import_registry(struct db *db, const char *path, const struct import_options *opt,
                    struct import_result *result);

/* Whether s is a registry code (market, stall, instrument, weight set):
 * 1 to REG_CODE - 1 letters, digits, '-', '_', '.', '/'. */
int import_code_ok(const char *s);

#endif
