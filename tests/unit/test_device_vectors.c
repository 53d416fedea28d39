/* Frames from the manufacturers' manuals, from captures of real devices and
 * from the standards' own examples (tests/data/device-vectors.tsv, each row
 * naming its source), and the frames printed in scale and indicator manuals
 * with what each must weigh (tests/data/manual-frames.tsv: an extra column
 * mass_ug, the exact mass in µg, "refused:TEXT" when reading_mass_ug must
 * refuse it with TEXT in the reason, "-" not a mass to check; a unit no
 * trade in China may weigh by is refused by the parser itself, status error
 * and the reason in info) through the drivers: every run of rows with the same
 * driver and options is one stream, fed whole, byte by byte and in random
 * pieces; the readings must match the rows in order (rows with the same
 * bytes are the readings of one frame: a data block's items).
 *
 * Columns: driver, options ("-": none), direction, hex, kind, status, value
 * (the text, "-": no value), unit, stable ("1", "0", "-": not reported),
 * info (a substring of the reading's info, "-": not checked), source. */
#include <pty.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/error.h"
#include "devices/driver.h"
#include "devices/link.h"
#include "devices/parser.h"
#include "devices/reading.h"
#include "tests/unit/hexbytes.h"

#define MAX_ROWS 256
#define MAX_BYTES 4096

struct row {
    char driver[32], opts[96], dir[16], hex[600], kind[16], status[16], value[32], unit[16],
        stable[4], info[96], mass[48], source[400];
    const char *file;
    int line;
};

static struct row rows[MAX_ROWS];
static size_t n_rows;

static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

/* Rows of tests/data/<file>: 11 columns, or 12 with mass_ug before the
 * source. */
static void load_file(const char *file, int cols)
{
    char path[512];
    const char *top = getenv("STALLCHECK_TOP");
    snprintf(path, sizeof path, "%s/tests/data/%s", top ? top : ".", file);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("%s: cannot open", path);
    char line[2048];
    int ln = 0;
    while (fgets(line, sizeof line, f)) {
        ln++;
        line[strcspn(line, "\r\n")] = '\0';
        if (ln == 1 || line[0] == '\0' || line[0] == '#')
            continue;
        char *c[13];
        if (split_tabs(line, c, 13) != cols)
            fail_msg("%s:%d: want %d columns", file, ln, cols);
        assert_true(n_rows < MAX_ROWS);
        struct row *r = &rows[n_rows++];
        r->file = file;
        r->line = ln;
        snprintf(r->driver, sizeof r->driver, "%s", c[0]);
        snprintf(r->opts, sizeof r->opts, "%s", strcmp(c[1], "-") == 0 ? "" : c[1]);
        snprintf(r->dir, sizeof r->dir, "%s", c[2]);
        snprintf(r->hex, sizeof r->hex, "%s", c[3]);
        snprintf(r->kind, sizeof r->kind, "%s", c[4]);
        snprintf(r->status, sizeof r->status, "%s", c[5]);
        snprintf(r->value, sizeof r->value, "%s", c[6]);
        snprintf(r->unit, sizeof r->unit, "%s", strcmp(c[7], "-") == 0 ? "" : c[7]);
        snprintf(r->stable, sizeof r->stable, "%s", c[8]);
        snprintf(r->info, sizeof r->info, "%s", c[9]);
        snprintf(r->mass, sizeof r->mass, "%s", cols == 12 ? c[10] : "-");
        snprintf(r->source, sizeof r->source, "%s", c[cols - 1]);
        if (strlen(r->source) < 8)
            fail_msg("%s:%d: every row names its source", file, ln);
    }
    fclose(f);
}

static void load(void)
{
    if (n_rows > 0)
        return;
    load_file("device-vectors.tsv", 11);
    size_t before = n_rows;
    load_file("manual-frames.tsv", 12);
    assert_true(before > 0 && n_rows > before);
}

