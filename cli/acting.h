/* The acting officer of a command: who is signed in, with which role, and
 * whether that role may do what the command does (core/roles.h).
 *
 * The badge comes from --as BADGE only; the PIN is asked on the terminal
 * without echo, else read as one line from stdin (scripts pipe it in).
 * Nothing in the environment names an officer or a PIN: a variable is
 * inherited by every child of a shell and readable in /proc, and it would
 * act as a role for whoever sets it.  The PIN is checked by the officers'
 * table, so wrong PINs count towards its lockout (db/officer.h).
 *
 * Bootstrap: a database with no officer at all has no one to sign in, so
 * it is open until the first officer exists (the first admin, added
 * without --as; a fresh handheld pulls its officers from the district with
 * sync).  A database that has officers but no active admin is not open:
 * only an admin may add one.  From then on every command that reads the
 * registry or the records, or changes them, signs in and is checked; a
 * plain sync is the one exception (cli/cmd_sync.c says why: it shows no
 * record, and takes in only the district's signed registry rows and a copy
 * of its lists). */
#ifndef STALLCHECK_CLI_ACTING_H
#define STALLCHECK_CLI_ACTING_H

#include "core/roles.h"
#include "db/db.h"

struct acting {
    char badge[24];           /* "" when open (bootstrap) */
    enum roles_role role;     /* ROLES_NONE when open */
    char market[48];          /* a manager's own market */
    int open;                 /* no officers in this database yet */
};

/* Signs in as BADGE (once per process; later calls reuse it) without a role
 * check yet: for commands that must know who asks before they look
 * anything up.  CLI_EXIT_OK, or prints why and returns CLI_EXIT_ERROR. */
int cli_acting_sign_in(struct db *db, const char *what, const char *as);

/* Signs in as BADGE (once per process; later calls reuse it) and checks
 * that the officer may do action on market (NULL: no market in
 * particular).  Returns CLI_EXIT_OK, or prints "stallcheck: WHAT: why" and
 * returns CLI_EXIT_ERROR (denied, locked, wrong PIN, no --as given). */
int cli_acting_require(struct db *db, const char *what, const char *as,
                       enum roles_action action, const char *market, struct acting *out);

/* Signs in as BADGE and checks that the role may do action at all (a
 * manager: in their own market), for a command that learns the market only
 * from what it looks up; it then calls cli_acting_require with that market.
 * Returns CLI_EXIT_OK or prints why and returns CLI_EXIT_ERROR. */
int cli_acting_may(struct db *db, const char *what, const char *as, enum roles_action action,
                   struct acting *out);

/* For the read commands (score, lists, scorecard, followup): signs in as
 * BADGE and checks ROLE_ACT_READ on *market; a manager with no market
 * given gets their own (*market is set to it).  Returns CLI_EXIT_OK or
 * prints why and returns CLI_EXIT_ERROR. */
int cli_acting_read(struct db *db, const char *what, const char *as, const char **market);

/* 1 when the database has no officer at all (the open first-run state),
 * 0 when it has, or SC_ERR_*. */
int cli_acting_is_open(struct db *db);

#endif
