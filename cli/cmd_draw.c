/* stallcheck draw: the random draw of stalls and officers (双随机、一公开),
 * recorded so anyone can replay it with --replay. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/acting.h"
#include "cli/cli.h"
#include "core/draw.h"
#include "core/error.h"
#include "core/termsafe.h"
#include "db/draw.h"
#include "report/json.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck draw --market M [--stalls N] [--officers K]\n"
            "                       [--redraw REASON | --drill [--seed S]]\n"
            "                       [--include-followups] [--as BADGE] [--json]\n"
            "       stallcheck draw --replay DRAW_ID [--json] [--as BADGE]\n"
            "       stallcheck draw --check FILE [--json]\n"
            "The random draw (双随机、一公开): N stalls at random from the market's\n"
            "registry and K officers from the roster, skipping officers recused from\n"
            "that market; recorded with its seed and inputs so anyone can replay it.\n"
            "The seed is the system's randomness, never the officer's; one draw a day per\n"
            "market stands, and drawing again is a redraw, with its reason on the record.\n\n"
            "  --market M            the market (its code)\n"
            "  --stalls N            stalls to draw (default 5)\n"
            "  --officers K          officers to draw (default 2: enforcement needs two)\n"
            "  --redraw REASON       draw again today (the first stands on the record too):\n"
            "                        why, one line, kept with the draw and published\n"
            "  --drill               a practice draw, marked so, never the day's draw\n"
            "  --seed S              a drill's chosen seed: 64 hex digits, or text hashed\n"
            "                        (SHA-256) into one\n"
            "  --include-followups   add every stall under a correction deadline (限期整改)\n"
            "  --check FILE          replay a draw from its published record (the public\n"
            "                        site's draw/ID.txt) with no database, as anyone can\n"
            "                        (exit 3 if it gives another draw)\n"
            "  --replay ID           re-run a recorded draw from its seed and inputs and\n"
            "                        check it gives the recorded result (exit 3 if not)\n"
            "  --as BADGE            who signs in (the PIN asked, or one line of stdin)\n"
            "  --json                one JSON object\n"
            "  --help                this text\n\n"
            "The keystream is ChaCha20 (libsodium randombytes_buf_deterministic, key =\n"
            "seed); the README gives the algorithm step by step.  Roles: officer, admin.\n");
}

/* rec's record, with r as its result (the recorded one, or a replay's). */
static void print_text(const struct draw_record *rec, const struct draw_result *r)
{
    const struct draw_input *in = &rec->in;
    size_t n_follow = 0;
    for (size_t i = 0; i < r->n_stalls; i++)
        n_follow += r->stalls[i].reason == DRAW_FOLLOWUP;
    term_printf(stdout, "draw %s\nmarket %s, %s%s%s\nseed %s\n", rec->id, rec->market, rec->made_at,
           rec->made_by[0] ? " by " : "", rec->made_by, rec->seed);
    term_printf(stdout, "kind %s, day %s\n", draw_kind_id(rec->kind), rec->day);
    if (rec->kind == DRAW_REDRAW)
        term_printf(stdout, "redraw of %s: %s\n", rec->replaces, rec->reason);
    else if (rec->kind == DRAW_DRILL)
        term_printf(stdout, "a drill (演练): its seed may have been chosen; not the day's draw\n");
    else if (rec->kind == DRAW_LEGACY)
        term_printf(stdout, "made before one draw a day: its seed may have been chosen\n");
    term_printf(stdout, "stalls: %zu drawn at random of %zu", r->n_stalls - n_follow, r->pool_stalls);
    if (in->include_followups)
        term_printf(stdout, ", %zu under a correction deadline added", n_follow);
    term_printf(stdout, "\n");
    for (size_t i = 0; i < r->n_stalls; i++)
        term_printf(stdout, "  %2zu  %s%s\n", i + 1, r->stalls[i].code,
               r->stalls[i].reason == DRAW_FOLLOWUP ? "  (限期整改 follow-up)" : "");
    term_printf(stdout, "officers: %zu of %zu on the roster (%zu recused)\n", r->n_officers,
           r->pool_officers + in->n_recused, in->n_recused);
    for (size_t i = 0; i < r->n_officers; i++)
        term_printf(stdout, "  %s\n", r->officers[i]);
}

static void json_list(const char *const *v, size_t n)
{
    printf("[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            printf(",");
        json_string(stdout, v[i]);
    }
    printf("]");
}

