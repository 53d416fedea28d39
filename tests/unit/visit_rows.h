/* Test helper: every row one committed visit wrote, as canonical text, so
 * two paths that commit the same visit (db/visit.h directly, the TUI, the
 * fair-scale command, the demo generator) can be compared with one
 * assert_string_equal.  Linked into every unit test.
 *
 * One line per row, "table: column=value ...", tables in a fixed order:
 * the inspection, its findings (by item), re-weighs (by seq), measurements
 * (by their re-weigh's seq), earlier findings it closed, its audit entry,
 * its draft, the stall's stored status and the list entries it caused.
 * Text is escaped (\n, \\, \xNN), blobs are hex, NULL is NULL.  UUIDs are
 * replaced by "<uuid N>" in order of first appearance, so two databases
 * with other random ids compare equal when their rows are the same.  The
 * audit entry shows whether its content hash matches a rebuild from the
 * rows (db/audit.h), not the hash, which the ids feed; its chain hashes
 * depend on everything before it and are left out. */
#ifndef STALLCHECK_TESTS_VISIT_ROWS_H
#define STALLCHECK_TESTS_VISIT_ROWS_H

#include "db/db.h"

/* The rows of inspection id, malloc'd (free it); NULL on a database
 * error. */
char *visit_rows(struct db *db, const char *id);

#endif
