/* The C side of the PostgreSQL harness: a cmocka test gets a URL, libpq
 * connects to it, and a killed server comes back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <libpq-fe.h>

#include "pgtest.h"

static const char *url_or_skip(void)
{
    const char *url = pgtest_url();
    if (!url) {
        if (pgtest_required())
            fail_msg("%s", pgtest_why());
        print_message("# SKIP %s\n", pgtest_why());
        skip();
    }
    return url;
}

static char *one_value(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    char *v = strdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

static void connects_over_loopback(void **state)
{
    (void)state;
    PGconn *c = PQconnectdb(url_or_skip());
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    char *v = one_value(c, "SELECT inet_server_addr()::text");
    assert_string_equal(v, "127.0.0.1/32");
    free(v);
    PQfinish(c);
}

static void survives_kill_and_restart(void **state)
{
    (void)state;
    const char *url = url_or_skip();
    if (!pgtest_dir())
        skip(); /* an external server is not ours to kill */
    PGconn *c = PQconnectdb(url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PQclear(PQexec(c, "CREATE TABLE k (x int); INSERT INTO k VALUES (7)"));
    assert_int_equal(pgtest_ctl("kill"), 0);
    PGresult *r = PQexec(c, "SELECT 1");
    assert_int_not_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    PQclear(r);
    PQfinish(c);
    assert_int_equal(pgtest_ctl("restart"), 0);
    c = PQconnectdb(url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    char *v = one_value(c, "SELECT sum(x) FROM k");
    assert_string_equal(v, "7");
    free(v);
    PQfinish(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(connects_over_loopback),
        cmocka_unit_test(survives_kill_and_restart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
