/* A handheld's database for the sync and verify tests and the load bench:
 *   gen_handheld DB [--inspections N] [--calibrations N] [--seed S]
 * The registry is the same for every seed (3 markets, 20 stalls each, an
 * instrument per stall, officers A001 admin, O101..O105 officers, K201
 * metrology, G301 manager of M1; PIN 1234; O103 recused from M1); the
 * inspections differ by seed (and their UUIDs always differ).  Built by
 * tests/tools/build.sh against the library; not part of stallcheck. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/checklist.h"
#include "core/error.h"
#include "db/calibration.h"
#include "db/db.h"
#include "db/inspection.h"
#include "db/officer.h"
#include "db/registry.h"

static uint64_t rng_state;
static uint32_t rnd(void)
{
    /* splitmix64: a fixture's randomness, not the draw's */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static int die(const char *what)
{
    fprintf(stderr, "gen_handheld: %s: %s\n", what, sc_error_message());
    return 1;
}

static int registry(struct db *db)
{
    static const char *const names[] = {"东门菜市场", "西湖农贸市场", "南桥集贸市场"};
    for (int m = 0; m < 3; m++) {
        struct market mk = {0};
        snprintf(mk.code, sizeof mk.code, "M%d", m + 1);
        snprintf(mk.name, sizeof mk.name, "%s", names[m]);
        snprintf(mk.district, sizeof mk.district, "示范区");
        if (registry_put_market(db, &mk) < 0)
            return die("market");
        for (int s = 0; s < 20; s++) {
            struct stall st = {0};
            snprintf(st.code, sizeof st.code, "M%d-%03d", m + 1, s + 1);
            snprintf(st.market, sizeof st.market, "M%d", m + 1);
            snprintf(st.name, sizeof st.name, "摊位 %d", s + 1);
            snprintf(st.category, sizeof st.category, "%s", s % 2 ? "vegetables" : "meat");
            st.active = 1;
            if (registry_put_stall(db, &st) < 0)
                return die("stall");
            struct instrument in;
            memset(&in, 0, sizeof in);
            snprintf(in.code, sizeof in.code, "S-%s", st.code);
            snprintf(in.kind, sizeof in.kind, "price-computing");
            snprintf(in.market, sizeof in.market, "%s", st.market);
            snprintf(in.stall, sizeof in.stall, "%s", st.code);
            snprintf(in.cls, sizeof in.cls, "III");
            in.max_ug = 15000000000LL;
            in.min_ug = 100000000LL;
            in.e_ug = 5000000LL;
            in.d_ug = 5000000LL;
            snprintf(in.due, sizeof in.due, "2027-01-31");
            in.active = 1;
            if (registry_put_instrument(db, &in) < 0)
                return die("instrument");
        }
    }
    char hash[OFFICER_HASH_LEN];
    if (officer_hash_pin("1234", hash) < 0)
        return die("pin");
    static const struct {
        const char *badge, *name;
        enum officer_role role;
        const char *market;
    } officers[] = {
        {"A001", "管理员", ROLE_ADMIN, ""},     {"O101", "王强", ROLE_OFFICER, ""},
        {"O102", "李娜", ROLE_OFFICER, ""},     {"O103", "张伟", ROLE_OFFICER, ""},
        {"O104", "刘洋", ROLE_OFFICER, ""},     {"O105", "陈静", ROLE_OFFICER, ""},
        {"K201", "赵计量", ROLE_METROLOGY, ""}, {"G301", "周经理", ROLE_MANAGER, "M1"},
    };
    for (size_t i = 0; i < sizeof officers / sizeof officers[0]; i++) {
        struct officer o;
        memset(&o, 0, sizeof o);
        snprintf(o.badge, sizeof o.badge, "%s", officers[i].badge);
        snprintf(o.name, sizeof o.name, "%s", officers[i].name);
        o.role = officers[i].role;
        snprintf(o.market, sizeof o.market, "%s", officers[i].market);
        o.active = 1;
        if (officer_add_hashed(db, &o, hash) < 0)
            return die("officer");
    }
    if (officer_add_recusal(db, "O103", "M1", "亲属在该市场经营") < 0)
        return die("recusal");
    return 0;
}

