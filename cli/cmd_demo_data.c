/* stallcheck demo-data: a synthetic district (cli/demo_data.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/demo_data.h"
#include "cli/demo_file.h"
#include "core/error.h"
#include "db/db.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck demo-data [--stalls N] [--months M] [--seed S] [--today DATE]\n"
            "                            [--no-scores] [--json]\n"
            "Makes a new database (never an existing file: it is built aside and renamed\n"
            "into place) with a synthetic district, the same for the same\n"
            "seed and date: about one market per 125 stalls (12 for the default 1 500),\n"
            "Chinese market and operator names, stalls of every category with one or two\n"
            "class III scales (some overdue), each market's fair scale, reference scale\n"
            "and weight set, officers of every role, and M months of inspections with\n"
            "findings and re-weighs, then every stall's score and list.\n\n"
            "Officers (PIN %s for all): %s the demo officer 李明, %s another officer,\n"
            "%s metrology, %s the manager of M001, %s admin.\n\n"
            "Options:\n"
            "  --stalls N     stalls (default 1500, at most %d)\n"
            "  --months M     months of history before today (default 12)\n"
            "  --seed S       the seed (default 1)\n"
            "  --today DATE   the last day of the history (default today)\n"
            "  --no-scores    skip computing scores and lists\n"
            "  --json         the summary as one JSON object\n"
            "  --help         this text\n\n"
            "Exit status: 0 done, 1 error (the database exists, ...), 2 usage.\n",
            DEMO_PIN, DEMO_BADGE_OFFICER, DEMO_BADGE_OFFICER2, DEMO_BADGE_METROLOGY,
            DEMO_BADGE_MANAGER, DEMO_BADGE_ADMIN, DEMO_MAX_STALLS);
}

static int parse_int(const char *text, int64_t lo, int64_t hi, int64_t *out)
{
    char *end;
    long long v = strtoll(text, &end, 10);
    if (*text == '\0' || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cmd_demo_data(int argc, char **argv)
{
    static const struct option options[] = {
        {"stalls", required_argument, NULL, 's'},
        {"months", required_argument, NULL, 'm'},
        {"seed", required_argument, NULL, 'S'},
        {"today", required_argument, NULL, 't'},
        {"no-scores", no_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct demo_options opt = {.stalls = 1500, .months = 12, .seed = 1, .scores = 1};
    int json = 0, c;
    int64_t v;
    while ((c = getopt_long(argc, argv, "s:m:S:t:njh", options, NULL)) != -1) {
        switch (c) {
        case 's':
            if (parse_int(optarg, 1, DEMO_MAX_STALLS, &opt.stalls) < 0)
                return cli_usage_error("demo-data", "--stalls must be 1 to %d",
                                       DEMO_MAX_STALLS);
            break;
        case 'm':
            if (parse_int(optarg, 0, 120, &v) < 0)
                return cli_usage_error("demo-data", "--months must be 0 to 120");
            opt.months = (int)v;
            break;
        case 'S':
            if (parse_int(optarg, 0, INT64_MAX, &v) < 0)
                return cli_usage_error("demo-data", "--seed must be a non-negative integer");
            opt.seed = (uint64_t)v;
            break;
        case 't': opt.today = optarg; break;
        case 'n': opt.scores = 0; break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("demo-data", "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error("demo-data", "unexpected argument '%s'", argv[optind]);
    opt.progress = isatty(STDERR_FILENO);
    const char *path = cli_db_path();
    if (path == NULL)
        return cli_fail("demo-data", "%s", sc_error_message());
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct demo_result r;
    int rc = demo_file_build(path, &opt, &r); /* a new file only: cli/demo_file.h */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc < 0)
        return cli_fail("demo-data", "%s", sc_error_message());
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (json)
        printf("{\"markets\":%lld,\"stalls\":%lld,\"operators\":%lld,\"instruments\":%lld,"
               "\"officers\":%lld,\"inspections\":%lld,\"findings\":%lld,\"reweighs\":%lld,"
               "\"seconds\":%.1f}\n",
               (long long)r.markets, (long long)r.stalls, (long long)r.operators,
               (long long)r.instruments, (long long)r.officers, (long long)r.inspections,
               (long long)r.findings, (long long)r.reweighs, secs);
    else
        printf("%s: %lld markets, %lld stalls, %lld instruments, %lld officers, "
               "%lld inspections (%lld re-weighs) in %.1f s\n"
               "sign in as %s (PIN %s)\n",
               path, (long long)r.markets, (long long)r.stalls, (long long)r.instruments,
               (long long)r.officers, (long long)r.inspections, (long long)r.reweighs, secs,
               DEMO_BADGE_OFFICER, DEMO_PIN);
    return CLI_EXIT_OK;
}