/* The mass the reading makes (reading_mass_ug, what the verdicts use). */
static void check_mass(const char *what, const struct row *e, const struct reading *r)
{
    if (strcmp(e->mass, "-") == 0)
        return;
    int64_t ug = 0;
    int rc = reading_mass_ug(r, &ug);
    if (strncmp(e->mass, "refused:", 8) == 0) {
        if (rc == 0)
            fail_msg("%s: made %lld µg, want a refusal", what, (long long)ug);
        if (strstr(sc_error_message(), e->mass + 8) == NULL)
            fail_msg("%s: refused with '%s', want '%s'", what, sc_error_message(), e->mass + 8);
        return;
    }
    if (rc != 0)
        fail_msg("%s: no mass: %s", what, sc_error_message());
    char *end;
    long long want = strtoll(e->mass, &end, 10);
    assert_true(*end == '\0');
    if (ug != want)
        fail_msg("%s: %lld µg, want %lld", what, (long long)ug, want);
}


static struct parser *new_parser(const char *drv, const char *opts)
{
    char spec[256];
    snprintf(spec, sizeof spec, "%s%s%s", drv, opts[0] ? ":" : "", opts);
    struct driver_spec ds;
    if (driver_spec_parse(spec, &ds) < 0)
        fail_msg("%s: %s", spec, sc_error_message());
    struct parser *p;
    if (parser_new(ds.driver, ds.opts, ds.n_opts, &p) < 0)
        fail_msg("%s: %s", spec, sc_error_message());
    driver_spec_free(&ds);
    return p;
}

static void check(const struct row *e, const struct reading *r)
{
    char what[700];
    snprintf(what, sizeof what, "%s:%d (%s %s)", e->file, e->line, e->driver, e->hex);
    if (strcmp(reading_kind_name(r->kind), e->kind) != 0)
        fail_msg("%s: kind %s, want %s (%s)", what, reading_kind_name(r->kind), e->kind, r->info);
    if (strcmp(reading_status_name(r->status), e->status) != 0)
        fail_msg("%s: status %s, want %s (%s)", what, reading_status_name(r->status), e->status,
                 r->info);
    if (strcmp(e->value, "-") == 0) {
        if (r->has_value)
            fail_msg("%s: value %s, want none", what, r->text);
    } else {
        if (!r->has_value || strcmp(r->text, e->value) != 0)
            fail_msg("%s: value '%s', want '%s' (%s)", what, r->has_value ? r->text : "(none)",
                     e->value, r->info);
        struct decimal d;
        assert_int_equal(decimal_parse(e->value, &d, NULL), 0);
        assert_int_equal(decimal_cmp(d, r->value), 0);
    }
    if (strcmp(r->unit, e->unit) != 0)
        fail_msg("%s: unit '%s', want '%s'", what, r->unit, e->unit);
    if (strcmp(e->stable, "-") != 0) {
        if (!r->stable_reported || r->stable != (e->stable[0] == '1'))
            fail_msg("%s: stable %d (reported %d), want %s", what, r->stable, r->stable_reported,
                     e->stable);
    }
    if (strcmp(e->info, "-") != 0 && strstr(r->info, e->info) == NULL)
        fail_msg("%s: info '%s' lacks '%s'", what, r->info, e->info);
    check_mass(what, e, r);
}

/* The frames of rows [from, to) that differ from the row before, as bytes. */
static size_t stream_bytes(size_t from, size_t to, uint8_t *bytes, size_t size)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++)
        if (i == from || strcmp(rows[i].hex, rows[i - 1].hex) != 0)
            n += hex_bytes(rows[i].hex, bytes + n, size - n);
    return n;
}

/* Rows [from, to) are one stream: feeds their frames (each distinct hex
 * once) in pieces given by split, checks the readings against the rows. */
static void run_stream(size_t from, size_t to, int split, unsigned seed)
{
    uint8_t bytes[MAX_BYTES];
    size_t n = stream_bytes(from, to, bytes, sizeof bytes);
    struct parser *p = new_parser(rows[from].driver, rows[from].opts);
    struct reading r;
    size_t want = from, pos = 0;
    srand(seed);
    while (pos < n) {
        size_t k = split == 0 ? n - pos : split == 1 ? 1 : 1 + (size_t)rand() % 9;
        if (k > n - pos)
            k = n - pos;
        assert_int_equal(parser_feed(p, bytes + pos, k), 0);
        pos += k;
        while (parser_next(p, &r) > 0) {
            if (want >= to)
                fail_msg("%s:%d: an extra reading %s: %s", rows[to - 1].file, rows[to - 1].line,
                         reading_kind_name(r.kind), r.info);
            check(&rows[want++], &r);
        }
    }
    while (parser_flush(p, &r) > 0) {
        if (want >= to)
            fail_msg("%s:%d: an extra reading at the end %s: %s", rows[to - 1].file, rows[to - 1].line,
                     reading_kind_name(r.kind), r.info);
        check(&rows[want++], &r);
    }
    if (want != to)
        fail_msg("%s:%d: no reading (split %d)", rows[want].file, rows[want].line, split);
    parser_free(p);
}

