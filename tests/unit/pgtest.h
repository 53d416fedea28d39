/* A real PostgreSQL server for cmocka tests: the throwaway cluster of
 * tests/pg.sh, started on first use and stopped when the test exits (and by
 * its watchdog if the test crashes).  $STALLCHECK_TEST_PG_URL, when set,
 * names a server to use instead (nothing is started or stopped then). */
#ifndef STALLCHECK_TESTS_PGTEST_H
#define STALLCHECK_TESTS_PGTEST_H

/* The connection URL, or NULL when no server could be started; the reason is
 * then in pgtest_why().  Under CI (CI set) a test must fail, not skip, when
 * this is NULL: pgtest_required() says so. */
const char *pgtest_url(void);
const char *pgtest_why(void);
int pgtest_required(void);

/* The cluster's directory (NULL for an external server): for pg.sh kill /
 * restart in tests that cut the server. */
const char *pgtest_dir(void);
/* Runs "sh tests/pg.sh VERB DIR" on the started cluster; 0 on success. */
int pgtest_ctl(const char *verb);

#endif