static int inspections(struct db *db, long n, int draft)
{
    size_t nitems;
    const struct checklist_item_info *items = checklist_items(&nitems);
    static const unsigned char frame[] = "ST,+001.250kg\r\n";
    for (long k = 0; k < n; k++) {
        struct inspection in;
        memset(&in, 0, sizeof in);
        int m = (int)(rnd() % 3) + 1, s = (int)(rnd() % 20) + 1;
        snprintf(in.stall, sizeof in.stall, "M%d-%03d", m, s);
        snprintf(in.officer1, sizeof in.officer1, "O10%d", (int)(rnd() % 2) * 3 + 1);
        snprintf(in.officer2, sizeof in.officer2, "O102");
        int day = (int)(rnd() % 28) + 1, mon = (int)(rnd() % 3) + 9;
        snprintf(in.started_at, sizeof in.started_at, "2026-%02d-%02dT%02d:%02d:00Z", mon, day,
                 8 + (int)(rnd() % 9), (int)(rnd() % 60));
        snprintf(in.place, sizeof in.place, "M%d 摊位 %d", m, s);
        struct finding f[CHECK_ITEM_COUNT];
        memset(f, 0, sizeof f);
        for (size_t i = 0; i < nitems; i++) {
            snprintf(f[i].item, sizeof f[i].item, "%s", items[i].id);
            int fail = rnd() % 25 == 0;
            if (items[i].item == CHECK_SEAL)
                snprintf(f[i].answer, sizeof f[i].answer, "%s", fail ? "broken" : "intact");
            else
                snprintf(f[i].answer, sizeof f[i].answer, "%s", fail ? "fail" : "pass");
            if (fail)
                snprintf(f[i].deadline, sizeof f[i].deadline, "2026-12-%02d", day);
        }
        in.findings = f;
        in.nfindings = nitems;
        struct measurement me;
        struct reweigh rw;
        if (rnd() % 2) {
            memset(&me, 0, sizeof me);
            snprintf(me.instrument, sizeof me.instrument, "S-%s", in.stall);
            snprintf(me.driver, sizeof me.driver, "and-std");
            me.raw = frame;
            me.raw_len = sizeof frame - 1;
            snprintf(me.value, sizeof me.value, "1.250");
            snprintf(me.unit, sizeof me.unit, "kg");
            me.has_value_ug = 1;
            me.value_ug = 1250000000LL;
            me.stable = 1;
            in.measurements = &me;
            in.nmeasurements = 1;
            memset(&rw, 0, sizeof rw);
            snprintf(rw.goods, sizeof rw.goods, "猪肉");
            snprintf(rw.category, sizeof rw.category, "meat-egg-aquatic");
            rw.declared_ug = 1250000000LL;
            rw.measured_ug = 1250000000LL;
            rw.unit_price_fen = 2800;
            rw.has_allowed = 1;
            rw.allowed_ug = 10000000LL;
            rw.verdict = REWEIGH_PASS;
            rw.method = REWEIGH_AT_REFERENCE;
            snprintf(rw.measurement, sizeof rw.measurement, "%s", me.id);
            in.reweighs = &rw;
            in.nreweighs = 1;
        }
        if (inspection_commit(db, &in) < 0)
            return die("inspection");
        (void)draft;
    }
    return 0;
}

/* Verifications by metrology staff (K201): a weighing test of three loads. */
static int calibrations(struct db *db, long n)
{
    /* The issuing body every certificate names (db/paper.h). */
    if (n > 0 && (db_setting_set(db, "issuing_body", "测试区市场监督管理局") < 0 ||
                  db_setting_set(db, "issuing_body.authorisation", "(测)法计(2026)00001号") < 0))
        return die("settings");
    for (long k = 0; k < n; k++) {
        struct calibration c;
        memset(&c, 0, sizeof c);
        int m = (int)(rnd() % 3) + 1, s = (int)(rnd() % 20) + 1;
        snprintf(c.instrument, sizeof c.instrument, "S-M%d-%03d", m, s);
        snprintf(c.officer, sizeof c.officer, "K201");
        snprintf(c.started_at, sizeof c.started_at, "2026-10-%02dT09:00:00Z", (int)(rnd() % 28) + 1);
        snprintf(c.ended_at, sizeof c.ended_at, "%.11s10:00:00Z", c.started_at);
        snprintf(c.temperature, sizeof c.temperature, "21.5");
        snprintf(c.humidity, sizeof c.humidity, "50");
        snprintf(c.mark_no, sizeof c.mark_no, "JD-M-%ld", k + 1);
        snprintf(c.seal_no, sizeof c.seal_no, "FY-%ld", k + 1);
        snprintf(c.verdict, sizeof c.verdict, "pass");
        snprintf(c.certificate_no, sizeof c.certificate_no, "JD-%ld", k + 1);
        struct calibration_step st[3];
        memset(st, 0, sizeof st);
        for (int i = 0; i < 3; i++) {
            st[i].seq = i + 1;
            snprintf(st[i].test, sizeof st[i].test, "weighing");
            st[i].load_ug = (int64_t)(i + 1) * 5000000000LL;
            st[i].has_indication = 1;
            st[i].indication_ug = st[i].load_ug;
            st[i].added_ug = -1;
            st[i].mpe_ug = 5000000;
            st[i].judged = 1;
            st[i].pass = 1;
        }
        if (calibration_commit(db, &c, st, 3, "") < 0)
            return die("calibration");
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gen_handheld DB [--inspections N] [--calibrations N] [--seed S] "
                        "[--no-registry]\n");
        return 2;
    }
    long n = 10, ncal = 0;
    int with_registry = 1, draft = 0;
    rng_state = 1;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--inspections") == 0 && i + 1 < argc)
            n = atol(argv[++i]);
        else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
            rng_state = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--calibrations") == 0 && i + 1 < argc)
            ncal = atol(argv[++i]);
        else if (strcmp(argv[i], "--no-registry") == 0)
            with_registry = 0;
        else if (strcmp(argv[i], "--draft") == 0)
            draft = 1;
        else {
            fprintf(stderr, "gen_handheld: %s: unknown option\n", argv[i]);
            return 2;
        }
    }
    struct db *db;
    if (db_open(argv[1], &db) < 0)
        return die(argv[1]);
    db_bulk(db, 1);
    if (db_begin(db) < 0)
        return die("begin");
    if (with_registry && registry(db))
        return 1;
    if (inspections(db, n, draft) || calibrations(db, ncal))
        return 1;
    if (db_commit(db) < 0)
        return die("commit");
    db_bulk(db, 0);
    return db_close(db) < 0 ? die("close") : 0;
}