static void print_json(const struct draw_record *rec, const struct draw_result *r,
                       const char *replay)
{
    const struct draw_input *in = &rec->in;
    printf("{\"id\":");
    json_string(stdout, rec->id);
    printf(",\"market\":");
    json_string(stdout, rec->market);
    printf(",\"made_at\":");
    json_string(stdout, rec->made_at);
    printf(",\"made_by\":");
    json_string(stdout, rec->made_by[0] ? rec->made_by : NULL);
    printf(",\"kind\":\"%s\",\"day\":", draw_kind_id(rec->kind));
    json_string(stdout, rec->day);
    printf(",\"replaces\":");
    json_string(stdout, rec->kind == DRAW_REDRAW ? rec->replaces : NULL);
    printf(",\"reason\":");
    json_string(stdout, rec->kind == DRAW_REDRAW ? rec->reason : NULL);
    printf(",\"seed\":");
    json_string(stdout, rec->seed);
    printf(",\"stalls\":[");
    for (size_t i = 0; i < r->n_stalls; i++) {
        printf("%s{\"stall\":", i ? "," : "");
        json_string(stdout, r->stalls[i].code);
        printf(",\"reason\":\"%s\"}", r->stalls[i].reason == DRAW_FOLLOWUP ? "followup" : "random");
    }
    printf("],\"officers\":");
    json_list((const char *const *)r->officers, r->n_officers);
    printf(",\"pool_stalls\":%zu,\"pool_officers\":%zu,\"recused\":", r->pool_stalls,
           r->pool_officers);
    json_list(in->recused, in->n_recused);
    printf(",\"include_followups\":%s", in->include_followups ? "true" : "false");
    if (replay)
        printf(",\"replay\":\"%s\"", replay);
    printf("}\n");
}

/* Who may replay: whoever reads the draw's market (core/roles.h), but a
 * manager only after the draw's day: the stalls to be inspected are not
 * told to the market in advance. */
static int may_replay(struct db *db, const char *as, const struct draw_record *rec)
{
    struct acting who;
    int rc = cli_acting_require(db, "draw", as, ROLE_ACT_READ, rec->market, &who);
    if (rc != CLI_EXIT_OK || who.open || who.role != ROLES_MANAGER)
        return rc;
    char today[16];
    db_today(today, sizeof today); /* the draw's day, like today, is the bureau's */
    if (strcmp(rec->day, today) >= 0)
        return cli_fail("draw", "%s denied: a manager sees a draw after its day, not before "
                                "the inspections", who.badge);
    return CLI_EXIT_OK;
}

static int replay(struct db *db, const char *as, const char *id, int json)
{
    int rc = cli_acting_sign_in(db, "draw", as);
    if (rc != CLI_EXIT_OK)
        return rc;
    struct draw_record rec;
    if (draw_load(db, id, &rec) < 0)
        return cli_fail("draw", "--replay %s: %s", id, sc_error_message());
    if ((rc = may_replay(db, as, &rec)) != CLI_EXIT_OK) {
        draw_record_free(&rec);
        return rc;
    }
    struct draw_result again;
    rc = draw_replay(&rec, &again);
    if (rc < 0) {
        rc = cli_fail("draw", "--replay %s: %s", id, sc_error_message());
        draw_record_free(&rec);
        return rc;
    }
    int same = rc == 0;
    const char *verdict = !same ? "mismatch" : rec.audited ? "match" : "unaudited";
    if (json)
        print_json(&rec, &again, verdict);
    else
        print_text(&rec, &again);
    if (!same) {
        fprintf(stderr, "stallcheck: draw: --replay %s: the seed and inputs give another draw "
                        "than the one recorded\n", id);
        rc = CLI_EXIT_FAILED;
    } else if (!rec.audited) {
        fprintf(stderr, "stallcheck: draw: --replay %s: the draw replays, but its record no "
                        "longer matches its audit entry (run stallcheck verify)\n", id);
        rc = CLI_EXIT_FAILED;
    } else {
        if (!json)
            printf("replay: the same draw as recorded, and the record is as audited\n");
        rc = CLI_EXIT_OK;
    }
    draw_result_free(&again);
    draw_record_free(&rec);
    return rc;
}

static int parse_count(const char *what, const char *s, size_t max, size_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (*s == '\0' || *end || v < 0 || (unsigned long long)v > max)
        return cli_usage_error("draw", "%s %s: a whole number from 0 to %zu", what, s, max);
    *out = (size_t)v;
    return 0;
}

/* --check FILE: a published record replayed with no database (a member of
 * the public's check, 一公开). */
static int check_published(const char *path, int json)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return cli_fail("draw", "--check %s: cannot read it", path);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    char buf[4096];
    size_t n;
    while (m != NULL && (n = fread(buf, 1, sizeof buf, f)) > 0)
        fwrite(buf, 1, n, m);
    fclose(f);
    if (m == NULL || fclose(m) != 0) {
        free(text);
        return cli_fail("draw", "--check %s: out of memory", path);
    }
    struct draw_record rec;
    int rc = draw_record_parse(text, &rec);
    free(text);
    if (rc < 0)
        return cli_fail("draw", "--check %s: %s", path, sc_error_message());
    if (sodium_init() < 0) {
        draw_record_free(&rec);
        return cli_fail("draw", "libsodium would not start");
    }
    struct draw_result again;
    rc = draw_replay(&rec, &again);
    if (rc < 0) {
        draw_record_free(&rec);
        return cli_fail("draw", "--check %s: %s", path, sc_error_message());
    }
    if (json)
        print_json(&rec, &again, rc == 0 ? "match" : "mismatch");
    else if (rc == 0)
        printf("check: the seed and inputs of draw %s give the published result\n", rec.id);
    else
        fprintf(stderr, "stallcheck: draw: --check %s: the seed and inputs give another draw "
                        "than the published one\n", path);
    draw_result_free(&again);
    draw_record_free(&rec);
    return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

