/* The TUI's effects against a real SQLite file: the handlers the main loop
 * runs (tui/fx.h), driven as the loop drives them, and the screens given
 * what they loaded.  No terminal, no scale.  The clock is pinned
 * (db_clock_set) to 2026-03-01. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "db/officer.h"
#include "db/registry.h"
#include "tui/fx.h"
#include "tui/stall.h"
#include "tui/text.h"

#define NOW "2026-03-01T09:00:00Z"

static char dir[256], path[320];
static struct session ses;

/* A market, one stall with a scale never verified (no due date), one in
 * date and one past its date; officer 1001 with PIN 1234. */
static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/stallcheck-tuifx.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof path, "%s/t.db", dir);
    unsetenv("STALLCHECK_RULES");
    db_clock_set(NOW);
    struct db *db;
    if (db_open(path, &db) < 0)
        return -1;
    struct market m = {.code = "M01", .name = "城东农贸市场"};
    struct stall s = {.code = "M01-001", .market = "M01", .name = "张记蔬菜",
                      .category = "vegetables", .active = 1};
    struct instrument never = {.code = "SC-NEW", .kind = "price-computing", .market = "M01",
                               .stall = "M01-001", .cls = "III", .active = 1};
    struct instrument ok = {.code = "SC-OK", .kind = "platform", .market = "M01",
                            .stall = "M01-001", .cls = "III", .due = "2026-12-31", .active = 1};
    struct instrument old = {.code = "SC-OLD", .kind = "platform", .market = "M01",
                             .stall = "M01-001", .cls = "III", .due = "2026-02-28", .active = 1};
    struct officer o = {.badge = "1001", .name = "李明", .role = ROLE_OFFICER, .active = 1};
    static const unsigned char salt[16] = "stallcheck-test";
    char hash[OFFICER_HASH_LEN];
    int rc = 0;
    if (registry_put_market(db, &m) < 0 || registry_put_stall(db, &s) < 0 ||
        registry_put_instrument(db, &never) < 0 || registry_put_instrument(db, &ok) < 0 ||
        registry_put_instrument(db, &old) < 0 ||
        officer_hash_pin_salted("1234", salt, hash) < 0 || officer_add_hashed(db, &o, hash) < 0)
        rc = -1;
    db_close(db);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    db_clock_set(NULL);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The loop's parts, opened on the test database and signed in as 1001. */
struct loop {
    struct scales *scales;
    struct fx *fx;
};

static void open_signed_in(struct loop *l)
{
    memset(&ses, 0, sizeof ses);
    struct tui_options opt = {.db_path = path};
    assert_int_equal(scales_open(opt.scale_conn, &ses, &l->scales), 0);
    assert_int_equal(fx_open(&opt, &ses, l->scales, &l->fx), 0);
    struct tui_effect e = {.kind = EFF_SIGN_IN};
    text_copy(e.who.badge, sizeof e.who.badge, "1001");
    text_copy(e.who.pin, sizeof e.who.pin, "1234");
    assert_int_equal(fx_perform(l->fx, &ses, &e), 0);
    assert_string_equal(ses.badge, "1001");
}

static void close_loop(struct loop *l)
{
    fx_close(l->fx);
    scales_close(l->scales);
}

static const struct session_instrument *instrument(const char *code)
{
    for (int i = 0; i < ses.card.n_instruments; i++)
        if (strcmp(ses.card.instruments[i].code, code) == 0)
            return &ses.card.instruments[i];
    fail_msg("%s not on the card", code);
    return NULL;
}

/* A trade scale may not be used unverified (计量法 Art. 9, JJG 539): one
 * never verified is overdue, and the card answers "verification in date"
 * as failed before the officer starts. */
static void never_verified_is_overdue(void **state)
{
    (void)state;
    struct loop l;
    open_signed_in(&l);
    struct tui_effect e = {.kind = EFF_LOAD_STALL};
    text_copy(e.stall, sizeof e.stall, "M01-001");
    assert_int_equal(fx_perform(l.fx, &ses, &e), 0);
    assert_int_equal(ses.card.n_instruments, 3);
    const struct session_instrument *never = instrument("SC-NEW");
    const struct session_instrument *ok = instrument("SC-OK");
    const struct session_instrument *old = instrument("SC-OLD");
    assert_true(never != NULL && never->overdue);
    assert_true(ok != NULL && !ok->overdue);
    assert_true(old != NULL && old->overdue);
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    struct tui_event enter = {.kind = EV_ENTER};
    stall_handle(NULL, &ses, &enter, &rx);
    assert_int_equal(ses.visit.answers[CHECK_VERIFICATION_DUE], ANSWER_FAIL);
    close_loop(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(never_verified_is_overdue),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
