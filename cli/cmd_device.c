/* stallcheck device: this handheld's identity (device id and signing key,
 * db/device.h), what an admin reads off it to enrol it on the district,
 * and the admin's acts on it: a copied database given its own identity, the
 * district's public key trusted. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/acting.h"
#include "cli/cli.h"
#include "core/error.h"
#include "db/db.h"
#include "db/device.h"
#include "db/identity.h"
#include "db/sync.h"
#include "report/json.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck device show [--json]\n"
            "       stallcheck device new-identity [--as ADMIN]\n"
            "       stallcheck device trust-district URL --key KEY [--as ADMIN]\n"
            "This handheld's identity: its device id and the public half of its\n"
            "signing key (Ed25519), which every audit entry is signed with.  The\n"
            "secret key is made on first use and stays in this machine's key store\n"
            "($STALLCHECK_KEYS, else ~/.local/share/stallcheck/keys, mode 0700, one\n"
            "file per device, mode 0600); it never enters the database or a sync.\n\n"
            "  show           the device id and public key to enrol on the district\n"
            "                 (stallcheck district enrol), and whether this database\n"
            "                 may sign: a copy of another handheld's database may not\n"
            "  new-identity   (admin) give this database a new device id and key,\n"
            "                 keeping every record: for a copied or restored database;\n"
            "                 then enrol the new id on the district\n"
            "  trust-district (admin) trust the district's public key KEY, as the office\n"
            "                 shows it (stallcheck district key): registry changes are\n"
            "                 pulled only when signed by it; checked against URL first\n"
            "  --json         one JSON object\n"
            "  --as ADMIN     the admin signing in (the PIN asked, or one line of stdin)\n\n"
            "Exit status: 0 done; 1 an error; 3 (show) this database is a copy.\n");
}

static int show(struct db *db, int json)
{
    char pk[DEVICE_KEY_HEX] = "", path[1200] = "";
    int rc = identity_public_key(db, pk);
    int copy = rc == SC_ERR_DENIED;
    if (rc < 0 && !copy)
        return cli_fail("device", "%s", sc_error_message());
    char why[600] = "";
    if (copy)
        snprintf(why, sizeof why, "%s", sc_error_message());
    device_key_path(db_device_id(db), path, sizeof path);
    if (json) {
        printf("{\"device\":");
        json_string(stdout, db_device_id(db));
        printf(",\"public_key\":");
        json_string(stdout, pk);
        printf(",\"key_file\":");
        json_string(stdout, path);
        printf(",\"may_sign\":%s", copy ? "false" : "true");
        if (copy) {
            printf(",\"why\":");
            json_string(stdout, why);
        }
        printf("}\n");
    } else {
        printf("device      %s\n", db_device_id(db));
        printf("public key  %s\n", copy ? "(none here)" : pk);
        printf("key file    %s\n", path);
        if (copy)
            fprintf(stderr, "stallcheck: device: %s\n", why);
    }
    return copy ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

int cmd_device(int argc, char **argv)
{
    static const struct option options[] = {
        {"key", required_argument, NULL, 'k'},
        {"json", no_argument, NULL, 'j'},
        {"as", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int json = 0, c;
    const char *as = NULL, *key = NULL;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'a': as = optarg; break;
        case 'k': key = optarg; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("device", "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("device", "one of: show, new-identity, trust-district");
    const char *verb = argv[optind];
    int trust = strcmp(verb, "trust-district") == 0;
    if (strcmp(verb, "show") != 0 && strcmp(verb, "new-identity") != 0 && !trust)
        return cli_usage_error("device", "%s: one of show, new-identity, trust-district", verb);
    if (trust ? optind + 2 != argc || !key : optind + 1 != argc)
        return cli_usage_error("device", trust ? "trust-district URL --key KEY" : "%s: no "
                                                                                  "arguments",
                               verb);
    const char *path = cli_db_path();
    if (!path)
        return cli_fail("device", "%s", sc_error_message());
    struct db *db;
    if (db_open(path, &db) < 0)
        return cli_fail("device", "%s: %s", path, sc_error_message());
    int rc;
    struct acting acting;
    if (strcmp(verb, "show") == 0) {
        rc = show(db, json);
    } else if (trust) {
        if ((rc = cli_acting_require(db, "device", as, ROLE_ACT_USERS, NULL, &acting)) ==
            CLI_EXIT_OK) {
            char district[40];
            if (sync_trust_district(db, argv[optind + 1], key, acting.badge, district) < 0) {
                rc = cli_fail("device", "trust-district: %s", sc_error_message());
            } else {
                printf("district %s: its key is trusted here; registry changes pulled must be "
                       "signed by it\n",
                       district);
                rc = CLI_EXIT_OK;
            }
        }
    } else if ((rc = cli_acting_require(db, "device", as, ROLE_ACT_USERS, NULL, &acting)) ==
               CLI_EXIT_OK) {
        char old[DB_UUID_LEN], fresh[DB_UUID_LEN];
        snprintf(old, sizeof old, "%s", db_device_id(db));
        if (identity_new(db, fresh) < 0) {
            rc = cli_fail("device", "new-identity: %s", sc_error_message());
        } else {
            char pk[DEVICE_KEY_HEX] = "";
            identity_public_key(db, pk);
            if (json) {
                printf("{\"device\":");
                json_string(stdout, fresh);
                printf(",\"replaces\":");
                json_string(stdout, old);
                printf(",\"public_key\":");
                json_string(stdout, pk);
                printf("}\n");
            } else {
                printf("device %s replaces %s in this database; every record is kept.\n"
                       "public key %s\n"
                       "Enrol it on the district: stallcheck district enrol URL --device %s "
                       "--key %s\n",
                       fresh, old, pk, fresh, pk);
            }
            rc = CLI_EXIT_OK;
        }
    }
    db_close(db);
    return rc;
}
