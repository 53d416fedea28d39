/* stallcheck district: the district office's commands, run against the
 * district database with the office's (owner's) connection.  No handheld
 * database: the district's own officers sign in where an act is recorded
 * under a name.  One row per subcommand in the table below. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/pin.h"
#include "core/error.h"
#include "core/score.h"
#include "db/db.h"
#include "db/district.h"
#include "db/enrol.h"
#include "db/ingest.h"
#include "report/json.h"

struct district_opts {
    const char *url, *device, *key, *replaces, *note, *why, *as;
    int registry, json, batch, full;
    long every;               /* district run: seconds between runs; 0 once */
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck district SUBCOMMAND URL [OPTIONS]\n"
            "The district office's commands (URL: the district database, as its owner).\n\n"
            "  key URL               the district's id and public key, for handhelds to\n"
            "                        trust (stallcheck device trust-district)\n"
            "  enrol URL --device ID --key HEX [--registry] [--replaces OLD] [--note T]\n"
            "                        enrol a handheld (its id and key: stallcheck device\n"
            "                        show); prints its PostgreSQL role and password\n"
            "  retire URL --device ID [--why TEXT]\n"
            "                        a handheld lost, broken or stolen: its role can no\n"
            "                        longer log in and what it still pushes is refused\n"
            "  devices URL [--json]  the enrolled handhelds, with what the district holds\n"
            "                        of each and what waits or was refused\n"
            "  ingest URL [--batch N] [--json]\n"
            "                        check what handhelds pushed (signature, hashes, whose\n"
            "                        ids) and store what is good; names each refusal\n"
            "  lists URL [--full] [--json]\n"
            "                        score the stalls with new records since the last run\n"
            "                        (and those whose line lapsed, or made under other\n"
            "                        rules) with the district's rules: the lists handhelds\n"
            "                        pull; --full: every stall\n"
            "  run URL [--every SECONDS] [--json]\n"
            "                        what the office runs after syncs or on a timer:\n"
            "                        ingest, then lists; with --every, again and again\n"
            "                        until stopped\n\n"
            "  --as BADGE            the district's admin recording an enrolment or a\n"
            "                        retirement (PIN asked, or one line of stdin); not\n"
            "                        needed while the district has no officers\n"
            "  --registry            the handheld may change the registry (the office's)\n\n"
            "Runs of lists take turns and never make a sync wait: what a sync commits\n"
            "meanwhile is scored by the next run.\n"
            "Exit status: 0 done; 1 an error; 3 (ingest) something was refused.\n");
}

/* The admin of the district signing in (enrol_sign_in): --as BADGE, the
 * PIN asked on the terminal or one line of stdin; nothing from the
 * environment.  actor filled. */
static int sign_in(const struct district_opts *o, char *actor, size_t size)
{
    char pin[64] = "";
    if (o->as && *o->as) {
        char prompt[80];
        snprintf(prompt, sizeof prompt, "PIN for %s: ", o->as);
        if (cli_read_pin(prompt, pin, sizeof pin) < 0)
            return cli_fail("district", "%s", sc_error_message());
    }
    int rc = enrol_sign_in(o->url, o->as, pin, actor, size);
    memset(pin, 0, sizeof pin);
    return rc < 0 ? cli_fail("district", "%s", sc_error_message()) : CLI_EXIT_OK;
}

static int run_key(const struct district_opts *o)
{
    char id[40], pk[DEVICE_KEY_HEX];
    if (enrol_show_key(o->url, id, pk) < 0)
        return cli_fail("district", "key: %s", sc_error_message());
    if (o->json) {
        printf("{\"district\":");
        json_string(stdout, id);
        printf(",\"key\":");
        json_string(stdout, pk);
        printf("}\n");
    } else {
        printf("district %s\nkey      %s\n", id, pk);
    }
    return CLI_EXIT_OK;
}

static int run_enrol(const struct district_opts *o)
{
    if (!o->device || !o->key)
        return cli_usage_error("district", "enrol needs --device ID and --key HEX");
    char actor[160];
    int rc = sign_in(o, actor, sizeof actor);
    if (rc != CLI_EXIT_OK)
        return rc;
    struct enrol_request rq = {.device = o->device, .public_key = o->key, .actor = actor,
                               .replaces = o->replaces, .note = o->note,
                               .registry = o->registry};
    struct enrol_result res;
    if (enrol_device(o->url, &rq, &res) < 0)
        return cli_fail("district", "enrol: %s", sc_error_message());
    char id[40], pk[DEVICE_KEY_HEX];
    int have_key = enrol_show_key(o->url, id, pk) == 0;
    if (o->json) {
        printf("{\"device\":");
        json_string(stdout, o->device);
        printf(",\"role\":");
        json_string(stdout, res.role);
        printf(",\"password\":");
        json_string(stdout, res.password);
        printf(",\"log\":%lld}\n", res.log_seq);
    } else {
        printf("enrolled device %s (district log entry %lld, by %s)\n", o->device, res.log_seq,
               actor);
        printf("its PostgreSQL role %s, password %s (shown once)\n", res.role, res.password);
        printf("On the handheld, an admin runs:\n"
               "  stallcheck device trust-district URL --key %s\n"
               "then it syncs with URL as role %s.\n",
               have_key ? pk : "KEY", res.role);
    }
    return CLI_EXIT_OK;
}

