/* Records that make every list rule fire, for the district's lists held
 * against the handhelds' (tests/integration/district.sh):
 *   gen_scenarios DB --handheld H --handhelds K --today YYYY-MM-DD
 * DB is a handheld made by gen_handheld (its registry: 3 markets of 20
 * stalls, officers O101..O105).  Stall number s (0..59 across M1..M3)
 * plays scenario s % 12; its first records are made by handheld s % K, its
 * later ones ("later" below) by the same handheld, or for every other
 * dozen of stalls by the next one: a stall whose history is split between
 * two handhelds, which only the district sees whole.  Every event's day is
 * counted back from --today.  Built by tests/tools/build.sh; not part of
 * stallcheck. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checklist.h"
#include "core/day.h"
#include "core/error.h"
#include "db/db.h"
#include "db/inspection.h"

/* An event: days before today, made by the later handheld or not, and
 * what was found: "clean" (every item passes), "fair:short" / "fair:ok"
 * (a complaint at the fair scale), "reweigh:short" (short weight at an
 * inspection), else findings "item=answer" separated by spaces, a
 * deadline as "@+DAYS".  Events start at 09:00 UTC; a "night" one at 00:30
 * in Beijing, 16:30 UTC the day before: its legal day is still "ago". */
struct event {
    int ago, later;
    const char *what;
    int night;
};

#define END {0, 0, NULL}
static const struct event scenarios[12][6] = {
    /* 0 red: two clean inspections in the last three months. */
    {{80, 0, "clean"}, {20, 1, "clean"}, END},
    /* 1 red lost: clean, clean, then a failure. */
    {{70, 0, "clean"}, {40, 0, "clean"}, {5, 1, "price-tags=fail@+7"}, END},
    /* 2 a black listing past its year, held until a clean re-inspection
     * that has not come (found just after midnight). */
    {{400, 0, "seal=broken", 1}, {380, 1, "licence-shown=pass"}, END},
    /* 3 a black listing ended by a clean re-inspection after its year. */
    {{420, 0, "seal=missing"}, {30, 1, "clean"}, END},
    /* 4 a follow-up escalated: not fixed after two deadlines: black. */
    {{120, 0, "price-tags=fail@+7"}, {90, 0, "price-tags=fail@+7"},
     {60, 1, "price-tags=fail@+7"}, END},
    /* 5 a follow-up closed by a fix: red (the fix by the later handheld). */
    {{100, 0, "licence-shown=fail@+14"}, {50, 1, "clean"}, {20, 1, "clean"}, END},
    /* 6 three short complaints at the fair scale in the year: black. */
    {{200, 0, "fair:short"}, {150, 0, "fair:short"}, {100, 1, "fair:short"}, END},
    /* 7 two short complaints and one not: not black for it. */
    {{200, 0, "fair:short"}, {150, 1, "fair:ok"}, {100, 1, "fair:short"}, {30, 1, "clean"}, END},
    /* 8 minor and major failures add up below 60: black. */
    {{300, 0, "licence-shown=fail price-tags=fail verification-mark=fail"},
     {200, 0, "licence-shown=fail price-tags=fail verification-mark=fail"},
     {100, 1, "verification-mark=fail fair-scale=fail"}, END},
    /* 9 a follow-up unanswered, then n/a, then fixed. */
    {{100, 0, "price-tags=fail@+7"}, {80, 0, "licence-shown=pass"}, {60, 1, "price-tags=na"},
     {40, 1, "clean"}, {10, 1, "clean"}, END},
    /* 10 short weight at an inspection: black at once; a failure and its
     * fix on one day. */
    {{50, 0, "reweigh:short"}, {30, 0, "price-tags=fail@+7"}, {30, 1, "price-tags=pass"}, END},
    /* 11 never inspected. */
    {END},
};

static int die(const char *what)
{
    fprintf(stderr, "gen_scenarios: %s: %s\n", what, sc_error_message());
    return 1;
}

static void reweigh(struct reweigh *rw, int fair, int is_short)
{
    memset(rw, 0, sizeof *rw);
    snprintf(rw->goods, sizeof rw->goods, "青菜");
    snprintf(rw->category, sizeof rw->category, "grain-veg-fruit");
    rw->declared_ug = 1000000000LL;
    rw->measured_ug = is_short ? 950000000LL : 998000000LL;
    rw->shortfall_ug = rw->declared_ug - rw->measured_ug;
    rw->unit_price_fen = 600;
    rw->has_allowed = 1;
    rw->allowed_ug = 10000000LL;
    rw->verdict = is_short ? REWEIGH_FAIL : REWEIGH_PASS;
    rw->method = fair ? REWEIGH_AT_FAIR : REWEIGH_AT_REFERENCE;
}

