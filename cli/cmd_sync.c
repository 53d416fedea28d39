/* stallcheck sync (the district database) and stallcheck verify (the audit
 * chain).  The work is in db/sync.c and db/chain.c; this file parses
 * options, signs the officer in and prints. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/acting.h"
#include "cli/cli.h"
#include "core/error.h"
#include "core/termsafe.h"
#include "db/chain.h"
#include "db/db.h"
#include "db/lists.h"
#include "db/sync.h"
#include "report/json.h"

static void sync_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck sync [OPTIONS] URL\n"
            "       stallcheck sync --init URL\n"
            "Exchanges records with the district database (PostgreSQL), URL as libpq\n"
            "takes it: postgresql://USER@HOST:PORT/DBNAME or \"host=... dbname=...\".\n"
            "Pushes this handheld's new signed audit entries with their inspections,\n"
            "calibrations and draws into the district's inbox (each batch idempotent:\n"
            "sent twice, it changes nothing), where the office's stallcheck district\n"
            "ingest checks each before it is kept; then reports what the district\n"
            "refused, and pulls the registry's changes (signed by the district's key)\n"
            "and the district's lists.  A cut sync resumes.\n\n"
            "  --init            create the district schema, roles and key there, enrol\n"
            "                    this handheld (admin), then stop\n"
            "  --rules FILE      with --init: the list rules (default the rules in force\n"
            "                    here: stallcheck rules show)\n"
            "  --push-registry   also push this handheld's whole registry (admin)\n"
            "  --no-pull         push only\n"
            "  --batch N         audit entries per batch (default %d)\n"
            "  --as BADGE        the officer signing in, the PIN asked on the terminal\n"
            "                    or one line of stdin: an admin's for --init and\n"
            "                    --push-registry; a plain sync needs no one (it is\n"
            "                    the device's: its records were signed as they were\n"
            "                    made), and checks the officer when one is named\n"
            "  --json            one JSON object with the counts\n"
            "  --help            this text\n\n"
            "Roles: a docked handheld syncs with no one signed in; named with --as,\n"
            "officer, metrology and admin sync; --init and --push-registry are the\n"
            "admin's.  Exit status: 0 done (refused records are named on stderr);\n"
            "1 an error (nothing half-done: sync again); 3 the district holds another\n"
            "version of this device's records.\n",
            SYNC_BATCH_DEFAULT);
}

static void stats_json(const struct sync_stats *s)
{
    printf("{\"district\":");
    json_string(stdout, s->district);
    printf(",\"entries\":%lld,\"batches\":%lld,\"pushed_seq\":%lld,"
           "\"inspections_sent\":%lld,\"verifications_sent\":%lld,\"calibrations_sent\":%lld,"
           "\"draws_sent\":%lld,"
           "\"held_entries\":%lld,\"held_seq\":%lld,\"refused\":%lld,"
           "\"registry_pushed\":%lld,\"registry_pulled\":%lld,\"registry_refused\":%lld,"
           "\"lists_pulled\":%lld}\n",
           (long long)s->entries, (long long)s->batches, (long long)s->pushed_seq,
           (long long)s->inspections_sent, (long long)s->verifications_sent,
           (long long)s->calibrations_sent, (long long)s->draws_sent, (long long)s->held_entries, (long long)s->held_seq,
           (long long)s->refusals_new, (long long)s->registry_pushed,
           (long long)s->registry_pulled, (long long)s->registry_refused,
           (long long)s->lists_pulled);
}

static void stats_text(const struct sync_stats *s)
{
    term_printf(stdout, "district %s\n", s->district);
    printf("pushed %lld audit entr%s in %lld batch%s: %lld inspection%s, %lld verification%s, "
           "%lld calibration%s, %lld draw%s\n",
           (long long)s->entries, s->entries == 1 ? "y" : "ies", (long long)s->batches,
           s->batches == 1 ? "" : "es", (long long)s->inspections_sent,
           s->inspections_sent == 1 ? "" : "s", (long long)s->verifications_sent,
           s->verifications_sent == 1 ? "" : "s", (long long)s->calibrations_sent,
           s->calibrations_sent == 1 ? "" : "s", (long long)s->draws_sent,
           s->draws_sent == 1 ? "" : "s");
    printf("the district has checked and holds %lld of this device's entries (up to %lld); "
           "the office's ingest takes the rest\n",
           (long long)s->held_entries, (long long)s->held_seq);
    if (s->registry_pushed)
        printf("pushed %lld registry record%s\n", (long long)s->registry_pushed,
               s->registry_pushed == 1 ? "" : "s");
    printf("pulled %lld registry change%s and %lld list entr%s\n",
           (long long)s->registry_pulled, s->registry_pulled == 1 ? "" : "s",
           (long long)s->lists_pulled, s->lists_pulled == 1 ? "y" : "ies");
}

/* Each record the district refused since the last sync: what, why, and
 * what to do.  On stderr: the sync itself went on. */
