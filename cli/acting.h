/* The acting officer of a command: who is signed in, with which role, and
 * whether that role may do what the command does (core/roles.h).
 *
 * The badge comes from --as BADGE, else $STALLCHECK_AS; the PIN from
 * $STALLCHECK_PIN (scripts), else it is asked on the terminal without echo,
 * else read as one line from stdin.  The PIN is checked by the officers'
 * table, so wrong PINs count towards its lockout (db/officer.h).
 *
 * Bootstrap: a database with no officer yet has no one to sign in, so
 * every command is open until the first officer exists (a fresh handheld
 * pulls its officers from the district with sync).  From then on a command
 * that needs a role refuses to run without a signed-in officer whose role
 * allows it. */
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

/* Signs in (once per process; later calls reuse it) and checks that the
 * officer may do action on market (NULL: no market in particular).
 * Returns CLI_EXIT_OK, or prints "stallcheck: WHAT: why" and returns
 * CLI_EXIT_ERROR (denied, locked, wrong PIN, no badge given). */
int cli_acting_require(struct db *db, const char *what, const char *as,
                       enum roles_action action, const char *market, struct acting *out);

/* For the read commands (score, lists, scorecard, followup, due), which
 * take no --as of their own: when $STALLCHECK_AS names an officer, signs
 * them in and checks ROLE_ACT_READ on *market; a manager with no market
 * given gets their own (*market is set to it).  Without $STALLCHECK_AS
 * the command runs as the console did before roles (the TUI always signs
 * in).  Returns CLI_EXIT_OK or prints why and returns CLI_EXIT_ERROR. */
int cli_acting_read(struct db *db, const char *what, const char **market);

#endif
