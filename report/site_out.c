#include "report/site_out.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

struct site_out {
    char *dir;
    FILE *log;
    /* The file being made. */
    char *path;
    FILE *mem;
    char *buf;
    size_t len;
    /* What this run made, and what the last one did (the manifest). */
    char **made;
    size_t n_made, cap_made;
    char **old;
    size_t n_old;
    struct site_out_stats st;
};

static int made(struct site_out *o, char *path);

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* mkdir -p of path's directories (the last component is a file). */
static int make_parents(char *path)
{
    for (char *p = strchr(path + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
        *p = '\0';
        int rc = mkdir(path, 0755);
        int e = errno;
        *p = '/';
        if (rc != 0 && e != EEXIST)
            return sc_error_set(SC_ERR_IO, "cannot make the directory of %s: %s", path,
                                strerror(e));
    }
    return 0;
}

static char *join(const char *dir, const char *path)
{
    size_t n = strlen(dir) + strlen(path) + 2;
    char *s = malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s/%s", dir, path);
    return s;
}

static int path_ok(const char *p)
{
    if (*p == '\0' || *p == '/' || strstr(p, "..") != NULL || strchr(p, '\n') != NULL)
        return 0;
    return 1;
}

static void read_manifest(struct site_out *o)
{
    char *m = join(o->dir, SITE_MANIFEST);
    FILE *f = m ? fopen(m, "r") : NULL;
    free(m);
    if (f == NULL)
        return;
    char *line = NULL;
    size_t cap = 0, n_cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        if (!path_ok(line))
            continue; /* never remove anything the manifest could not have listed */
        if (o->n_old == n_cap) {
            size_t nc = n_cap ? n_cap * 2 : 256;
            char **q = realloc(o->old, nc * sizeof *q);
            if (q == NULL)
                break;
            o->old = q;
            n_cap = nc;
        }
        if ((o->old[o->n_old] = strdup(line)) == NULL)
            break;
        o->n_old++;
    }
    free(line);
    fclose(f);
    qsort(o->old, o->n_old, sizeof *o->old, cmp_str);
}

