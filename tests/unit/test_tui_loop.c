/* The whole TUI without a terminal (tui/loop.h): keys typed as the officer
 * types them, through the key table, the screens and the effects, against
 * a real SQLite file and a reference scale simulated on a real
 * pseudo-terminal (devices/sim.h in a child process).  What is asserted is
 * what a user would see afterwards: the database, the screen on top. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <curses.h>
#include <sqlite3.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/error.h"
#include "core/mass.h"
#include "core/utf8.h"
#include "db/db.h"
#include "db/draft.h"
#include "db/inspection.h"
#include "db/officer.h"
#include "db/registry.h"
#include "devices/escpos.h"
#include "devices/printer_sim.h"
#include "devices/sim.h"
#include "tests/unit/clock_fake.h"
#include "tui/i18n.h"
#include "tui/loop.h"
#include "tui/misc_screens.h"
#include "tui/text.h"

#define NOW "2026-03-02T09:00:00Z"

static char dir[256], path[320], ref_link[320], fair_link[320], printer_link[320], receipts[320];
static pid_t ref_pid, fair_pid, printer_pid;
static struct loop *L;
static int64_t T; /* the loop's monotonic clock, ms */
static int keys_typed;

/* A market with a vegetable stall and a meat stall, both with a scale in
 * date, the market's reference scale, and two officers (PIN 1234). */
static int make_db(void)
{
    struct db *db;
    if (db_open(path, &db) < 0)
        return -1;
    struct market m = {.code = "M01", .name = "城东农贸市场"};
    struct stall veg = {.code = "M01-001", .market = "M01", .name = "张记蔬菜",
                        .category = "vegetables", .active = 1};
    struct stall meat = {.code = "M01-002", .market = "M01", .name = "许记肉类",
                         .category = "meat", .active = 1};
    struct instrument s1 = {.code = "M01-001-S1", .kind = "price-computing", .market = "M01",
                            .stall = "M01-001", .cls = "III", .due = "2026-12-31", .active = 1};
    struct instrument s2 = {.code = "M01-002-S1", .kind = "price-computing", .market = "M01",
                            .stall = "M01-002", .cls = "III", .due = "2026-12-31", .active = 1};
    struct instrument ref = {.code = "M01-REF", .kind = "reference", .market = "M01",
                             .cls = "II", .due = "2026-12-31", .active = 1};
    struct instrument fair = {.code = "M01-FAIR", .kind = "fair", .market = "M01",
                              .cls = "III", .due = "2026-12-31", .active = 1};
    struct officer o1 = {.badge = "1001", .name = "李明", .role = ROLE_OFFICER, .active = 1};
    struct officer o2 = {.badge = "1002", .name = "王芳", .role = ROLE_OFFICER, .active = 1};
    /* The market's manager, and another market's stall. */
    struct officer mgr = {.badge = "3001", .name = "周经理", .role = ROLE_MANAGER,
                          .market = "M01", .active = 1};
    struct market m2 = {.code = "M02", .name = "城西农贸市场"};
    struct stall west = {.code = "M02-001", .market = "M02", .name = "赵记水果",
                         .category = "fruit", .active = 1};
    static const unsigned char salt[16] = "stallcheck-test";
    char hash[OFFICER_HASH_LEN];
    int rc = 0;
    if (registry_put_market(db, &m) < 0 || registry_put_stall(db, &veg) < 0 ||
        registry_put_stall(db, &meat) < 0 || registry_put_instrument(db, &s1) < 0 ||
        registry_put_instrument(db, &fair) < 0 ||
        registry_put_instrument(db, &s2) < 0 || registry_put_instrument(db, &ref) < 0 ||
        officer_hash_pin_salted("1234", salt, hash) < 0 || officer_add_hashed(db, &o1, hash) < 0 ||
        officer_add_hashed(db, &o2, hash) < 0 || officer_add_hashed(db, &mgr, hash) < 0 ||
        registry_put_market(db, &m2) < 0 || registry_put_stall(db, &west) < 0)
        rc = -1;
    db_close(db);
    return rc;
}

/* A scale simulated on a pty (devices/sim.h) in a child: its protocol,
 * `load` on it, settled at once; its control file NAME.ctl takes
 * "load 485g". */