int cmd_draw(int argc, char **argv)
{
    static const struct option options[] = {
        {"market", required_argument, NULL, 'm'},
        {"stalls", required_argument, NULL, 'n'},
        {"officers", required_argument, NULL, 'k'},
        {"seed", required_argument, NULL, 's'},
        {"drill", no_argument, NULL, 'D'},
        {"redraw", required_argument, NULL, 'R'},
        {"include-followups", no_argument, NULL, 'f'},
        {"replay", required_argument, NULL, 'r'},
        {"check", required_argument, NULL, 'C'},
        {"as", required_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *market = NULL, *seed_text = NULL, *replay_id = NULL, *as = NULL,
               *redraw = NULL, *check_file = NULL;
    size_t want_stalls = 5, want_officers = DRAW_OFFICERS_DEFAULT;
    int followups = 0, json = 0, drill = 0, c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'm': market = optarg; break;
        case 'n':
            if (parse_count("--stalls", optarg, 100000, &want_stalls))
                return CLI_EXIT_USAGE;
            if (want_stalls < 1)
                return cli_usage_error("draw", "--stalls %s: a draw draws one stall at least",
                                       optarg);
            break;
        case 'k':
            if (parse_count("--officers", optarg, 100, &want_officers))
                return CLI_EXIT_USAGE;
            if (want_officers < 2)
                return cli_usage_error("draw", "--officers %s: enforcement needs two at least",
                                       optarg);
            break;
        case 's': seed_text = optarg; break;
        case 'D': drill = 1; break;
        case 'R': redraw = optarg; break;
        case 'f': followups = 1; break;
        case 'r': replay_id = optarg; break;
        case 'C': check_file = optarg; break;
        case 'a': as = optarg; break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("draw", "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage_error("draw", "unexpected argument '%s'", argv[optind]);
    if (check_file != NULL) {
        if (market || replay_id)
            return cli_usage_error("draw", "--check takes everything from the file");
        return check_published(check_file, json);
    }
    if (!replay_id && !market)
        return cli_usage_error("draw", "--market M or --replay DRAW_ID");
    if (replay_id && market)
        return cli_usage_error("draw", "--replay takes its market from the record");
    if (seed_text && !drill)
        return cli_usage_error("draw", "--seed: a chosen seed draws only a drill (--drill); "
                                       "the day's draw takes the system's randomness");
    if (drill && redraw)
        return cli_usage_error("draw", "--drill and --redraw exclude each other");
    if (sodium_init() < 0)
        return cli_fail("draw", "libsodium would not start");
    struct db *db;
    int rc = cli_db_open("draw", &db);
    if (rc != 0)
        return rc;
    if (replay_id) {
        rc = replay(db, as, replay_id, json);
        db_close(db);
        return rc;
    }
    struct acting who;
    if ((rc = cli_acting_require(db, "draw", as, ROLE_ACT_DRAW, market, &who)) != 0) {
        db_close(db);
        return rc;
    }
    unsigned char seed[DRAW_SEED_BYTES];
    if (seed_text && strlen(seed_text) == DRAW_SEED_HEX && draw_seed_parse(seed_text, seed) == 0)
        ; /* a seed given as its 64 hex digits */
    else if (seed_text)
        crypto_hash_sha256(seed, (const unsigned char *)seed_text, strlen(seed_text));
    struct draw_request req = {
        .market = market, .made_by = who.open ? NULL : who.badge, .want_stalls = want_stalls,
        .want_officers = want_officers, .include_followups = followups,
        .kind = drill ? DRAW_DRILL : redraw ? DRAW_REDRAW : DRAW_PRODUCTION, .reason = redraw,
        .seed = seed_text ? seed : NULL,
    };
    struct draw_record rec;
    if (draw_make(db, &req, &rec) < 0) {
        rc = cli_fail("draw", "%s", sc_error_message());
    } else {
        if (json)
            print_json(&rec, &rec.recorded, NULL);
        else {
            print_text(&rec, &rec.recorded);
            term_printf(stdout, "replay: stallcheck draw --replay %s\n", rec.id);
        }
        draw_record_free(&rec);
        rc = CLI_EXIT_OK;
    }
    db_close(db);
    return rc;
}