/* The end of the stream that starts at row from: the rows of one file with
 * the same driver and options. */
static size_t stream_end(size_t from)
{
    size_t to = from + 1;
    while (to < n_rows && strcmp(rows[to].driver, rows[from].driver) == 0 &&
           strcmp(rows[to].opts, rows[from].opts) == 0 && rows[to].file == rows[from].file)
        to++;
    return to;
}

static void every_row_in_every_chunking(void **state)
{
    (void)state;
    load();
    for (size_t from = 0; from < n_rows;) {
        size_t to = stream_end(from);
        for (int split = 0; split < 3; split++)
            for (unsigned seed = 1; seed <= (split == 2 ? 10u : 1u); seed++)
                run_stream(from, to, split, seed);
        from = to;
    }
}

/* Each frame alone as well, where it does not depend on the one before (a
 * follow-up frame does, and a reply read by its request): a stream joined
 * mid-way decodes the same. */
static void frames_alone(void **state)
{
    (void)state;
    load();
    for (size_t from = 0; from < n_rows;) {
        size_t to = from + 1;
        while (to < n_rows && strcmp(rows[to].hex, rows[from].hex) == 0 &&
               strcmp(rows[to].driver, rows[from].driver) == 0 &&
               strcmp(rows[to].opts, rows[from].opts) == 0)
            to++;
        if (strstr(rows[from].source, "joined over") == NULL && strstr(rows[from].source, "after its request") == NULL)
            run_stream(from, to, 0, 1);
        from = to;
    }
}

/* The first rows of each protocol in the manuals' file over a real
 * pseudo-terminal, read by the link as `stallcheck read` does (the port's
 * line settings, the termios transport, the stability rule).  The whole
 * run of frames follows them, so a frame that needs the next byte to end
 * (a checksum or not, 14 or 15 bytes) has it. */
static void manual_frames_over_a_pty(void **state)
{
    (void)state;
    load();
    for (size_t from = 0; from < n_rows;) {
        size_t to = stream_end(from);
        if (strcmp(rows[from].file, "manual-frames.tsv") != 0) {
            from = to;
            continue;
        }
        size_t k = to - from < 3 ? to - from : 3;
        while (from + k < to && strcmp(rows[from + k].hex, rows[from + k - 1].hex) == 0)
            k++; /* the readings of one frame go together */
        uint8_t bytes[MAX_BYTES];
        size_t n = stream_bytes(from, from + k, bytes, sizeof bytes);
        n += stream_bytes(from, to, bytes + n, sizeof bytes - n);
        int master, slave;
        char path[64], spec[256];
        assert_int_equal(openpty(&master, &slave, path, NULL, NULL), 0);
        snprintf(spec, sizeof spec, "%s:conn=%s:timeout=3000%s%s", rows[from].driver, path,
                 rows[from].opts[0] ? ":" : "", rows[from].opts);
        struct link *l = NULL;
        if (link_open(spec, &l) < 0)
            fail_msg("%s: %s", spec, sc_error_message());
        assert_int_equal(write(master, bytes, n), (ssize_t)n);
        struct reading r;
        for (size_t i = from; i < from + k; i++) {
            if (link_read(l, &r, 3000) != 1)
                fail_msg("%s:%d: nothing read over %s: %s", rows[i].file, rows[i].line, path,
                         sc_error_message());
            check(&rows[i], &r);
        }
        link_close(l);
        close(slave);
        close(master);
        from = to;
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_row_in_every_chunking),
        cmocka_unit_test(frames_alone),
        cmocka_unit_test(manual_frames_over_a_pty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
