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

struct db;

/* The rules in force on this handheld: the text an admin adopted (table
 * rules_in_force, audited as kind "rules"), else the built-in rules.  No
 * file, setting or environment variable changes them behind the chain's
 * back.  sha (may be NULL) gets the SHA-256 of the text in force ("" for
 * the built-in rules); source gets where it came from. */
int rules_in_force(struct db *db, struct rules *out, char sha[65], char *source,
                   size_t size);

/* Adopts the rules file at path as the rules in force (an admin's act):
 * parsed first (a bad file changes nothing), its text stored and audited
 * in one transaction.  1 adopted, 0 the same text was in force already. */
int rules_adopt(struct db *db, const char *path, const char *actor, char sha[65]);

#endif
