/* stallcheck: main() and the subcommand table. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "tui/i18n.h"

#ifndef STALLCHECK_VERSION
#define STALLCHECK_VERSION "0.1.0"
#endif

/* One row per subcommand; `stallcheck --help` is generated from it. */
static const struct cli_command commands[] = {
    {"demo",      cmd_demo,      "demo database + simulated scale, then the TUI"},
    {"tui",       cmd_tui,       "the inspection screens (the default)"},
    {"draw",      cmd_draw,      "the random draw of stalls and officers (双随机)"},
    {"import",    cmd_import,    "load markets, stalls, operators, instruments from CSV"},
    {"officer",   cmd_officer,   "add, list officers; change a PIN"},
    {"demo-data", cmd_demo_data, "build a synthetic district from a seed"},
    {"read",      cmd_read,      "readings from a scale or meter"},
    {"decode",    cmd_decode,    "decode protocol bytes from stdin"},
    {"sim",       cmd_sim,       "serve a simulated device on a pseudo-terminal"},
    {"mpe",       cmd_mpe,       "maximum permissible error of a weighing instrument"},
    {"reweigh",   cmd_reweigh,   "re-weigh (复秤) verdict against the retail table"},
    {"score",     cmd_score,     "a stall's integrity score, --why explains it"},
    {"lists",     cmd_lists,     "the red/black list (红黑榜)"},
    {"scorecard", cmd_scorecard, "scorecards as text, PDF or receipt"},
    {"followup",  cmd_followup,  "stalls due for re-inspection (限期整改)"},
    {"fairscale", cmd_fairscale, "a complaint re-weighed at the fair scale (公平秤)"},
    {"due",       cmd_due,       "instruments due or overdue for verification"},
    {"certificate", cmd_certificate, "reprint a verification certificate or notice (检定证书)"},
    {"calibrate", cmd_calibrate, "calibrate a scale (校准, EURAMET cg-18): results with uncertainty"},
    {"weights",   cmd_weights,   "reference weight sets (砝码) for verification"},
    {"sync",      cmd_sync,      "exchange records with the district database"},
    {"verify",    cmd_verify,    "check the audit chain for tampering"},
    {"publish",   cmd_publish,   "the public site and open data (一公开)"},
    {"settings",  cmd_settings,  "show or set the public base URL, the issuing body"},
    {"device",    cmd_device,    "this handheld's device id and signing key"},
    {"district",  cmd_district,  "the district office: enrol handhelds, ingest, lists"},
    {"rules",     cmd_rules,     "the scoring rules in force; an admin adopts a file"},
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck [--db PATH] [COMMAND [OPTIONS]]\n"
            "Market-stall and metrology spot checks.  Without a command, the TUI.\n\n"
            "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s  %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\nOptions:\n"
            "  --db PATH    the database (default $STALLCHECK_DB, else\n"
            "               $XDG_DATA_HOME/stallcheck/stallcheck.db)\n"
            "  --version    print the version\n"
            "  --help       this text; COMMAND --help for a command's own\n\n"
            "Exit status: 0 success, 1 error, 2 usage error, 3 a check failed.\n");
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    /* The catalogues bound for every command: papers are made in Chinese
     * (report/lang.h) whatever the terminal's language. */
    i18n_init(NULL);
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    /* "+": stop at the first non-option, the subcommand. */
    while ((c = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            cli_set_db_path(optarg);
            break;
        case 'V':
            printf("stallcheck %s\n", STALLCHECK_VERSION);
            return CLI_EXIT_OK;
        case 'h':
            usage(stdout);
            return CLI_EXIT_OK;
        default:
            usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    const char *name = optind < argc ? argv[optind] : "tui";
    int sub_argc = optind < argc ? argc - optind : 1;
    static char tui_name[] = "tui"; /* -Wwrite-strings: argv is char ** */
    char *tui_argv[] = {tui_name, NULL};
    char **sub_argv = optind < argc ? argv + optind : tui_argv;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            optind = 0; /* getopt_long restarts for the subcommand */
            return commands[i].run(sub_argc, sub_argv);
        }
    }
    fprintf(stderr, "stallcheck: %s: no such command\n", name);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
