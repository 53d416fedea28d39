/* stallcheck settings: the handheld's settings that papers and the public
 * site print (the public base URL of QR codes, the issuing body). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/acting.h"
#include "cli/cli.h"
#include "core/error.h"
#include "db/db.h"
#include "db/zone.h"
#include "report/json.h"
#include "report/site_path.h"

struct known {
    const char *key;
    const char *about;
    int (*valid)(const char *value);
};

static int valid_url(const char *v) { return site_base_valid(v); }

static int valid_text(const char *v)
{
    /* One line of printable text: it goes on paper and into HTML. */
    if (*v == '\0' || strlen(v) > 200)
        return 0;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

static int valid_zone(const char *v) { return zone_known(v); }
static int valid_minutes(const char *v)
{
    /* The TUI's idle lock: 1 to 120 whole minutes. */
    char *end;
    long m = strtol(v, &end, 10);
    return *v != '\0' && *end == '\0' && m >= 1 && m <= 120;
}

static const struct known known[] = {
    {SITE_BASE_SETTING,
     "the http(s) address the public site is served at; every QR code on a paper "
     "opens a page under it",
     valid_url},
    {"issuing_body", "the body that issues certificates and publishes the site "
                     "(e.g. 某某区市场监督管理局)",
     valid_text},
    /* What a certificate names of its issuer (JJF 1069-2012, JJF 1002-2010):
     * the authorisation to verify (计量授权证书号) and how to reach it. */
    {"issuing_body.authorisation", "its authorisation number (计量授权证书号, e.g. (闽)法计(2024)01002号)",
     valid_text},
    {"issuing_body.address", "its address, on every certificate", valid_text},
    {"issuing_body.phone", "its telephone, on every certificate", valid_text},
    {"issuing_body.email", "its e-mail, on every certificate", valid_text},
    {ZONE_SETTING, "the bureau's time zone (IANA name; default " ZONE_DEFAULT "): verification, "
                   "validity and due dates are its local dates",
     valid_zone},
    {"receipt_printer", "the fair-scale station's receipt printer: a serial port "
                        "(/dev/rfcomm0) or tcp-raw/HOST/PORT",
     valid_text},
    {"lock_minutes", "the handheld locks after this many minutes without a key (1 to 120; "
                     "default 5); either officer's PIN opens it, nothing typed is lost",
     valid_minutes},
};

static const struct known *find(const char *key)
{
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i].key, key) == 0)
            return &known[i];
    return NULL;
}

static void usage(FILE *out)
{
    fprintf(out, "Usage: stallcheck settings [--json]\n"
                 "       stallcheck settings KEY\n"
                 "       stallcheck settings KEY VALUE [--as BADGE]\n"
                 "Shows or sets a setting of this database (setting one: role admin).\n\n");
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        fprintf(out, "  %-27s %s\n", known[i].key, known[i].about);
    fprintf(out, "\nExit status: 0 done, 1 error (an unset KEY, a VALUE refused), 2 usage.\n");
}

int cmd_settings(int argc, char **argv)
{
    static const struct option options[] = {{"as", required_argument, NULL, 'a'},
                                            {"json", no_argument, NULL, 'j'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    const char *as = NULL;
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'a': as = optarg; break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    int nargs = argc - optind;
    if (nargs > 2)
        return cli_usage_error("settings", "unexpected argument '%s'", argv[optind + 2]);
    const struct known *k = nargs > 0 ? find(argv[optind]) : NULL;
    if (nargs > 0 && k == NULL)
        return cli_usage_error("settings", "no setting '%s'", argv[optind]);
    if (nargs == 2 && !k->valid(argv[optind + 1]))
        return cli_usage_error("settings", "%s: '%s' refused: %s", k->key, argv[optind + 1],
                               k->about);
    const char *path = cli_db_path();
    struct db *db = NULL;
    if (path == NULL || db_open(path, &db) < 0)
        return cli_fail("settings", "%s", sc_error_message());
    int rc = CLI_EXIT_OK;
    char value[512];
    if (nargs == 2) {
        struct acting who;
        rc = cli_acting_require(db, "settings", as, ROLE_ACT_REGISTRY, NULL, &who);
        if (rc == CLI_EXIT_OK && db_setting_set(db, k->key, argv[optind + 1]) < 0)
            rc = cli_fail("settings", "%s", sc_error_message());
    } else if (nargs == 1) {
        if (db_setting_get(db, k->key, value, sizeof value) < 0)
            rc = cli_fail("settings", "%s is not set", k->key);
        else
            printf("%s\n", value);
    } else {
        if (json)
            printf("{");
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
            int set = db_setting_get(db, known[i].key, value, sizeof value) == 0;
            if (json) {
                printf("%s\"%s\":", i ? "," : "", known[i].key);
                json_string(stdout, set ? value : NULL);
            } else {
                printf("%-27s %s\n", known[i].key, set ? value : "(not set)");
            }
        }
        if (json)
            printf("}\n");
    }
    db_close(db);
    return rc;
}
