/* stallcheck import, stallcheck officer. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/acting.h"
#include "cli/cli.h"
#include "cli/import.h"
#include "cli/pin.h"
#include "core/error.h"
#include "core/roles.h"
#include "core/termsafe.h"
#include "db/db.h"
#include "db/officer.h"
#include "report/json.h"

/* ---- import ---- */

static void import_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck import [--dry-run] [--json] [--as ADMIN] FILE.csv\n"
            "Loads markets, stall operators, stalls and instruments from a CSV file:\n"
            "one row per instrument (or per stall without one), market and stall columns\n"
            "repeated.  Every row is checked (licence check character, OIML R76 class,\n"
            "Max, Min, e, d; dates; duplicates); every problem is reported as\n"
            "FILE:LINE: field: why, and nothing is imported unless every row is good.\n"
            "Importing the same file again changes nothing.\n\n"
            "Columns (header names, any order; only market is required):\n"
            "  market market_name district address organiser\n"
            "  stall stall_name category licence operator phone\n"
            "  instrument kind maker model serial class max min e d\n"
            "  mark_no seal_no last_verified due protocol conn\n"
            "See README.md (Registry and officers) and data/registry-example.csv.\n\n"
            "Options:\n"
            "  --dry-run   check the file only, write nothing\n"
            "  --as ADMIN  the admin who signs in (the PIN asked, or one line of\n"
            "              stdin); not needed while the database has no officers\n"
            "  --json      the summary as one JSON object\n"
            "  --help      this text\n\n"
            "Exit status: 0 imported, 1 errors in the file (nothing imported) or a\n"
            "database error, 2 usage.\n");
}

static void print_error(void *arg, const char *msg)
{
    (void)arg;
    term_printf(stderr, "%s\n", msg); /* quotes the file's values */
}