static pid_t start_sim(const char *name, const char *spec, const char *load, int64_t d_ug,
                       int64_t max_ug, char *link, size_t size)
{
    snprintf(link, size, "%s/%s.pty", dir, name);
    char control[320];
    snprintf(control, sizeof control, "%s/%s.ctl", dir, name);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        struct sim_options o;
        sim_options_init(&o);
        o.spec = spec;
        mass_parse(load, MASS_G, &o.load_ug);
        o.d_ug = d_ug;
        o.max_ug = max_ug;
        o.settle_ms = 0;
        o.control = control;
        o.link = link;
        _exit(sim_run(&o, NULL, NULL) < 0 ? 1 : 0);
    }
    for (int i = 0; i < 200; i++) {
        struct stat st;
        if (lstat(link, &st) == 0)
            return pid;
        usleep(10000);
    }
    return -1;
}

/* The receipt printer (devices/printer_sim.h) in a child: what it gets in
 * dir/receipts.bin. */
static volatile sig_atomic_t printer_stop;
static void printer_term(int sig)
{
    (void)sig;
    printer_stop = 1;
}

static pid_t start_printer(void)
{
    snprintf(printer_link, sizeof printer_link, "%s/printer.pty", dir);
    snprintf(receipts, sizeof receipts, "%s/receipts.bin", dir);
    struct printer_sim *p;
    if (printer_sim_open(printer_link, &p) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGTERM, printer_term);
        _exit(printer_sim_serve(p, receipts, &printer_stop) < 0 ? 1 : 0);
    }
    printer_sim_forget(p);
    return pid;
}

static void reference_load(const char *load)
{
    char control[320];
    snprintf(control, sizeof control, "%s/ref.ctl", dir); /* a FIFO the simulator reads */
    FILE *f = fopen(control, "w");
    assert_non_null(f);
    fprintf(f, "load %s\n", load);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/stallcheck-tuiloop.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof path, "%s/t.db", dir);
    test_clock_set(NOW);
    if (make_db() < 0)
        return -1;
    ref_pid = start_sim("ref", "mt-sics", "500g", 100 * MASS_MG, 6000 * MASS_G, ref_link,
                        sizeof ref_link);
    fair_pid = start_sim("fair", "kern", "480g", 10 * MASS_G, 30000 * MASS_G, fair_link,
                         sizeof fair_link);
    printer_pid = start_printer();
    return ref_pid > 0 && fair_pid > 0 && printer_pid > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    pid_t pids[] = {ref_pid, fair_pid, printer_pid};
    for (int i = 0; i < 3; i++)
        if (pids[i] > 0) {
            kill(pids[i], SIGTERM);
            waitpid(pids[i], NULL, 0);
        }
    test_clock_set(NULL);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- driving the loop as the terminal does ---- */

static void poll_once(int ms)
{
    struct pollfd fds[8];
    int timeout = ms;
    int n = loop_fds(L, fds, 8, &timeout, T);
    if (timeout < 0 || timeout > ms)
        timeout = ms;
    poll(fds, (nfds_t)n, timeout);
    T += timeout;
    loop_poll(L, T);
}

static void drop_drafts(void)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DELETE FROM drafts", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* A fresh loop at 40x15 on the sign-in screen (one a failed test left
 * open is closed first, its drafts dropped). */
static void open_loop(void)
{
    if (L != NULL) {
        loop_close(L);
        L = NULL;
    }
    drop_drafts();
    static char conn[400], fair_conn[400];
    snprintf(conn, sizeof conn, "mt-sics:conn=%s", ref_link);
    snprintf(fair_conn, sizeof fair_conn, "kern:conn=%s", fair_link);
    struct tui_options opt = {.db_path = path, .printer = printer_link};
    opt.scale_conn[SCALE_REFERENCE] = conn;
    opt.scale_conn[SCALE_FAIR] = fair_conn;
    assert_int_equal(loop_open(&opt, &L), 0);
    loop_resize(L, 40, 15);
    T = 1000;
    keys_typed = 0;
}

static void close_loop(void)
{
    loop_close(L);
    L = NULL;
    drop_drafts();
}

static void press(int k, int is_code)
{
    T += 150;
    keys_typed++;
    loop_key(L, k, is_code, T);
}

/* One function or cursor key: a curses key code (KEY_F(2), KEY_NPAGE). */
static void key(int k)
{
    press(k, 1);
}