static int run_retire(const struct district_opts *o)
{
    if (!o->device)
        return cli_usage_error("district", "retire needs --device ID");
    char actor[160];
    int rc = sign_in(o, actor, sizeof actor);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (enrol_retire(o->url, o->device, actor, o->why) < 0)
        return cli_fail("district", "retire: %s", sc_error_message());
    printf("device %s retired by %s: its role no longer logs in, what it pushes is refused\n",
           o->device, actor);
    return CLI_EXIT_OK;
}

static int print_device(const struct enrol_device_info *d, void *arg)
{
    int json = *(int *)arg;
    if (json) {
        printf("{\"device\":");
        json_string(stdout, d->device);
        printf(",\"key\":");
        json_string(stdout, d->public_key);
        printf(",\"role\":");
        json_string(stdout, d->role);
        printf(",\"status\":");
        json_string(stdout, d->status);
        printf(",\"registry\":%s,\"enrolled_at\":", d->registry ? "true" : "false");
        json_string(stdout, d->enrolled_at);
        printf(",\"enrolled_by\":");
        json_string(stdout, d->enrolled_by);
        printf(",\"entries\":%lld,\"waiting\":%lld,\"refused\":%lld}\n", d->entries, d->waiting,
               d->refused);
    } else {
        printf("%s  %-8s %s%s  %lld entries, %lld waiting, %lld refused  (%s, %s)\n", d->device,
               d->status, d->role, d->registry ? " registry" : "", d->entries, d->waiting,
               d->refused, d->enrolled_at, d->enrolled_by);
    }
    return 0;
}

static int run_devices(const struct district_opts *o)
{
    int json = o->json;
    if (enrol_list(o->url, print_device, &json) < 0)
        return cli_fail("district", "devices: %s", sc_error_message());
    return CLI_EXIT_OK;
}

static void print_refusal(const struct ingest_refusal *f, void *arg)
{
    int json = *(int *)arg;
    if (json) {
        printf("{\"refused\":{\"device\":");
        json_string(stdout, f->device);
        printf(",\"seq\":%lld,\"kind\":", f->seq);
        json_string(stdout, f->kind);
        printf(",\"record\":");
        json_string(stdout, f->record);
        printf(",\"reason\":");
        json_string(stdout, f->reason);
        printf(",\"hint\":");
        json_string(stdout, f->hint);
        printf("}}\n");
    } else {
        printf("refused: device %s entry %lld: %s\n  what to do: %s\n", f->device, f->seq,
               f->reason, f->hint);
    }
}

