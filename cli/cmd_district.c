/* stallcheck district: the district office's commands, run against the
 * district database with the office's (owner's) connection.  No handheld
 * database.  One row per subcommand in the table below. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/error.h"
#include "db/db.h"
#include "core/score.h"
#include "db/district.h"
#include "report/json.h"

struct district_opts {
    const char *url;
    int json, full;
    long every;               /* district run: seconds between runs; 0 once */
};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck district SUBCOMMAND URL [OPTIONS]\n"
            "The district office's commands (URL: the district database, as its owner).\n\n"
            "  lists URL [--full] [--json]\n"
            "                        score the stalls with new records since the last run\n"
            "                        (and those whose line lapsed, or made under other\n"
            "                        rules) with the district's rules: the lists handhelds\n"
            "                        pull; --full: every stall\n"
            "  run URL [--every SECONDS] [--json]\n"
            "                        what the office runs after syncs or on a timer: the\n"
            "                        lists; with --every, again and again until stopped\n\n"
            "Safe to run twice at once or while handhelds sync: runs take turns, and what\n"
            "a sync commits meanwhile is taken by the next run.\n"
            "Exit status: 0 done; 1 an error.\n");
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

static int run_run(const struct district_opts *o)
{
    if (o->every == 0)
        return lists_once(o, o->full);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int rc = CLI_EXIT_OK;
    while (!stop) {
        /* A failed run (the server restarting) is said and tried again at
         * the next tick; the office's timer keeps going. */
        rc = lists_once(o, o->full);
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
    {"lists", run_lists},
    {"run", run_run},
};

int cmd_district(int argc, char **argv)
{
    static const struct option options[] = {
        {"full", no_argument, NULL, 'F'},       {"every", required_argument, NULL, 'e'},
        {"json", no_argument, NULL, 'j'},       {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct district_opts o;
    memset(&o, 0, sizeof o);
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
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
        case 'j': o.json = 1; break;
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
    return cli_usage_error("district", "%s: not a subcommand (lists, run)", argv[optind]);
}