static int print_refusal(const struct sync_refusal *f, void *arg)
{
    (void)arg;
    if (f->ours)
        fprintf(stderr, "stallcheck: sync: the district refused %s %s (audit entry %lld): %s.\n"
                        "  What to do: %s. The record stays here; later records still sync.\n",
                f->kind, f->record, (long long)f->seq, f->reason, f->hint);
    else
        fprintf(stderr, "stallcheck: sync: the district refused a row pushed under this "
                        "device's id that is not this database's entry %lld (%s): %s.\n"
                        "  What to do: tell the office: someone pushed in this device's name.\n",
                (long long)f->seq, f->kind, f->reason);
    return 0;
}

int cmd_sync(int argc, char **argv)
{
    static const struct option options[] = {
        {"init", no_argument, NULL, 'i'},
        {"rules", required_argument, NULL, 'r'},
        {"push-registry", no_argument, NULL, 'P'},
        {"no-pull", no_argument, NULL, 'n'},
        {"batch", required_argument, NULL, 'b'},
        {"as", required_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int init = 0, json = 0;
    const char *rules_path = NULL, *as = NULL;
    struct sync_options opt = {0};
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'i': init = 1; break;
        case 'r': rules_path = optarg; break;
        case 'P': opt.push_registry = 1; break;
        case 'n': opt.no_pull = 1; break;
        case 'b': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 100000)
                return cli_usage_error("sync", "--batch %s: a number from 1 to 100000", optarg);
            opt.batch = (int)n;
            break;
        }
        case 'a': as = optarg; break;
        case 'j': json = 1; break;
        case 'h': sync_usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("sync", "unknown option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("sync", "one URL expected (the district database)");
    const char *url = argv[optind];

    const char *path = cli_db_path();
    if (!path)
        return cli_fail("sync", "%s", sc_error_message());
    struct db *db;
    if (db_open(path, &db) < 0)
        return cli_fail("sync", "%s: %s", path, sc_error_message());
    int rc;
    struct acting acting = {0};
    /* A plain sync is the device's act, not an officer's: what it sends was
     * signed by this device's key as each record was committed (under the
     * officer who made it), the registry rows it takes in are signed by the
     * district's key, and its lists are the district's copy.  Its credential
     * is the device's own district role (in the URL or ~/.pgpass), so a
     * docked handheld syncs unattended (a cron job, the cradle's hook) with
     * no PIN to type.  An officer named with --as is still signed in and
     * checked; creating the schema and pushing the registry are an admin's. */
    if (init || opt.push_registry || as) {
        if ((rc = cli_acting_require(db, "sync", as, (init || opt.push_registry)
                                         ? ROLE_ACT_REGISTRY : ROLE_ACT_SYNC, NULL, &acting)) != 0)
            goto out;
    }
    if (init) {
        /* The rules in force here (--rules, else as adopted: stallcheck
         * rules), as every other path finds them: the district scores
         * every stall with them. */
        struct rules rules;
        if (lists_rules(db, rules_path, &rules) < 0) {
            rc = cli_fail("sync", "%s", sc_error_message());
            goto out;
        }
        struct sync_init_result ir;
        if (sync_init(db, url, &rules, acting.badge, &ir) < 0) {
            rc = cli_fail("sync", "--init: %s", sc_error_message());
            goto out;
        }
        if (json) {
            printf("{\"init\":true,\"district\":");
            json_string(stdout, ir.district);
            printf(",\"key\":");
            json_string(stdout, ir.district_key);
            printf(",\"enrolled\":%s", ir.enrolled ? "true" : "false");
            if (ir.enrolled) {
                printf(",\"role\":");
                json_string(stdout, ir.role);
                printf(",\"password\":");
                json_string(stdout, ir.password);
            }
            printf("}\n");
        } else {
            printf("district schema ready: district %s\n", ir.district);
            if (ir.key_elsewhere)
                printf("the district's signing key is on another machine: enrol and ingest "
                       "there\n");
            else
                printf("district key %s (in this machine's key store: keep the office's "
                       "commands here)\n",
                       ir.district_key);
            if (ir.enrolled)
                printf("this handheld is enrolled with the registry right: role %s, password %s "
                       "(shown once)\n",
                       ir.role, ir.password);
        }
        rc = CLI_EXIT_OK;
        goto out;
    }
    struct sync_stats st;
    int r = sync_run(db, url, &opt, &st);
    if (st.refusals_new)
        sync_refusals_each(db, st.district, st.refusals_after, print_refusal, NULL);
    if (r >= 0 && st.registry_refused)
        fprintf(stderr, "stallcheck: sync: %s%s\n", st.registry_refusal,
                st.registry_refused > 1 ? " (and more: the first is named)" : "");
    if (r < 0) {
        /* What was committed stays: say how far it got. */
        if (st.batches)
            fprintf(stderr, "stallcheck: sync: %s (%lld batch%s committed, up to audit entry "
                            "%lld; sync again to finish)\n",
                    sc_error_message(), (long long)st.batches, st.batches == 1 ? "" : "es",
                    (long long)st.pushed_seq);
        else
            fprintf(stderr, "stallcheck: sync: %s\n", sc_error_message());
        rc = r == SC_ERR_INCONSISTENT ? CLI_EXIT_FAILED : CLI_EXIT_ERROR;
        goto out;
    }
    if (json)
        stats_json(&st);
    else
        stats_text(&st);
    rc = CLI_EXIT_OK;
out:
    db_close(db);
    return rc;
}

static void verify_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck verify [--remote URL] [--json]\n"
            "Walks the audit chain (执法全过程记录) and names the first record that was\n"
            "altered, deleted or inserted behind stallcheck's back.\n\n"
            "  --remote URL  also compare every entry with the district's copy of it\n"
            "                (by the entry's own device and seq, byte for byte):\n"
            "                catches a chain rewritten whole\n"
            "  --json        one JSON object: ok, entries, records, and when broken:\n"
            "                fault, seq, kind, record, message\n"
            "  --help        this text\n\n"
            "Exit status: 0 the chain is whole; 3 it is broken; 1 an error.\n");
}

