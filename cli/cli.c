/* Helpers shared by the subcommands: the database path and error reports. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/error.h"
#include "core/termsafe.h"
#include "core/utf8.h"
#include "db/db.h"
#include "db/registry.h"

static char *db_path_option;
static char *db_path_default;

void cli_set_db_path(const char *path)
{
    free(db_path_option);
    db_path_option = path ? strdup(path) : NULL;
}

int cli_db_path_is_default(void)
{
    const char *env = getenv("STALLCHECK_DB");
    return db_path_option == NULL && (env == NULL || env[0] == '\0');
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0700) == 0 || errno == EEXIST)
        return 0;
    return -1;
}

const char *cli_db_path(void)
{
    if (db_path_option != NULL)
        return db_path_option;
    const char *env = getenv("STALLCHECK_DB");
    if (env != NULL && env[0] != '\0')
        return env;
    if (db_path_default != NULL)
        return db_path_default;
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    char base[4096];
    if (xdg != NULL && xdg[0] == '/') {
        snprintf(base, sizeof base, "%s", xdg);
    } else if (home != NULL && home[0] != '\0') {
        snprintf(base, sizeof base, "%s/.local", home);
        make_dir(base);
        snprintf(base, sizeof base, "%s/.local/share", home);
    } else {
        sc_error_set(SC_ERR_NOTFOUND, "neither XDG_DATA_HOME nor HOME is set; use --db");
        return NULL;
    }
    make_dir(base);
    size_t n = strlen(base) + sizeof "/stallcheck/stallcheck.db";
    db_path_default = malloc(n);
    if (db_path_default == NULL)
        return NULL;
    snprintf(db_path_default, n, "%s/stallcheck", base);
    if (make_dir(db_path_default) < 0) {
        sc_error_set(SC_ERR_IO, "%s: %s", db_path_default, strerror(errno));
        free(db_path_default);
        db_path_default = NULL;
        return NULL;
    }
    snprintf(db_path_default, n, "%s/stallcheck/stallcheck.db", base);
    return db_path_default;
}

const char *cli_demo_db_path(char *buf, size_t size)
{
    const char *path = cli_db_path();
    if (path == NULL || !cli_db_path_is_default())
        return NULL;
    const char *tail = "/stallcheck.db";
    size_t n = strlen(path), t = strlen(tail);
    if (n <= t || strcmp(path + n - t, tail) != 0)
        return NULL;
    snprintf(buf, size, "%.*s/demo.db", (int)(n - t), path);
    return buf;
}

static int any_market(const struct market *m, void *arg)
{
    (void)m;
    (void)arg;
    return 1;
}

int cli_db_open(const char *what, struct db **out)
{
    const char *path = cli_db_path();
    if (path == NULL)
        return cli_fail(what, "%s", sc_error_message());
    struct stat st;
    int existed = stat(path, &st) == 0;
    if (db_open(path, out) < 0)
        return cli_fail(what, "%s: %s", path, sc_error_message());
    if (registry_list_markets(*out, any_market, NULL) != 0)
        return 0;
    /* An empty database answers every lookup with "no such": say why. */
    char demo[4200] = "", buf[4000];
    if (cli_demo_db_path(buf, sizeof buf) != NULL && stat(buf, &st) == 0)
        snprintf(demo, sizeof demo, ", or use the demo's: stallcheck --db %s %s ...", buf, what);
    term_printf(stderr,
            "stallcheck: %s: %s has no registry (no market, no stall)%s; import one with "
            "`stallcheck import FILE.csv`%s\n",
            what, path, existed ? "" : " and was created just now", demo);
    return 0;
}

/* One line on stderr; what it quotes (a name, a code, a value from a file
 * or the database) is escaped for the terminal (core/termsafe.h). */
__attribute__((format(printf, 2, 0)))
static void vreport(const char *what, const char *fmt, va_list ap)
{
    term_printf(stderr, "stallcheck: %s: ", what);
    term_vprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int cli_fail(const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(what, fmt, ap);
    va_end(ap);
    return CLI_EXIT_ERROR;
}

int cli_text_field(const char *what, const char *option, char *dst, size_t size, const char *src)
{
    size_t n = strlen(src), bad;
    if (!utf8_valid(src, n, &bad))
        return cli_usage_error(what, "%s: not UTF-8 text (byte %zu); type it again in a UTF-8 "
                                     "terminal",
                               option, bad + 1);
    if (!term_clean(src))
        return cli_usage_error(what, "%s: a control character in '%s' (the text is one line)",
                               option, src);
    if (n >= size)
        return cli_usage_error(what, "%s: %zu bytes, at most %zu (about %zu Chinese "
                                     "characters): shorten it",
                               option, n, size - 1, (size - 1) / 3);
    memcpy(dst, src, n + 1);
    return CLI_EXIT_OK;
}

int cli_usage_error(const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(what, fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'stallcheck %s --help'.\n", what);
    return CLI_EXIT_USAGE;
}

