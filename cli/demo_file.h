/* Where demo-data puts its district: only ever a new file.
 *
 * A demo district has a known admin (PIN 1234) and a chosen device id, and
 * is built with the journal in memory and synchronous=OFF for speed
 * (db_bulk): none of that may touch a database someone uses.  So the
 * district is built in a hidden file beside the path (".NAME.demo-XXXXXX",
 * the same directory, so the last step is one rename), closed and synced,
 * and only then renamed into place with RENAME_NOREPLACE: a path that
 * exists, or appears meanwhile, is never written.  A run killed at any
 * moment leaves the path absent or whole, and every file that was there as
 * it was; SIGINT, SIGTERM and SIGHUP remove the hidden file, SIGKILL may
 * leave it behind. */
#ifndef STALLCHECK_CLI_DEMO_FILE_H
#define STALLCHECK_CLI_DEMO_FILE_H

#include "cli/demo_data.h"

/* Builds the district of opt into a new database at path.  SC_ERR_EXISTS
 * when path exists (even an empty file): nothing is changed then. */
int demo_file_build(const char *path, const struct demo_options *opt, struct demo_result *res);

#endif