static int run_ingest(const struct district_opts *o)
{
    struct ingest_stats st;
    int json = o->json;
    if (ingest_run(o->url, o->batch, &st, print_refusal, &json) < 0)
        return cli_fail("district", "ingest: %s", sc_error_message());
    if (json)
        printf("{\"rows\":%lld,\"entries\":%lld,\"records\":%lld,\"registry\":%lld,"
               "\"duplicates\":%lld,\"refused\":%lld,\"waiting\":%lld}\n",
               st.rows, st.entries, st.records, st.registry, st.duplicates, st.refused,
               st.waiting);
    else
        printf("ingest: %lld rows: %lld entries taken (%lld records, %lld registry), "
               "%lld already held, %lld refused, %lld waiting\n",
               st.rows, st.entries, st.records, st.registry, st.duplicates, st.refused,
               st.waiting);
    return st.refused ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

static void lists_out(const struct district_opts *o, const struct district_lists_stats *st)
{
    char day[16];
    day_format(st->as_of, day, sizeof day);
    if (o->json) {
        printf("{\"as_of\":\"%s\",\"rules\":\"%s\",\"dirty\":%lld,\"lapsed\":%lld,"
               "\"recomputed\":%lld,\"removed\":%lld,\"red\":%lld,\"black\":%lld,"
               "\"none\":%lld}\n",
               day, st->rules_id, (long long)st->dirty, (long long)st->lapsed,
               (long long)st->recomputed, (long long)st->removed,
               (long long)st->counts[SCORE_LIST_RED], (long long)st->counts[SCORE_LIST_BLACK],
               (long long)st->counts[SCORE_LIST_NONE]);
    } else {
        printf("%s: %lld stall%s scored (%lld with new records, %lld lapsed or new), "
               "%lld removed; the district: %lld red, %lld black, %lld on neither list\n",
               day, (long long)st->recomputed, st->recomputed == 1 ? "" : "s",
               (long long)st->dirty, (long long)st->lapsed, (long long)st->removed,
               (long long)st->counts[SCORE_LIST_RED], (long long)st->counts[SCORE_LIST_BLACK],
               (long long)st->counts[SCORE_LIST_NONE]);
    }
    fflush(stdout);
}

static int lists_once(const struct district_opts *o, int full)
{
    char buf[16];
    day_t today;
    if (district_zone_use(o->url) < 0)
        return cli_fail("district", "lists: %s", sc_error_message());
    db_today(buf, sizeof buf);
    if (day_parse(buf, &today) < 0)
        return cli_fail("district", "today: %s", sc_error_message());
    struct district_lists_stats st;
    if (district_lists_run(o->url, today, full, &st) < 0)
        return cli_fail("district", "lists: %s", sc_error_message());
    lists_out(o, &st);
    return CLI_EXIT_OK;
}

static int run_lists(const struct district_opts *o)
{
    return lists_once(o, o->full);
}

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
    (void)sig;
    stop = 1;
}

/* What the office runs: what handhelds pushed checked and stored, then
 * the lists scored from it. */
static int run_run(const struct district_opts *o)
{
    if (o->every == 0) {
        int ing = run_ingest(o);
        int rc = ing == CLI_EXIT_ERROR ? ing : lists_once(o, o->full);
        return rc == CLI_EXIT_OK ? ing : rc;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int rc = CLI_EXIT_OK;
    while (!stop) {
        /* A failed run (the server restarting) is said and tried again at
         * the next tick; the office's timer keeps going. */
        int ing = run_ingest(o);
        rc = lists_once(o, o->full);
        if (rc == CLI_EXIT_OK)
            rc = ing;
        for (long s = 0; s < o->every && !stop; s++) {
            struct timespec one = {1, 0};
            nanosleep(&one, NULL);
        }
    }
    return rc;
}

static const struct {
    const char *name;
    int (*run)(const struct district_opts *);
} subcommands[] = {
    {"key", run_key},         {"enrol", run_enrol},   {"retire", run_retire},
    {"devices", run_devices}, {"ingest", run_ingest}, {"lists", run_lists},
    {"run", run_run},
};

int cmd_district(int argc, char **argv)
{
    static const struct option options[] = {
        {"device", required_argument, NULL, 'd'}, {"key", required_argument, NULL, 'k'},
        {"registry", no_argument, NULL, 'R'},     {"replaces", required_argument, NULL, 'r'},
        {"note", required_argument, NULL, 'n'},   {"why", required_argument, NULL, 'w'},
        {"as", required_argument, NULL, 'a'},     {"json", no_argument, NULL, 'j'},
        {"batch", required_argument, NULL, 'b'},  {"full", no_argument, NULL, 'F'},
        {"every", required_argument, NULL, 'e'},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct district_opts o;
    memset(&o, 0, sizeof o);
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'd': o.device = optarg; break;
        case 'k': o.key = optarg; break;
        case 'R': o.registry = 1; break;
        case 'r': o.replaces = optarg; break;
        case 'n': o.note = optarg; break;
        case 'w': o.why = optarg; break;
        case 'a': o.as = optarg; break;
        case 'j': o.json = 1; break;
        case 'b': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 100000)
                return cli_usage_error("district", "--batch %s: a number from 1 to 100000",
                                       optarg);
            o.batch = (int)n;
            break;
        }
        case 'F': o.full = 1; break;
        case 'e': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 86400)
                return cli_usage_error("district", "--every %s: seconds from 1 to 86400",
                                       optarg);
            o.every = n;
            break;
        }
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("district", "unknown option");
        }
    }
    if (optind + 2 != argc)
        return cli_usage_error("district", "a subcommand and the district's URL expected");
    o.url = argv[optind + 1];
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(subcommands[i].name, argv[optind]) == 0)
            return subcommands[i].run(&o);
    return cli_usage_error("district", "%s: not a subcommand (key, enrol, retire, devices, "
                                       "ingest, lists, run)",
                           argv[optind]);
}
