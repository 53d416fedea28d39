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
#include "db/db.h"
#include "db/draft.h"
#include "db/inspection.h"
#include "db/officer.h"
#include "db/registry.h"
#include "devices/sim.h"
#include "tests/unit/clock_fake.h"
#include "tui/loop.h"
#include "tui/text.h"

#define NOW "2026-03-02T09:00:00Z"

static char dir[256], path[320], ref_link[320];
static pid_t ref_pid;
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
    struct officer o1 = {.badge = "1001", .name = "李明", .role = ROLE_OFFICER, .active = 1};
    struct officer o2 = {.badge = "1002", .name = "王芳", .role = ROLE_OFFICER, .active = 1};
    static const unsigned char salt[16] = "stallcheck-test";
    char hash[OFFICER_HASH_LEN];
    int rc = 0;
    if (registry_put_market(db, &m) < 0 || registry_put_stall(db, &veg) < 0 ||
        registry_put_stall(db, &meat) < 0 || registry_put_instrument(db, &s1) < 0 ||
        registry_put_instrument(db, &s2) < 0 || registry_put_instrument(db, &ref) < 0 ||
        officer_hash_pin_salted("1234", salt, hash) < 0 || officer_add_hashed(db, &o1, hash) < 0 ||
        officer_add_hashed(db, &o2, hash) < 0)
        rc = -1;
    db_close(db);
    return rc;
}

/* The reference scale: MT-SICS on a pty, `load_g` grams on it, settled at
 * once; its control file takes "load 485g". */
static int start_reference(const char *load)
{
    snprintf(ref_link, sizeof ref_link, "%s/ref.pty", dir);
    char control[320];
    snprintf(control, sizeof control, "%s/ref.ctl", dir);
    ref_pid = fork();
    if (ref_pid < 0)
        return -1;
    if (ref_pid == 0) {
        struct sim_options o;
        sim_options_init(&o);
        o.spec = "mt-sics";
        mass_parse(load, MASS_G, &o.load_ug);
        o.d_ug = 100 * MASS_MG;
        o.max_ug = 6000 * MASS_G;
        o.settle_ms = 0;
        o.control = control;
        o.link = ref_link;
        _exit(sim_run(&o, NULL, NULL) < 0 ? 1 : 0);
    }
    for (int i = 0; i < 200; i++) {
        struct stat st;
        if (lstat(ref_link, &st) == 0)
            return 0;
        usleep(10000);
    }
    return -1;
}

static void reference_load(const char *load)
{
    char control[320];
    snprintf(control, sizeof control, "%s/ref.ctl", dir);
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
    return start_reference("500g");
}

static int teardown(void **state)
{
    (void)state;
    if (ref_pid > 0) {
        kill(ref_pid, SIGTERM);
        waitpid(ref_pid, NULL, 0);
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

static void open_loop(void)
{
    char conn[400];
    snprintf(conn, sizeof conn, "mt-sics:conn=%s", ref_link);
    struct tui_options opt = {.db_path = path};
    opt.scale_conn[SCALE_REFERENCE] = conn;
    assert_int_equal(loop_open(&opt, &L), 0);
    loop_resize(L, 40, 15);
    T = 1000;
    keys_typed = 0;
}

static void close_loop(void)
{
    loop_close(L);
    L = NULL;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "DELETE FROM drafts", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* One key as typed: a character, or a curses key code (KEY_F(2)). */
static void key(int k)
{
    T += 150;
    keys_typed++;
    loop_key(L, k, k >= KEY_MIN, T);
}

/* Each character of s as a key ("\n" is Enter). */
static void type(const char *s)
{
    for (; *s; s++)
        key((unsigned char)*s);
}

static enum tui_screen_id top(void)
{
    return loop_top(L, NULL);
}

static const struct session *ses(void)
{
    return loop_session(L);
}

/* Until the reference scale's reading is stable at the load (µg). */
static void wait_reference(int64_t ug)
{
    for (int i = 0; i < 300; i++) {
        const struct tui_scale *sc = &ses()->scales[SCALE_REFERENCE];
        if (sc->online && sc->last.has_value && sc->last.stable && sc->last.ug == ug)
            return;
        poll_once(20);
    }
    fail_msg("the reference scale never showed a stable %lld ug", (long long)ug);
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

static void sign_in(void)
{
    assert_int_equal(top(), SCR_SIGNIN);
    type("1001\n1234\n");
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
    /* seven items pass; the re-weigh item n/a */
    type("1111111");
    int before = count_rows("SELECT count(*) FROM inspections");
    type("3");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(scanned_code_on_a_card_keeps_the_inspection),
        cmocka_unit_test(too_small_takes_no_key_but_quit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