int site_out_open(const char *dir, FILE *log, struct site_out **out)
{
    struct site_out *o = calloc(1, sizeof *o);
    if (o == NULL || (o->dir = strdup(dir)) == NULL) {
        free(o);
        return SC_ERR_NOMEM;
    }
    o->log = log;
    size_t n = strlen(o->dir);
    while (n > 1 && o->dir[n - 1] == '/')
        o->dir[--n] = '\0';
    char *probe = join(o->dir, SITE_MANIFEST);
    int rc = probe ? make_parents(probe) : SC_ERR_NOMEM;
    free(probe);
    struct stat st;
    if (rc == 0 && (stat(o->dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        rc = sc_error_set(SC_ERR_IO, "%s: not a directory", o->dir);
    if (rc < 0) {
        free(o->dir);
        free(o);
        return rc;
    }
    read_manifest(o);
    *out = o;
    return 0;
}

FILE *site_out_begin(struct site_out *o, const char *path)
{
    if (o->mem != NULL || !path_ok(path)) {
        sc_error_set(SC_ERR_ARG, "site: bad file name '%s'", path);
        return NULL;
    }
    if ((o->path = strdup(path)) == NULL) {
        sc_error_set(SC_ERR_NOMEM, "site: out of memory");
        return NULL;
    }
    o->mem = open_memstream(&o->buf, &o->len);
    if (o->mem == NULL) {
        free(o->path);
        o->path = NULL;
        sc_error_set(SC_ERR_NOMEM, "site: out of memory");
    }
    return o->mem;
}

/* Whether the file at full holds exactly buf[0..len). */
static int same_on_disk(const char *full, const char *buf, size_t len)
{
    int fd = open(full, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    int same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len;
    char chunk[65536];
    size_t at = 0;
    while (same && at < len) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n <= 0 || (size_t)n > len - at || memcmp(chunk, buf + at, (size_t)n) != 0)
            same = 0;
        else
            at += (size_t)n;
    }
    close(fd);
    return same;
}

static int write_atomic(const char *full, const char *buf, size_t len)
{
    size_t n = strlen(full) + 32;
    char *tmp = malloc(n);
    if (tmp == NULL)
        return SC_ERR_NOMEM;
    snprintf(tmp, n, "%s.tmp.%ld", full, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int rc = 0;
    if (fd < 0) {
        rc = sc_error_set(SC_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
    } else {
        size_t at = 0;
        while (at < len) {
            ssize_t w = write(fd, buf + at, len - at);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                rc = sc_error_set(SC_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
                break;
            }
            at += (size_t)w;
        }
        if (close(fd) != 0 && rc == 0)
            rc = sc_error_set(SC_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
        if (rc == 0 && rename(tmp, full) != 0)
            rc = sc_error_set(SC_ERR_IO, "cannot rename %s to %s: %s", tmp, full,
                              strerror(errno));
        if (rc < 0)
            unlink(tmp);
    }
    free(tmp);
    return rc;
}

int site_out_end(struct site_out *o)
{
    if (o->mem == NULL)
        return sc_error_set(SC_ERR_ARG, "site: no file begun");
    int rc = fclose(o->mem) == 0 ? 0 : sc_error_set(SC_ERR_NOMEM, "site: out of memory");
    o->mem = NULL;
    char *full = rc == 0 ? join(o->dir, o->path) : NULL;
    if (rc == 0 && full == NULL)
        rc = SC_ERR_NOMEM;
    if (rc == 0) {
        if (same_on_disk(full, o->buf, o->len)) {
            o->st.unchanged++;
        } else if ((rc = make_parents(full)) == 0 &&
                   (rc = write_atomic(full, o->buf, o->len)) == 0) {
            o->st.written++;
            if (o->log != NULL)
                fprintf(o->log, "written %s\n", o->path);
        }
    }
    free(full);
    free(o->buf);
    o->buf = NULL;
    o->len = 0;
    if (rc == 0)
        rc = made(o, o->path);
    else
        free(o->path);
    o->path = NULL;
    return rc;
}

/* Records path as made this run; takes it. */
static int made(struct site_out *o, char *path)
{
    if (o->n_made == o->cap_made) {
        size_t nc = o->cap_made ? o->cap_made * 2 : 256;
        char **q = realloc(o->made, nc * sizeof *q);
        if (q == NULL) {
            free(path);
            return SC_ERR_NOMEM;
        }
        o->made = q;
        o->cap_made = nc;
    }
    o->made[o->n_made++] = path;
    o->st.files++;
    return 0;
}

struct site_spool {
    char *path;               /* relative */
    char *full, *tmp;
    FILE *f;
};

void site_out_spool_abort(struct site_spool *sp)
{
    if (sp == NULL)
        return;
    if (sp->f != NULL)
        fclose(sp->f);
    if (sp->tmp != NULL)
        unlink(sp->tmp);
    free(sp->path);
    free(sp->full);
    free(sp->tmp);
    free(sp);
}

FILE *site_out_spool(struct site_out *o, const char *path, struct site_spool **out)
{
    *out = NULL;
    if (!path_ok(path)) {
        sc_error_set(SC_ERR_ARG, "site: bad file name '%s'", path);
        return NULL;
    }
    struct site_spool *sp = calloc(1, sizeof *sp);
    if (sp == NULL || (sp->path = strdup(path)) == NULL ||
        (sp->full = join(o->dir, path)) == NULL ||
        (sp->tmp = malloc(strlen(sp->full) + 32)) == NULL) {
        site_out_spool_abort(sp);
        sc_error_set(SC_ERR_NOMEM, "site: out of memory");
        return NULL;
    }
    sprintf(sp->tmp, "%s.tmp.%ld", sp->full, (long)getpid());
    if (make_parents(sp->full) < 0 || (sp->f = fopen(sp->tmp, "w")) == NULL) {
        if (sp->f == NULL && sc_error_code() == 0)
            sc_error_set(SC_ERR_IO, "cannot write %s: %s", sp->tmp, strerror(errno));
        free(sp->tmp);
        sp->tmp = NULL; /* nothing made to remove */
        site_out_spool_abort(sp);
        return NULL;
    }
    *out = sp;
    return sp->f;
}

/* Whether two files hold the same bytes (b may be missing). */
static int same_files(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) != 0 || stat(b, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        sa.st_size != sb.st_size)
        return 0;
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa != NULL && fb != NULL;
    char x[65536], y[65536];
    while (same) {
        size_t n = fread(x, 1, sizeof x, fa), m = fread(y, 1, sizeof y, fb);
        if (n != m || memcmp(x, y, n) != 0)
            same = 0;
        if (n == 0)
            break;
    }
    if (fa != NULL)
        fclose(fa);
    if (fb != NULL)
        fclose(fb);
    return same;
}

int site_out_spool_end(struct site_out *o, struct site_spool *sp)
{
    int rc = 0;
    if (fclose(sp->f) != 0)
        rc = sc_error_set(SC_ERR_IO, "cannot write %s: %s", sp->tmp, strerror(errno));
    sp->f = NULL;
    if (rc == 0 && same_files(sp->tmp, sp->full)) {
        o->st.unchanged++;
    } else if (rc == 0) {
        if (rename(sp->tmp, sp->full) != 0)
            rc = sc_error_set(SC_ERR_IO, "cannot rename %s to %s: %s", sp->tmp, sp->full,
                              strerror(errno));
        else {
            o->st.written++;
            if (o->log != NULL)
                fprintf(o->log, "written %s\n", sp->path);
            free(sp->tmp);
            sp->tmp = NULL;
        }
    }
    if (rc == 0) {
        rc = made(o, sp->path);
        sp->path = NULL;
    }
    site_out_spool_abort(sp);
    return rc;
}

static void free_all(struct site_out *o)
{
    if (o->mem != NULL)
        fclose(o->mem);
    free(o->buf);
    free(o->path);
    for (size_t i = 0; i < o->n_made; i++)
        free(o->made[i]);
    for (size_t i = 0; i < o->n_old; i++)
        free(o->old[i]);
    free(o->made);
    free(o->old);
    free(o->dir);
    free(o);
}

void site_out_abort(struct site_out *o)
{
    if (o != NULL)
        free_all(o);
}

int site_out_finish(struct site_out *o, struct site_out_stats *stats)
{
    qsort(o->made, o->n_made, sizeof *o->made, cmp_str);
    /* Files of the last run this one did not make: removed. */
    size_t j = 0;
    for (size_t i = 0; i < o->n_old; i++) {
        while (j < o->n_made && strcmp(o->made[j], o->old[i]) < 0)
            j++;
        if (j < o->n_made && strcmp(o->made[j], o->old[i]) == 0)
            continue;
        char *full = join(o->dir, o->old[i]);
        if (full != NULL && unlink(full) == 0) {
            o->st.removed++;
            if (o->log != NULL)
                fprintf(o->log, "removed %s\n", o->old[i]);
        }
        free(full);
    }
    /* The manifest, itself written only when it changed. */
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int rc = m ? 0 : SC_ERR_NOMEM;
    for (size_t i = 0; m != NULL && i < o->n_made; i++)
        fprintf(m, "%s\n", o->made[i]);
    if (m != NULL && fclose(m) != 0)
        rc = SC_ERR_NOMEM;
    char *full = rc == 0 ? join(o->dir, SITE_MANIFEST) : NULL;
    if (rc == 0 && full != NULL && !same_on_disk(full, buf, len))
        rc = write_atomic(full, buf, len);
    free(full);
    free(buf);
    if (stats != NULL)
        *stats = o->st;
    free_all(o);
    return rc;
}

int site_out_fail(void) { return sc_error_code() ? sc_error_code() : SC_ERR_IO; }
