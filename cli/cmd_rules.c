/* stallcheck rules: the scoring rules in force on this handheld, and an
 * admin adopting a rules file (db/rules_file.h): the text enters the audit
 * chain, so what decides the red and black lists is on record. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/acting.h"
#include "cli/cli.h"
#include "core/error.h"
#include "core/rules.h"
#include "db/db.h"
#include "db/rules_file.h"
#include "report/json.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck rules show [--json]\n"
            "       stallcheck rules adopt FILE [--as ADMIN]\n"
            "The scoring rules in force (data/rules.ini's keys): the built-in rules until\n"
            "an admin adopts a file.  Adopting stores the file's text in the database and\n"
            "in the audit chain; every status stored from then on is computed under it,\n"
            "and moving or editing the file changes nothing.  --rules FILE on lists or\n"
            "score computes with other rules for that command only.\n\n"
            "  show         where the rules in force come from and their SHA-256\n"
            "  adopt FILE   (admin) check FILE and make it the rules in force\n"
            "  --json       one JSON object\n"
            "  --as ADMIN   the admin signing in (PIN asked, or one line of stdin)\n");
}

int cmd_rules(int argc, char **argv)
{
    static const struct option options[] = {
        {"json", no_argument, NULL, 'j'},
        {"as", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int json = 0, c;
    const char *as = NULL;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'a': as = optarg; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("rules", "unknown option");
        }
    }
    int adopt = optind < argc && strcmp(argv[optind], "adopt") == 0;
    int show = optind < argc && strcmp(argv[optind], "show") == 0;
    if (!(adopt && optind + 2 == argc) && !(show && optind + 1 == argc))
        return cli_usage_error("rules", "show, or adopt FILE");
    const char *path = cli_db_path();
    if (!path)
        return cli_fail("rules", "%s", sc_error_message());
    struct db *db;
    if (db_open(path, &db) < 0)
        return cli_fail("rules", "%s: %s", path, sc_error_message());
    int rc = CLI_EXIT_OK;
    char sha[65] = "", source[300] = "";
    if (adopt) {
        struct acting acting;
        if ((rc = cli_acting_require(db, "rules", as, ROLE_ACT_REGISTRY, NULL, &acting)) != 0)
            goto out;
        int changed = rules_adopt(db, argv[optind + 1], acting.badge, sha);
        if (changed < 0) {
            rc = cli_fail("rules", "adopt: %s", sc_error_message());
            goto out;
        }
        printf(changed ? "%s is now the rules in force (sha256 %s), recorded in the audit "
                         "chain\n"
                       : "%s is the rules in force already (sha256 %s)\n",
               argv[optind + 1], sha);
        goto out;
    }
    struct rules r;
    if (rules_in_force(db, &r, sha, source, sizeof source) < 0) {
        rc = cli_fail("rules", "%s", sc_error_message());
        goto out;
    }
    if (json) {
        printf("{\"source\":");
        json_string(stdout, source);
        printf(",\"sha256\":");
        json_string(stdout, sha);
        printf("}\n");
    } else {
        printf("rules in force: %s%s%s\n", source, sha[0] ? ", sha256 " : "", sha);
    }
out:
    db_close(db);
    return rc;
}