int cmd_verify(int argc, char **argv)
{
    static const struct option options[] = {
        {"remote", required_argument, NULL, 'r'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int json = 0;
    const char *remote = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'r': remote = optarg; break;
        case 'j': json = 1; break;
        case 'h': verify_usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("verify", "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error("verify", "no arguments expected");
    const char *path = cli_db_path();
    if (!path)
        return cli_fail("verify", "%s", sc_error_message());
    struct db *db;
    if (db_open(path, &db) < 0)
        return cli_fail("verify", "%s: %s", path, sc_error_message());
    struct chain_report rep;
    int rc = chain_verify(db, &rep);
    if (rc < 0) {
        rc = cli_fail("verify", "%s", sc_error_message());
        goto out;
    }
    int compared = -1;
    char remote_msg[320] = "";
    if (rc == 0 && remote) {
        compared = sync_compare_chain(db, remote);
        if (compared == SC_ERR_INCONSISTENT) {
            snprintf(remote_msg, sizeof remote_msg, "%s", sc_error_message());
        } else if (compared < 0) {
            rc = cli_fail("verify", "--remote: %s", sc_error_message());
            goto out;
        }
    }
    int broken = rc == 1 || remote_msg[0];
    if (json) {
        printf("{\"ok\":%s,\"entries\":%lld,\"records\":%lld", broken ? "false" : "true",
               (long long)rep.entries, (long long)rep.records);
        if (rc == 1) {
            printf(",\"fault\":");
            json_string(stdout, chain_fault_id(rep.fault));
            printf(",\"seq\":%lld,\"kind\":", (long long)rep.seq);
            json_string(stdout, rep.kind);
            printf(",\"record\":");
            json_string(stdout, rep.record);
            printf(",\"message\":");
            json_string(stdout, rep.message);
        } else if (remote_msg[0]) {
            printf(",\"fault\":\"remote-differs\",\"message\":");
            json_string(stdout, remote_msg);
        }
        if (compared >= 0)
            printf(",\"remote_compared\":%d", compared);
        printf("}\n");
    }
    if (rc == 1) {
        term_printf(stderr, "stallcheck: verify: %s\n", rep.message);
        rc = CLI_EXIT_FAILED;
    } else if (remote_msg[0]) {
        term_printf(stderr, "stallcheck: verify: %s\n", remote_msg);
        rc = CLI_EXIT_FAILED;
    } else {
        if (!json) {
            printf("the audit chain is whole: %lld entr%s, %lld record%s checked",
                   (long long)rep.entries, rep.entries == 1 ? "y" : "ies",
                   (long long)rep.records, rep.records == 1 ? "" : "s");
            if (compared >= 0)
                printf("; %d entr%s match the district's copy", compared,
                       compared == 1 ? "y" : "ies");
            printf("\n");
        }
        rc = CLI_EXIT_OK;
    }
out:
    db_close(db);
    return rc;
}
