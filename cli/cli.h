/* The command line: main() in cli/main.c dispatches to one function per
 * subcommand.  Every subcommand parses its own options with getopt_long,
 * answers --help, prints data with --json where it has data, and reports
 * errors as "stallcheck: WHAT: WHY" on stderr (cli_fail). */
#ifndef STALLCHECK_CLI_CLI_H
#define STALLCHECK_CLI_CLI_H

#include <stddef.h>
#include <stdio.h>

/* Exit codes, documented in stallcheck.1 (EXIT STATUS) and README.md. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_ERROR = 1,   /* something failed: bad input, a device, the database */
    CLI_EXIT_USAGE = 2,   /* wrong options or arguments */
    CLI_EXIT_FAILED = 3,  /* the command worked and its check failed: a re-weigh
                             verdict of fail, a broken audit chain, ... */
};

typedef int (*cli_run_fn)(int argc, char **argv);

struct cli_command {
    const char *name;
    cli_run_fn run;
    const char *summary;
};

/* The database path: --db, else $STALLCHECK_DB, else
 * $XDG_DATA_HOME/stallcheck/stallcheck.db (~/.local/share/... when unset);
 * creates the default directory (0700) when missing.  NULL on failure, with
 * the reason in sc_error_message(). */
const char *cli_db_path(void);
void cli_set_db_path(const char *path);
/* 1 when neither --db nor $STALLCHECK_DB chose the database (demo keeps its
 * own file beside the default one). */
int cli_db_path_is_default(void);

/* The demo's database beside the default one (cmd_demo keeps it there), in
 * buf; NULL when --db or $STALLCHECK_DB chose another file. */
const char *cli_demo_db_path(char *buf, size_t size);

/* Opens the database (cli_db_path) for a command that reads the registry.
 * A database with no registry (no market) says so on stderr before the
 * command's own answer: that it was created just now, how to fill it, and
 * the demo's database when there is one.  0, or the exit code. */
struct db;
int cli_db_open(const char *what, struct db **out);

/* Prints "stallcheck: what: why" to stderr; returns CLI_EXIT_ERROR. */
int cli_fail(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "stallcheck: what: why" and a hint to try --help; CLI_EXIT_USAGE. */
int cli_usage_error(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A text typed for a record's field (a name, goods, a certificate number):
 * copied whole into dst, or refused before anything is stored when it is
 * not UTF-8, holds a control character (core/termsafe.h: a text is one
 * line) or is longer than the field (never cut, half a character or
 * not).  CLI_EXIT_OK, or prints "stallcheck: WHAT: OPTION: why" and
 * returns CLI_EXIT_USAGE. */
int cli_text_field(const char *what, const char *option, char *dst, size_t size, const char *src);

/* Subcommands, one file each under cli/ (cmd_<area>.c). */
int cmd_tui(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_draw(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_officer(int argc, char **argv);
int cmd_demo_data(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_mpe(int argc, char **argv);
int cmd_reweigh(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_lists(int argc, char **argv);
int cmd_scorecard(int argc, char **argv);
int cmd_followup(int argc, char **argv);
int cmd_fairscale(int argc, char **argv);
int cmd_due(int argc, char **argv);
int cmd_certificate(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_weights(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_settings(int argc, char **argv);
int cmd_device(int argc, char **argv);
int cmd_district(int argc, char **argv);
int cmd_rules(int argc, char **argv);

#endif
