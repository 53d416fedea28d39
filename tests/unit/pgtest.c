/* See pgtest.h.  Starts tests/pg.sh through popen: the harness is one shell
 * script shared by the shell suites and the C tests. */
#include "pgtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char pg_url[600];
static char pg_dir[600];
static char pg_why[256];
static int pg_tried;

static const char *top_dir(void)
{
    const char *top = getenv("STALLCHECK_TOP");
    return top && *top ? top : ".";
}

static void pgtest_stop(void)
{
    if (pg_dir[0])
        pgtest_ctl("stop");
    pg_dir[0] = '\0';
}

int pgtest_ctl(const char *verb)
{
    if (!pg_dir[0])
        return -1;
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "sh '%s/tests/pg.sh' %s '%s' </dev/null", top_dir(), verb, pg_dir);
    return system(cmd) == 0 ? 0 : -1;
}

const char *pgtest_url(void)
{
    const char *ext = getenv("STALLCHECK_TEST_PG_URL");
    if (ext && *ext)
        return ext;
    if (pg_tried)
        return pg_url[0] ? pg_url : NULL;
    pg_tried = 1;
    char cmd[800];
    snprintf(cmd, sizeof cmd, "sh '%s/tests/pg.sh' start %ld </dev/null", top_dir(), (long)getpid());
    FILE *p = popen(cmd, "r");
    if (!p) {
        snprintf(pg_why, sizeof pg_why, "cannot run tests/pg.sh");
        return NULL;
    }
    char line[600];
    while (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "STALLCHECK_PG_DIR=", 18) == 0)
            snprintf(pg_dir, sizeof pg_dir, "%s", line + 18);
        else if (strncmp(line, "STALLCHECK_PG_URL=", 18) == 0)
            snprintf(pg_url, sizeof pg_url, "%s", line + 18);
    }
    int rc = pclose(p);
    if (rc != 0 || !pg_url[0] || !pg_dir[0]) {
        snprintf(pg_why, sizeof pg_why, "tests/pg.sh could not start a PostgreSQL server (exit %d)", rc);
        pg_url[0] = '\0';
        return NULL;
    }
    atexit(pgtest_stop);
    return pg_url;
}

const char *pgtest_why(void)
{
    return pg_why[0] ? pg_why : "no server";
}

const char *pgtest_dir(void)
{
    return pg_dir[0] ? pg_dir : NULL;
}

int pgtest_required(void)
{
    const char *ci = getenv("CI");
    return ci && *ci && strcmp(ci, "false") != 0;
}
