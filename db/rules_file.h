/* Reading the scoring rules file (INI, libinih) into core's struct rules.
 * Keys missing from the file keep their built-in defaults (data/rules.ini).
 * Errors name the place: "FILE:LINE: [section] key: why". */
#ifndef STALLCHECK_DB_RULES_FILE_H
#define STALLCHECK_DB_RULES_FILE_H

#include "core/rules.h"

/* Loads path over the defaults.  SC_ERR_IO when it cannot be read,
 * SC_ERR_PARSE / SC_ERR_NOTFOUND / SC_ERR_RANGE / SC_ERR_INCONSISTENT with
 * "FILE:LINE: why" in sc_error_message(). */
int rules_file_load(const char *path, struct rules *out);

/* The same from a string (name is used in messages). */
int rules_file_parse(const char *name, const char *text, struct rules *out);

/* The rules in force: path when given, else the built-in defaults (never
 * the environment: rules decide scores and lists).  Returns 0 or a
 * negative SC_ERR_*. */
int rules_file_resolve(const char *path, struct rules *out);

#endif