/* Each character of s as a key ("\n" is Enter). */
static void type(const char *s)
{
    while (*s) {
        uint32_t cp;
        size_t n = utf8_decode(s, strlen(s), &cp);
        assert_true(n > 0);
        press((int)cp, 0);
        s += n;
    }
}

static enum tui_screen_id top(void)
{
    return loop_top(L, NULL);
}

static const struct session *ses(void)
{
    return loop_session(L);
}

/* Until scale which's reading is stable at the load (µg). */
static void wait_stable(int which, int64_t ug)
{
    for (int i = 0; i < 300; i++) {
        const struct tui_scale *sc = &ses()->scales[which];
        if (sc->online && sc->last.has_value && sc->last.stable && sc->last.ug == ug)
            return;
        poll_once(20);
    }
    fail_msg("scale %d never showed a stable %lld ug", which, (long long)ug);
}

static void wait_reference(int64_t ug)
{
    wait_stable(SCALE_REFERENCE, ug);
}

/* The answer of a count(*) query, read as a user would with sqlite3. */
static int count_rows(const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* The day's team signs in: 1001, then 1002. */
static void sign_in(void)
{
    assert_int_equal(top(), SCR_SIGNIN);
    type("1001\n1234\n");
    assert_int_equal(top(), SCR_TEAM);
    type("1002\n1234\n");
    assert_int_equal(top(), SCR_PICK);
}

/* ---- the defects, each as a newcomer met it ---- */

/* A stall code scanned on a stall card opens that stall with its own
 * inspection: the draft is written, the officer named, the summary has a
 * score preview, confirm saves it. */
static void scanned_code_on_a_card_keeps_the_inspection(void **state)
{
    (void)state;
    open_loop();
    sign_in();
    type("M01-001\n");
    assert_int_equal(top(), SCR_STALL);
    type("M01-002\n");
    assert_int_equal(top(), SCR_STALL);
    assert_string_equal(ses()->card.stall, "M01-002");
    type("1");
    assert_int_equal(top(), SCR_CHECKLIST);
    type("111");
    assert_string_equal(ses()->visit.stall, "M01-002");
    assert_string_equal(ses()->visit.officer1, "1001");
    assert_int_equal(count_rows("SELECT count(*) FROM drafts WHERE stall = 'M01-002'"), 1);
    close_loop();
}

/* Below 40x15 the screen is hidden behind "terminal too small": a key
 * must not act on it (here: confirm on the summary). */
static void too_small_takes_no_key_but_quit(void **state)
{
    (void)state;
    open_loop();
    sign_in();
    type("M01-001\n1");
    /* seven items pass; the re-weigh item n/a, with why */
    type("1111111");
    int before = count_rows("SELECT count(*) FROM inspections");
    type("3no goods sold by weight\n");
    type("9");
    assert_int_equal(top(), SCR_SUMMARY);
    loop_resize(L, 30, 10);
    type("1");
    assert_int_equal(count_rows("SELECT count(*) FROM inspections"), before);
    assert_int_equal(top(), SCR_SUMMARY);
    key(KEY_F(10));
    assert_true(loop_quit(L));
    close_loop();
}

/* A meat stall's goods are judged against the meat row of the retail
 * table (《零售商品称重计量监督管理办法》附表1: 5 g allowed at 500 g), not
 * the vegetables' (20 g): 485 g for 500 g is short weight. */
static void meat_stall_reweighed_against_the_meat_row(void **state)
{
    (void)state;
    reference_load("485g");
    open_loop();
    sign_in();
    type("M01-002\n");
    assert_int_equal(top(), SCR_STALL);
    type("2");
    assert_int_equal(top(), SCR_REWEIGH);
    type("500\n12\n");
    wait_reference(485 * MASS_G);
    type("1");
    const struct visit *v = &ses()->visit;
    assert_int_equal(v->n_reweigh, 1);
    assert_int_equal(v->reweigh[0].category, REWEIGH_MEAT_EGG_AQUATIC);
    assert_int_equal(v->reweigh[0].allowed_ug, 5 * MASS_G);
    assert_int_equal(v->reweigh[0].verdict, REWEIGH_FAIL);
    close_loop();
    reference_load("500g");
}

/* F1 opens the key table at the keys of the screen it was pressed on, and
 * PgDn/PgUp turn its pages. */
static void help_opens_at_the_screens_keys(void **state)
{
    (void)state;
    open_loop();
    sign_in();
    type("M01-001\n1");
    assert_int_equal(top(), SCR_CHECKLIST);
    key(KEY_F(1));
    const void *st;
    assert_int_equal(loop_top(L, &st), SCR_HELP);
    const struct help_state *h = st;
    int at = h->scroll;
    assert_true(at > 0);
    key(KEY_NPAGE);
    assert_true(h->scroll > at + 5);
    key(KEY_PPAGE);
    assert_int_equal(h->scroll, at);
    close_loop();
}

/* A wrong PIN says how many tries are left; the fifth locks the badge and
 * says for how long. */
static void wrong_pins_say_tries_left_and_lock_time(void **state)
{
    (void)state;
    open_loop();
    type("1002\n9999\n");
    assert_int_equal(top(), SCR_SIGNIN);
    assert_non_null(strstr(ses()->message, "4"));
    for (int i = 0; i < 4; i++)
        type("9999\n");
    assert_non_null(strstr(ses()->message, "15"));
    close_loop();
    struct db *db;
    assert_int_equal(db_open(path, &db), 0);
    assert_int_equal(officer_set_pin(db, "1002", "1234"), 0);
    db_close(db);
}

/* The key budget: a clean stall (every item passes, one re-weigh on the
 * reference scale, the declared weight and the unit price typed) from
 * today's list to the saved record, the team signed in: at most 20 keys. */
static void clean_stall_in_twenty_keys(void **state)
{
    (void)state;
    reference_load("500g");
    open_loop();
    sign_in();
    int before = count_rows("SELECT count(*) FROM inspections WHERE stall = 'M01-001'");
    keys_typed = 0;
    type("1");                 /* the first stall of today's list */
    assert_int_equal(top(), SCR_STALL);
    type("1");                 /* its checklist */
    type("1111111");           /* seven items pass */
    type("1");                 /* the re-weigh item opens the re-weigh */
    assert_int_equal(top(), SCR_REWEIGH);
    type("500\n12\n");
    wait_reference(500 * MASS_G);
    type("1");                 /* capture: back on the checklist, answered */
    assert_int_equal(top(), SCR_CHECKLIST);
    assert_int_equal(ses()->visit.answers[CHECK_REWEIGH], ANSWER_PASS);
    type("9");
    assert_int_equal(top(), SCR_SUMMARY);
    type("1");
    assert_int_equal(top(), SCR_PICK);
    print_message("# clean stall: %d keys\n", keys_typed);
    assert_true(keys_typed <= 20);
    assert_int_equal(count_rows("SELECT count(*) FROM inspections WHERE stall = 'M01-001' "
                                "AND status = 'committed' AND officer1 = '1001' "
                                "AND officer2 = '1002'"),
                     before + 1);
    assert_int_equal(count_rows("SELECT count(*) FROM reweighs r JOIN inspections i "
                                "ON i.id = r.inspection WHERE i.stall = 'M01-001' "
                                "AND r.verdict = 'pass' AND r.category = 'grain-veg-fruit'"),
                     1);
    close_loop();
}

/* Idle for the lock time, the handheld locks over whatever was being
 * typed; either officer's PIN opens it, and the typing goes on where it
 * was (a note half typed ends on its own item). */
static void idle_lock_loses_nothing(void **state)
{
    (void)state;
    open_loop();
    sign_in();
    type("M01-002\n1");
    type("12");                /* licence shown, price tags FAILED */
    assert_int_equal(top(), SCR_CHECKLIST);
    type("5无价");              /* a note being typed on price tags */
    T += 5 * 60 * 1000;        /* five minutes without a key */
    loop_poll(L, T);
    assert_int_equal(top(), SCR_LOCK);
    type("0");                 /* back: not past the lock; a PIN digit */
    type("\n");
    assert_int_equal(top(), SCR_LOCK);
    key(KEY_F(3));             /* the second officer's PIN */
    type("1234\n");
    assert_int_equal(top(), SCR_CHECKLIST);
    type("签\n");
    assert_string_equal(ses()->visit.notes[CHECK_PRICE_TAGS], "无价签");
    assert_int_equal(ses()->visit.answers[CHECK_PRICE_TAGS], ANSWER_FAIL);
    close_loop();
}

/* The fair-scale station: a customer's 500 g of pork at 30 元/kg weighs
 * 480 g on the fair scale.  The meat row allows 5 g (附表1): short weight,
 * and the stall makes good twice the 0.60 元 (缺一补二).  Recorded against the
 * stall as `stallcheck fairscale` records it (one re-weigh at the fair
 * scale), and the ticket printed: the printer got it, in Chinese. */
static void fairscale_station_records_and_prints(void **state)
{
    (void)state;
    /* The ticket is a Chinese paper whatever the screen's language: it
     * needs the build tree's catalogues, as the binary binds them. */
    i18n_init(NULL);
    open_loop();
    sign_in();
    type("6");
    assert_int_equal(top(), SCR_FAIRSCALE);
    assert_string_equal(ses()->fair.scale, "M01-FAIR");
    type("M01-002\n猪肉\n500\n30\n");
    assert_string_equal(ses()->fair.stall, "M01-002");
    wait_stable(SCALE_FAIR, 480 * MASS_G);
    type("1");
    assert_true(ses()->fair.recorded);
    assert_int_equal(ses()->fair.verdict, REWEIGH_FAIL);
    assert_int_equal(ses()->fair.owed_fen, 120);
    assert_int_equal(ses()->fair.printed, 1);
    assert_int_equal(count_rows("SELECT count(*) FROM reweighs r JOIN inspections i "
                                "ON i.id = r.inspection WHERE i.stall = 'M01-002' "
                                "AND r.method = 'fair' AND r.verdict = 'fail' "
                                "AND r.measured_ug = 480000000 AND r.goods = '猪肉' "
                                "AND r.category = 'meat-egg-aquatic' AND i.officer1 = '1001'"),
                     1);
    /* The ticket as the printer received it. */
    char *text = NULL;
    for (int i = 0; i < 100 && text == NULL; i++) {
        FILE *f = fopen(receipts, "rb");
        unsigned char buf[8192];
        size_t n = f != NULL ? fread(buf, 1, sizeof buf, f) : 0;
        if (f != NULL)
            fclose(f);
        if (n > 0 && escpos_decode(buf, n, &text) < 0)
            text = NULL;
        if (text != NULL && strstr(text, "[cut]") == NULL) {
            free(text);
            text = NULL;
        }
        if (text == NULL)
            usleep(20000);
    }
    assert_non_null(text);
    assert_non_null(strstr(text, "公平秤复秤单"));
    assert_non_null(strstr(text, "M01-002"));
    free(text);
    close_loop();
}

/* The fair scale (公平秤) is the market's desk, run by its manager
 * (《集贸市场计量监督管理办法》): the manager of M01 opens it from today's
 * list with 6, records nothing against a stall of M02 (told why), and
 * records a check against their own market's stall, named by their badge. */
static void manager_runs_own_markets_fair_scale(void **state)
{
    (void)state;
    open_loop();
    type("3001\n1234\n");
    assert_int_equal(top(), SCR_PICK);
    type("6");
    assert_int_equal(top(), SCR_FAIRSCALE);
    type("M02-001\n");
    assert_string_equal(ses()->fair.stall, "");
    assert_non_null(strstr(ses()->message, "may not record fair-scale checks in market M02"));
    for (int i = 0; i < 7; i++)
        key(KEY_BACKSPACE);
    type("M01-002\n猪肉\n500\n30\n");
    assert_string_equal(ses()->fair.stall, "M01-002");
    wait_stable(SCALE_FAIR, 480 * MASS_G);
    type("1");
    assert_true(ses()->fair.recorded);
    assert_int_equal(count_rows("SELECT count(*) FROM reweighs r JOIN inspections i "
                                "ON i.id = r.inspection WHERE i.stall = 'M01-002' "
                                "AND r.method = 'fair' AND i.officer1 = '3001'"),
                     1);
    assert_int_equal(count_rows("SELECT count(*) FROM inspections WHERE stall = 'M02-001'"), 0);
    close_loop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scanned_code_on_a_card_keeps_the_inspection),
        cmocka_unit_test(too_small_takes_no_key_but_quit),
        cmocka_unit_test(meat_stall_reweighed_against_the_meat_row),
        cmocka_unit_test(help_opens_at_the_screens_keys),
        cmocka_unit_test(wrong_pins_say_tries_left_and_lock_time),
        cmocka_unit_test(clean_stall_in_twenty_keys),
        cmocka_unit_test(idle_lock_loses_nothing),
        cmocka_unit_test(fairscale_station_records_and_prints),
        cmocka_unit_test(manager_runs_own_markets_fair_scale),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