static int commit(struct db *db, const char *stall, day_t day, const char *what, int night,
                  int officer)
{
    struct inspection in;
    memset(&in, 0, sizeof in);
    snprintf(in.stall, sizeof in.stall, "%s", stall);
    snprintf(in.officer1, sizeof in.officer1, "O10%d", officer);
    snprintf(in.officer2, sizeof in.officer2, "O102");
    char date[16];
    day_format(night ? day - 1 : day, date, sizeof date);
    snprintf(in.started_at, sizeof in.started_at, "%sT%s:00Z", date, night ? "16:30" : "09:00");
    struct finding f[CHECK_ITEM_COUNT];
    memset(f, 0, sizeof f);
    struct reweigh rw;
    size_t nitems, n = 0;
    const struct checklist_item_info *items = checklist_items(&nitems);
    if (strncmp(what, "fair:", 5) == 0) {
        /* A complaint: one re-weigh at the fair scale, one officer. */
        in.officer2[0] = '\0';
        reweigh(&rw, 1, strcmp(what, "fair:short") == 0);
        in.reweighs = &rw;
        in.nreweighs = 1;
    } else if (strcmp(what, "clean") == 0 || strcmp(what, "reweigh:short") == 0) {
        int is_short = what[0] == 'r';
        for (size_t i = 0; i < nitems; i++) {
            snprintf(f[n].item, sizeof f[n].item, "%s", items[i].id);
            snprintf(f[n].answer, sizeof f[n].answer, "%s",
                     items[i].item == CHECK_SEAL      ? "intact"
                     : items[i].item == CHECK_REWEIGH && is_short ? "fail"
                                                                  : "pass");
            n++;
        }
        reweigh(&rw, 0, is_short);
        in.reweighs = &rw;
        in.nreweighs = 1;
    } else {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", what);
        for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok && n < CHECK_ITEM_COUNT;
             tok = strtok_r(NULL, " ", &save)) {
            char *eq = strchr(tok, '='), *at = strchr(tok, '@');
            if (eq == NULL) {
                fprintf(stderr, "gen_scenarios: %s: not item=answer\n", tok);
                return 1;
            }
            *eq = '\0';
            if (at != NULL)
                *at = '\0';
            snprintf(f[n].item, sizeof f[n].item, "%s", tok);
            snprintf(f[n].answer, sizeof f[n].answer, "%s", eq + 1);
            if (at != NULL)
                day_format(day + atoi(at + 2), f[n].deadline, sizeof f[n].deadline);
            n++;
        }
    }
    in.findings = n ? f : NULL;
    in.nfindings = n;
    return inspection_commit(db, &in) < 0 ? die(stall) : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gen_scenarios DB --handheld H --handhelds K --today DAY\n");
        return 2;
    }
    int me = 0, k = 1;
    day_t today = 0;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--handheld") == 0)
            me = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--handhelds") == 0)
            k = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--today") == 0 && day_parse(argv[i + 1], &today) == 0)
            continue;
        else {
            fprintf(stderr, "gen_scenarios: %s: unknown option\n", argv[i]);
            return 2;
        }
    }
    if (k < 1 || me < 0 || me >= k || today == 0) {
        fprintf(stderr, "gen_scenarios: --handheld, --handhelds and --today are needed\n");
        return 2;
    }
    struct db *db;
    if (db_open(argv[1], &db) < 0)
        return die(argv[1]);
    if (db_begin(db) < 0)
        return die("begin");
    for (int s = 0; s < 60; s++) {
        char stall[16];
        snprintf(stall, sizeof stall, "M%d-%03d", s / 20 + 1, s % 20 + 1);
        int first = s % k, later = (s / 12) % 2 ? (first + 1) % k : first;
        const struct event *ev = scenarios[s % 12];
        for (int e = 0; ev[e].what != NULL; e++)
            if ((ev[e].later ? later : first) == me &&
                commit(db, stall, today - ev[e].ago, ev[e].what, ev[e].night,
                       1 + (s + e) % 2 * 3))
                return 1;
    }
    if (db_commit(db) < 0)
        return die("commit");
    return db_close(db) < 0 ? die("close") : 0;
}