int cmd_import(int argc, char **argv)
{
    static const struct option options[] = {
        {"dry-run", no_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {"as", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int dry_run = 0, json = 0, c;
    const char *as = NULL;
    while ((c = getopt_long(argc, argv, "nhja:", options, NULL)) != -1) {
        switch (c) {
        case 'n': dry_run = 1; break;
        case 'a': as = optarg; break;
        case 'j': json = 1; break;
        case 'h': import_usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("import", "unknown option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("import", "give one CSV file");
    const char *file = argv[optind];
    const char *path = cli_db_path();
    if (path == NULL)
        return cli_fail("import", "%s", sc_error_message());
    struct db *db;
    if (db_open(path, &db) < 0)
        return cli_fail("import", "%s", sc_error_message());
    struct acting who;
    if (cli_acting_require(db, "import", as, ROLE_ACT_REGISTRY, NULL, &who) != CLI_EXIT_OK) {
        db_close(db);
        return CLI_EXIT_ERROR;
    }
    struct import_options opt = {.dry_run = dry_run, .progress = isatty(STDERR_FILENO),
                                 .error = print_error};
    struct import_result res;
    int rc = import_registry(db, file, &opt, &res);
    db_close(db);
    if (rc < 0)
        return cli_fail("import", "%s", sc_error_message());
    if (json) {
        printf("{\"file\":");
        json_string(stdout, file);
        printf(",\"rows\":%lld,\"markets\":%lld,\"operators\":%lld,\"stalls\":%lld,"
               "\"instruments\":%lld,\"changed\":%lld,\"dry_run\":%s}\n",
               (long long)res.rows, (long long)res.markets, (long long)res.operators,
               (long long)res.stalls, (long long)res.instruments, (long long)res.changed,
               dry_run ? "true" : "false");
    } else {
        printf("%s: %lld rows: %lld markets, %lld operators, %lld stalls, %lld instruments\n",
               file, (long long)res.rows, (long long)res.markets, (long long)res.operators,
               (long long)res.stalls, (long long)res.instruments);
        if (dry_run)
            printf("checked; nothing written (--dry-run)\n");
        else
            printf("%lld records new or changed\n", (long long)res.changed);
    }
    return CLI_EXIT_OK;
}

/* ---- officer ---- */

static void officer_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck officer add --badge B --name NAME --role ROLE [--market M]\n"
            "                              [--as ADMIN]\n"
            "       stallcheck officer list [--json] [--as ADMIN]\n"
            "       stallcheck officer passwd BADGE [--as ADMIN]\n"
            "Officers and their PINs.  ROLE is officer (执法人员), metrology (计量检定人员),\n"
            "manager (市场管理方, needs --market) or admin.  A PIN is 4 to 12 digits,\n"
            "kept only as an Argon2id hash; 5 wrong PINs lock a badge for 15 minutes.\n\n"
            "An admin signs add, list (and passwd for someone else) with --as ADMIN.\n"
            "PINs are read without echo from a terminal, or one per line from stdin:\n"
            "the admin's, then the new PIN.  While the database has no officer at all,\n"
            "add needs no --as, and only an admin may be added; a database with\n"
            "officers but no active admin gets one only from the district (sync).\n"
            "passwd without --as changes your own PIN: the current one, then the new.\n\n"
            "Options:\n"
            "  --badge B      the badge number\n"
            "  --name NAME    the officer's name\n"
            "  --role ROLE    officer, metrology, manager, admin\n"
            "  --market M     a manager's market code\n"
            "  --as ADMIN     the admin who signs the change\n"
            "  --json         list: one JSON object per line\n"
            "  --help         this text\n\n"
            "Exit status: 0 done, 1 error (wrong PIN, locked, unknown badge), 2 usage.\n");
}

static int new_pin(const char *badge, char *pin, size_t size, const char *what)
{
    char prompt[96];
    snprintf(prompt, sizeof prompt, "New PIN for %s: ", badge);
    if (cli_read_pin(prompt, pin, size) < 0)
        return cli_fail(what, "%s", sc_error_message());
    if (!officer_pin_valid(pin))
        return cli_fail(what, "a PIN is %d to %d digits", OFFICER_PIN_MIN, OFFICER_PIN_MAX);
    if (isatty(STDIN_FILENO)) {
        char again[64];
        if (cli_read_pin("Repeat the new PIN: ", again, sizeof again) < 0)
            return cli_fail(what, "%s", sc_error_message());
        int same = strcmp(again, pin) == 0;
        sodium_memzero(again, sizeof again);
        if (!same)
            return cli_fail(what, "the two PINs differ; nothing changed");
    }
    return 0;
}

struct list_opts {
    int json;
};

static int print_officer(const struct officer *o, void *arg)
{
    const struct list_opts *lo = arg;
    char now[24];
    db_now(now, sizeof now);
    int locked = o->locked_until[0] && strcmp(now, o->locked_until) < 0;
    if (lo->json) {
        printf("{\"badge\":");
        json_string(stdout, o->badge);
        printf(",\"name\":");
        json_string(stdout, o->name);
        printf(",\"role\":\"%s\",\"market\":", officer_role_id(o->role));
        json_string(stdout, o->market[0] ? o->market : NULL);
        printf(",\"active\":%s,\"locked_until\":", o->active ? "true" : "false");
        json_string(stdout, locked ? o->locked_until : NULL);
        printf("}\n");
    } else {
        term_printf(stdout, "%-8s %-10s %-12s %s%s%s\n", o->badge, officer_role_id(o->role),
               o->market[0] ? o->market : "-", o->name, o->active ? "" : "  (inactive)",
               locked ? "  (locked)" : "");
    }
    return 0;
}

int cmd_officer(int argc, char **argv)
{
    static const struct option options[] = {
        {"badge", required_argument, NULL, 'b'},
        {"name", required_argument, NULL, 'n'},
        {"role", required_argument, NULL, 'r'},
        {"market", required_argument, NULL, 'm'},
        {"as", required_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *badge = NULL, *name = NULL, *role = NULL, *market = NULL, *as = NULL;
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "b:n:r:m:a:jh", options, NULL)) != -1) {
        switch (c) {
        case 'b': badge = optarg; break;
        case 'n': name = optarg; break;
        case 'r': role = optarg; break;
        case 'm': market = optarg; break;
        case 'a': as = optarg; break;
        case 'j': json = 1; break;
        case 'h': officer_usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("officer", "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("officer", "add, list or passwd?");
    const char *verb = argv[optind++];
    int add = strcmp(verb, "add") == 0, list = strcmp(verb, "list") == 0,
        passwd = strcmp(verb, "passwd") == 0;
    if (!add && !list && !passwd)
        return cli_usage_error("officer", "unknown subcommand '%s' (add, list, passwd)", verb);
    if (passwd && optind < argc)
        badge = argv[optind++];
    if (optind != argc)
        return cli_usage_error("officer", "unexpected argument '%s'", argv[optind]);
    struct officer o = {0};
    if (add) {
        if (!badge || !name || !role)
            return cli_usage_error("officer", "add needs --badge, --name and --role");
        if (officer_role_parse(role, &o.role) < 0)
            return cli_usage_error("officer", "%s", sc_error_message());
        if (cli_text_field("officer", "--badge", o.badge, sizeof o.badge, badge) != 0 ||
            cli_text_field("officer", "--name", o.name, sizeof o.name, name) != 0 ||
            cli_text_field("officer", "--market", o.market, sizeof o.market,
                           market ? market : "") != 0)
            return CLI_EXIT_USAGE;
    }
    if (passwd && !badge)
        return cli_usage_error("officer", "passwd needs a BADGE");
    const char *path = cli_db_path();
    if (path == NULL)
        return cli_fail("officer", "%s", sc_error_message());
    struct db *db;
    if (db_open(path, &db) < 0)
        return cli_fail("officer", "%s", sc_error_message());
    int rc = CLI_EXIT_OK;
    if (list) {
        struct list_opts lo = {json};
        struct acting who;
        if ((rc = cli_acting_require(db, "officer", as, ROLE_ACT_USERS, NULL, &who)) != 0) {
            db_close(db);
            return rc;
        }
        if (officer_list(db, print_officer, &lo) < 0)
            rc = cli_fail("officer", "%s", sc_error_message());
        db_close(db);
        return rc;
    }
    int open = cli_acting_is_open(db);
    if (open < 0) {
        rc = cli_fail("officer", "%s", sc_error_message());
    } else if (add && as == NULL && open) {
        /* Bootstrap: with no officer at all there is no one to sign; only
         * the first admin may be added this way.  Officers without an
         * active admin (an admin set inactive, a district pull) are not
         * this state: their admin comes from the district. */
        if (o.role != ROLE_ADMIN)
            rc = cli_usage_error("officer", "the database has no officer yet: add an admin "
                                            "first (--role admin)");
    } else if (add || as != NULL) {
        /* An admin signs the change (cli/acting.h). */
        struct acting who;
        rc = cli_acting_require(db, "officer", as, ROLE_ACT_USERS, NULL, &who);
    } else {
        rc = cli_acting_sign_in(db, "officer", badge); /* one's own PIN */
    }
    if (rc == CLI_EXIT_OK) {
        char pin[64];
        rc = new_pin(badge, pin, sizeof pin, "officer");
        if (rc == CLI_EXIT_OK) {
            int r = add ? officer_add(db, &o, pin) : officer_set_pin(db, badge, pin);
            if (r < 0)
                rc = cli_fail("officer", "%s", sc_error_message());
            else if (add)
                term_printf(stdout, "added %s %s (%s)\n", o.badge, o.name, officer_role_id(o.role));
            else
                printf("PIN changed for %s\n", badge);
        }
        sodium_memzero(pin, sizeof pin);
    }
    db_close(db);
    return rc;
}
