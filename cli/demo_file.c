/* Building the demo district aside and renaming it into place (see
 * demo_file.h). */
#include "cli/demo_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

/* The hidden file and SQLite's files beside it, for the signal handler
 * (unlink is async-signal-safe). */
static char aside[PATH_MAX];
static char aside_side[3][PATH_MAX + 16];
static const char *const side_suffix[3] = {"-journal", "-wal", "-shm"};

static void remove_aside(void)
{
    if (aside[0] == '\0')
        return;
    unlink(aside);
    for (int i = 0; i < 3; i++)
        unlink(aside_side[i]);
}

static void on_signal(int sig)
{
    remove_aside();
    signal(sig, SIG_DFL);
    raise(sig);
}

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};

static void catch_signals(void (*fn)(int))
{
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
        signal(caught[i], fn);
}

static int fsync_path(const char *path, int flags)
{
    int fd = open(path, flags | O_CLOEXEC);
    if (fd < 0)
        return sc_error_set(SC_ERR_IO, "%s: %s", path, strerror(errno));
    int rc = fsync(fd) == 0 ? 0 : sc_error_set(SC_ERR_IO, "%s: %s", path, strerror(errno));
    close(fd);
    return rc;
}

/* Renames from to to unless to exists: renameat2's RENAME_NOREPLACE, or
 * link and unlink where the file system has no such rename. */
static int rename_new(const char *from, const char *to)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno == EINVAL || errno == ENOSYS) {
        if (link(from, to) == 0) {
            unlink(from);
            return 0;
        }
    }
    if (errno == EEXIST)
        return sc_error_set(SC_ERR_EXISTS, "%s appeared while the demo was built; it was "
                                           "left as it is", to);
    return sc_error_set(SC_ERR_IO, "%s: %s", to, strerror(errno));
}

static int build(const struct demo_options *opt, struct demo_result *res)
{
    struct db *db;
    int rc = db_open(aside, &db);
    if (rc < 0)
        return rc;
    rc = demo_generate(db, opt, res);
    int c = db_close(db);
    return rc < 0 ? rc : c < 0 ? c : fsync_path(aside, O_RDONLY);
}

int demo_file_build(const char *path, const struct demo_options *opt, struct demo_result *res)
{
    struct stat st;
    if (lstat(path, &st) == 0)
        return sc_error_set(SC_ERR_EXISTS, "%s exists: demo-data builds a new database only; "
                                           "nothing was changed", path);
    if (errno != ENOENT)
        return sc_error_set(SC_ERR_IO, "%s: %s", path, strerror(errno));
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    const char *base = slash ? slash + 1 : path;
    if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    if (*base == '\0')
        return sc_error_set(SC_ERR_ARG, "%s: not a file name", path);
    int n = snprintf(aside, sizeof aside, "%s/.%s.demo-XXXXXX", dir, base);
    if (n < 0 || (size_t)n >= sizeof aside)
        return sc_error_set(SC_ERR_RANGE, "%s: path too long", path);
    catch_signals(on_signal);
    int fd = mkstemp(aside); /* mode 0600, as db_open makes a database */
    if (fd < 0) {
        int rc = sc_error_set(SC_ERR_IO, "%s: %s", aside, strerror(errno));
        aside[0] = '\0';
        catch_signals(SIG_DFL);
        return rc;
    }
    close(fd);
    for (int i = 0; i < 3; i++)
        snprintf(aside_side[i], sizeof aside_side[i], "%s%s", aside, side_suffix[i]);
    int rc = build(opt, res);
    if (rc == 0)
        rc = rename_new(aside, path);
    if (rc == 0)
        rc = fsync_path(dir, O_RDONLY | O_DIRECTORY);
    else
        remove_aside();
    catch_signals(SIG_DFL);
    aside[0] = '\0';
    return rc;
}
