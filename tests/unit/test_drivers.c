/* Every protocol vector of tests/data/protocol-vectors.tsv (a copy of
 * shared/domain/protocol-vectors.tsv) through its driver: whole, byte by byte,
 * in random splits, after leading junk, and as one stream; the commands the
 * drivers build against the host->device vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/error.h"

#include "devices/driver.h"
#include "devices/drv_util.h"
#include "devices/parser.h"
#include "devices/reading.h"
#include "tests/unit/hexbytes.h"

/* What each device->host vector must decode to.  opts: driver options. */
struct expect {
    const char *hex;
    const char *opts;   /* "model=int-scaled" or NULL */
    enum reading_kind kind;
    const char *text;   /* NULL: no value */
    const char *unit;
    int stable;         /* -1: not reported */
    enum reading_status status;
    const char *info;   /* a substring of info, or NULL */
};

#define K(x) READING_##x
#define S(x) READING_STATUS_##x
static const struct expect expects[] = {
    /* mt-sics */
    {"53 20 53 20 20 20 20 20 31 30 30 2E 30 30 20 67 0D 0A", NULL, K(VALUE), "100.00", "g", 1, S(OK), NULL},
    {"53 20 44 20 20 20 20 20 20 31 32 2E 33 34 20 67 0D 0A", NULL, K(VALUE), "12.34", "g", 0, S(OK), NULL},
    {"53 20 53 20 20 20 20 2D 30 2E 30 30 38 32 20 67 0D 0A", NULL, K(VALUE), "-0.0082", "g", 1, S(OK), NULL},
    {"53 20 53 20 20 20 20 20 31 32 39 2E 30 39 20 6B 67 0D 0A", NULL, K(VALUE), "129.09", "kg", 1, S(OK), NULL},
    {"54 20 53 20 20 20 20 20 20 35 30 2E 30 30 20 67 0D 0A", NULL, K(TARE), "50.00", "g", 1, S(OK), NULL},
    {"54 41 20 41 20 20 20 20 20 20 35 30 2E 30 30 20 67 0D 0A", NULL, K(TARE), "50.00", "g", -1, S(OK), NULL},
    {"53 20 49 0D 0A", NULL, K(BUSY), NULL, "", -1, S(OK), "not executable"},
    {"53 20 2B 0D 0A", NULL, K(VALUE), NULL, "", -1, S(OVERLOAD), NULL},
    {"53 20 2D 0D 0A", NULL, K(VALUE), NULL, "", -1, S(UNDERLOAD), NULL},
    {"5A 20 41 0D 0A", NULL, K(ACK), NULL, "", -1, S(OK), NULL},
    {"5A 49 20 44 0D 0A", NULL, K(ACK), NULL, "", 0, S(OK), NULL},
    {"5A 20 49 0D 0A", NULL, K(BUSY), NULL, "", -1, S(OK), NULL},
    {"5A 20 2B 0D 0A", NULL, K(REJECT), NULL, "", -1, S(OVERLOAD), "upper limit"},
    {"54 41 43 20 41 0D 0A", NULL, K(ACK), NULL, "", -1, S(OK), NULL},
    {"49 34 20 41 20 22 30 31 32 33 34 35 36 37 38 39 22 0D 0A", NULL, K(INFO), NULL, "", -1, S(OK), "0123456789"},
    {"49 32 20 41 20 22 58 53 32 30 34 20 45 78 63 65 6C 6C 65 6E 63 65 20 32 32 30 2E 30 30 39 30 20 67 22 0D 0A",
     NULL, K(INFO), NULL, "", -1, S(OK), "XS204 Excellence 220.0090 g"},
    {"45 53 0D 0A", NULL, K(REJECT), NULL, "", -1, S(ERROR), "syntax"},
    {"45 54 0D 0A", NULL, K(REJECT), NULL, "", -1, S(ERROR), "transmission"},
    {"45 4C 0D 0A", NULL, K(REJECT), NULL, "", -1, S(ERROR), "logical"},
    /* and-std */
    {"53 54 2C 2B 30 30 31 32 33 2E 34 35 20 20 67 0D 0A", NULL, K(VALUE), "00123.45", "g", 1, S(OK), NULL},
    {"55 53 2C 2D 30 30 30 31 32 2E 33 34 20 20 67 0D 0A", NULL, K(VALUE), "-00012.34", "g", 0, S(OK), NULL},
    {"51 54 2C 2B 30 30 30 30 31 32 33 34 20 50 43 0D 0A", NULL, K(VALUE), "00001234", "pcs", 1, S(OK), NULL},
    {"53 54 2C 2B 30 30 31 2E 32 33 34 36 20 6B 67 0D 0A", NULL, K(VALUE), "001.2346", "kg", 1, S(OK), NULL},
    {"4F 4C 2C 2B 39 39 39 39 2E 39 39 39 20 6B 67 0D 0A", NULL, K(VALUE), NULL, "kg", 0, S(OVERLOAD), NULL},
    {"06", NULL, K(ACK), NULL, "", -1, S(OK), NULL},
    {"45 43 2C 45 31 0D 0A", NULL, K(REJECT), NULL, "", -1, S(ERROR), "E1 undefined command"},
    /* mt-continuous */
    {"02 2C 30 20 30 30 31 32 33 34 30 30 30 30 30 30 0D 2B", NULL, K(VALUE), "12.34", "kg", 1, S(OK), NULL},
    {"02 2C 31 20 30 30 30 35 30 30 30 30 30 32 35 30 0D 28", NULL, K(VALUE), "5.00", "kg", 1, S(OK), NULL},
    {"02 2B 3A 20 30 30 30 31 35 30 30 30 30 30 30 30 0D 26", NULL, K(VALUE), "-15.0", "kg", 0, S(OK), NULL},
    {"02 2A 20 21 30 31 32 33 34 35 30 30 30 30 30 30 0D 37", NULL, K(VALUE), "12345", "g", 1, S(OK), NULL},
    {"02 2C 30 20 30 30 31 32 33 34 30 30 30 30 30 30 0D", NULL, K(VALUE), "12.34", "kg", 1, S(OK), NULL},
    /* kern-libsigrok */
    {"20 20 31 32 33 2E 34 35 30 20 47 20 53 0D 0A", NULL, K(VALUE), "123.450", "g", 1, S(OK), NULL},
    {"20 20 2D 31 32 2E 35 30 30 20 47 20 55 0D 0A", NULL, K(VALUE), "-12.500", "g", 0, S(OK), NULL},
    {"20 31 32 33 34 2E 35 30 30 20 47 20 53 0D 0A", NULL, K(VALUE), "1234.500", "g", 1, S(OK), NULL},
    {"20 20 20 35 30 2E 30 30 30 20 25 20 53 0D 0A", NULL, K(VALUE), "50.000", "%", 1, S(OK), NULL},
    {"20 20 20 20 20 31 32 2E 30 50 43 20 53 0D 0A", NULL, K(VALUE), "12.0", "pcs", 1, S(OK), NULL},
    {"20 20 31 32 2E 33 34 30 20 47 20 53 0D 0A", NULL, K(VALUE), "12.340", "g", 1, S(OK), NULL},
    {"2D 20 20 31 32 2E 35 30 30 20 47 20 55 0D 0A", NULL, K(VALUE), "-12.500", "g", 0, S(OK), NULL},
    {"20 20 20 20 20 20 20 20 20 20 47 20 45 0D 0A", NULL, K(VALUE), NULL, "g", -1, S(ERROR), "data error"},
    /* modbus-rtu: replies are read by the model's register map */
    {"01 04 04 43 66 33 33 5A FA", NULL, K(VALUE), "230.2", "V", 1, S(OK), NULL},
    {"01 04 04 33 33 43 66 B5 D5", "model=float-cdab", K(VALUE), "230.2", "V", 1, S(OK), NULL},
    {"01 03 02 09 29 7F CA", "model=int-scaled", K(VALUE), "234.5", "V", 1, S(OK), NULL},
    {"01 83 02 C0 F1", NULL, K(REJECT), NULL, "", -1, S(ERROR), "illegal data address"},
    {"01 84 01 82 C0", NULL, K(REJECT), NULL, "", -1, S(ERROR), "illegal function"},
    {"01 03 00 00 00 0A C5 32", NULL, K(BAD), NULL, "", -1, S(ERROR), "CRC"},
    /* dlt645-2007 */
    {"68 61 01 00 00 00 00 68 91 08 33 33 34 33 59 33 33 33 8A 16", NULL, K(VALUE), "0.26", "kWh", 1, S(OK), "forward active"},
    {"68 61 01 00 00 00 00 68 91 06 33 34 34 35 34 43 10 16", NULL, K(VALUE), "100.1", "V", 1, S(OK), "phase A voltage"},
    {"68 12 90 78 56 34 12 68 91 08 33 33 33 33 AB 89 67 45 CB 16", NULL, K(VALUE), "123456.78", "kWh", 1, S(OK), "123456789012"},
    {"68 61 01 00 00 00 00 68 91 07 33 34 35 35 67 45 33 7A 16", NULL, K(VALUE), "1.234", "A", 1, S(OK), NULL},
    {"68 61 01 00 00 00 00 68 D1 01 35 39 16", NULL, K(REJECT), NULL, "", -1, S(ERROR), "no requested data"},
    {"68 61 01 00 00 00 00 68 91 08 33 33 34 33 59 33 33 33 8B 16", NULL, K(BAD), NULL, "", -1, S(ERROR), "CS 0x8B"},
};
#define N_EXPECT (sizeof expects / sizeof expects[0])

/* host->device vectors: the command a driver builds for a request. */
struct cmd_expect {
    const char *driver, *opts, *hex;
    enum driver_request req;
};
static const struct cmd_expect cmd_expects[] = {
    {"mt-sics", NULL, "53 0D 0A", DRIVER_REQ_STABLE},
    {"mt-sics", NULL, "53 49 0D 0A", DRIVER_REQ_IMMEDIATE},
    {"mt-sics", NULL, "53 49 52 0D 0A", DRIVER_REQ_CONTINUOUS},
    {"mt-sics", NULL, "5A 0D 0A", DRIVER_REQ_ZERO},
    {"mt-sics", NULL, "54 0D 0A", DRIVER_REQ_TARE},
    {"mt-sics", NULL, "54 41 43 0D 0A", DRIVER_REQ_TARE_CLEAR},
    {"mt-sics", NULL, "40 0D 0A", DRIVER_REQ_STOP},
    {"mt-sics", NULL, "49 32 0D 0A", DRIVER_REQ_IDENTIFY},
    {"mt-sics", NULL, "49 34 0D 0A", DRIVER_REQ_SERIAL},
    {"and-std", NULL, "51 0D 0A", DRIVER_REQ_IMMEDIATE},
    {"and-std", NULL, "53 0D 0A", DRIVER_REQ_STABLE},
    {"and-std", NULL, "5A 0D 0A", DRIVER_REQ_ZERO},
    {"and-std", NULL, "54 0D 0A", DRIVER_REQ_TARE},
    {"and-std", NULL, "43 0D 0A", DRIVER_REQ_STOP},
    {"kern", NULL, "4F 31 0D 0A", DRIVER_REQ_CONTINUOUS},
    {"modbus-rtu", NULL, "01 04 00 00 00 02 71 CB", DRIVER_REQ_IMMEDIATE},
    {"modbus-rtu", "model=int-scaled", "01 03 00 00 00 01 84 0A", DRIVER_REQ_IMMEDIATE},
    {"dlt645-2007", "address=000000000161:quantity=forward-energy",
     "FE FE FE FE 68 61 01 00 00 00 00 68 11 04 33 33 34 33 14 16", DRIVER_REQ_IMMEDIATE},
    {"dlt645-2007", "address=000000000161:quantity=voltage-a",
     "FE FE FE FE 68 61 01 00 00 00 00 68 11 04 33 34 34 35 17 16", DRIVER_REQ_IMMEDIATE},
    {"dlt645-2007", "address=123456789012:quantity=energy",
     "FE FE FE FE 68 12 90 78 56 34 12 68 11 04 33 33 33 33 67 16", DRIVER_REQ_STABLE},
    {"dlt645-2007", NULL, "FE FE FE FE 68 AA AA AA AA AA AA 68 13 00 DF 16", DRIVER_REQ_IDENTIFY},
};


static const char *driver_of(const char *proto)
{
    return strcmp(proto, "kern-libsigrok") == 0 ? "kern" : proto;
}

/* A parser for drv with "k=v:k=v" options. */
static struct parser *new_parser(const char *drv, const char *opts)
{
    char spec[256];
    snprintf(spec, sizeof spec, "%s%s%s", drv, opts ? ":" : "", opts ? opts : "");
    struct driver_spec ds;
    assert_int_equal(driver_spec_parse(spec, &ds), 0);
    struct parser *p;
    assert_int_equal(parser_new(ds.driver, ds.opts, ds.n_opts, &p), 0);
    /* modbus unit= points into the spec; no test uses it here. */
    driver_spec_free(&ds);
    return p;
}

/* Feeds bytes in chunks given by split (0: whole, 1: byte by byte, 2:
 * random), then flushes; returns the readings in out. */
static size_t run(const char *drv, const char *opts, const uint8_t *bytes, size_t n, int split,
                  unsigned seed, struct reading *out, size_t max)
{
    struct parser *p = new_parser(drv, opts);
    size_t got = 0, pos = 0;
    srand(seed);
    while (pos < n) {
        size_t chunk = split == 0 ? n - pos : split == 1 ? 1 : 1 + (size_t)rand() % 7;
        if (chunk > n - pos)
            chunk = n - pos;
        assert_int_equal(parser_feed(p, bytes + pos, chunk), 0);
        pos += chunk;
        while (got < max && parser_next(p, &out[got]) > 0)
            got++;
    }
    while (got < max && parser_flush(p, &out[got]) > 0)
        got++;
    parser_free(p);
    return got;
}

static void check_reading(const struct expect *e, const struct reading *r)
{
    if (r->kind != e->kind)
        fail_msg("%s: kind %s, want %s (%s)", e->hex, reading_kind_name(r->kind),
                 reading_kind_name(e->kind), r->info);
    assert_int_equal(r->status, e->status);
    if (e->text == NULL) {
        assert_false(r->has_value);
    } else {
        assert_true(r->has_value);
        assert_string_equal(r->text, e->text);
        /* The exact decimal is the text's value. */
        struct decimal d;
        assert_int_equal(decimal_parse(e->text, &d, NULL), 0);
        assert_int_equal(r->value.mant, d.mant);
        assert_int_equal(r->value.scale, d.scale);
    }
    assert_string_equal(r->unit, e->unit);
    if (e->stable >= 0) {
        assert_true(r->stable_reported);
        assert_int_equal(r->stable, e->stable);
    }
    if (e->info != NULL && strstr(r->info, e->info) == NULL)
        fail_msg("%s: info '%s' lacks '%s'", e->hex, r->info, e->info);
}

static const char *proto_of(const char *hex)
{
    static char line[1024];
    char path[512];
    const char *top = getenv("STALLCHECK_TOP");
    snprintf(path, sizeof path, "%s/tests/data/protocol-vectors.tsv", top ? top : ".");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char proto[64];
    proto[0] = '\0';
    while (fgets(line, sizeof line, f)) {
        char *t1 = strchr(line, '\t');
        if (!t1)
            continue;
        char *t2 = strchr(t1 + 1, '\t');
        char *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
        if (!t3)
            continue;
        if ((size_t)(t3 - t2 - 1) == strlen(hex) && strncmp(t2 + 1, hex, strlen(hex)) == 0) {
            snprintf(proto, sizeof proto, "%.*s", (int)(t1 - line), line);
            break;
        }
    }
    fclose(f);
    return proto;
}

/* Every device->host row of the TSV (for our drivers) has an expectation,
 * and every host->device row is built by a driver or parses as a request. */
static void every_vector_is_covered(void **state)
{
    (void)state;
    char path[512];
    const char *top = getenv("STALLCHECK_TOP");
    snprintf(path, sizeof path, "%s/tests/data/protocol-vectors.tsv", top ? top : ".");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024];
    int rows = 0, covered = 0;
    while (fgets(line, sizeof line, f)) {
        char proto[64], dir[64], hex[512];
        if (sscanf(line, "%63[^\t]\t%63[^\t]\t%511[^\t]", proto, dir, hex) != 3 ||
            strcmp(proto, "protocol") == 0)
            continue;
        if (strncmp(proto, "metex14", 7) == 0)
            continue; /* a multimeter format, not one of our drivers */
        rows++;
        int found = 0;
        for (size_t i = 0; i < N_EXPECT; i++)
            found |= strcmp(expects[i].hex, hex) == 0;
        for (size_t i = 0; i < sizeof cmd_expects / sizeof cmd_expects[0]; i++)
            found |= strcmp(cmd_expects[i].hex, hex) == 0;
        if (!found) {
            /* a command no request builds (ZI, TI, TA) or the CRC check
             * row: it must still decode as something that is not bad. */
            if (strcmp(dir, "check") == 0) {
                found = 1;
            } else {
                uint8_t b[256];
                size_t n = hex_bytes(hex, b, sizeof b);
                struct reading r[4];
                size_t got = run(driver_of(proto), NULL, b, n, 0, 1, r, 4);
                found = got == 1 && r[0].kind == READING_REQUEST;
                if (!found)
                    fail_msg("vector %s %s: no expectation and does not parse as a request", proto, hex);
            }
        }
        covered += found;
    }
    fclose(f);
    assert_int_equal(rows, 77); /* 83 rows less the 6 metex14 ones */
    assert_int_equal(covered, rows);
}

static void vectors_in_every_chunking(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_EXPECT; i++) {
        const struct expect *e = &expects[i];
        const char *drv = driver_of(proto_of(e->hex));
        assert_true(drv[0] != '\0');
        uint8_t b[512];
        size_t n = hex_bytes(e->hex, b, sizeof b);
        for (int split = 0; split < 3; split++) {
            for (unsigned seed = 1; seed <= (split == 2 ? 20u : 1u); seed++) {
                struct reading r[4];
                size_t got = run(drv, e->opts, b, n, split, seed, r, 4);
                if (got != 1)
                    fail_msg("%s %s split %d: %zu readings (first: %s %s)", drv, e->hex, split, got,
                             reading_kind_name(r[0].kind), r[0].info);
                check_reading(e, &r[0]);
                assert_int_equal(r[0].raw_len, e->kind == READING_BAD ? r[0].raw_len : n);
                if (e->kind != READING_BAD)
                    assert_memory_equal(r[0].raw, b, n);
            }
        }
    }
}

/* Leading junk (a frame joined half-way, noise) is reported once as a bad
 * reading and the frame after it still decodes. */
static void vectors_after_leading_junk(void **state)
{
    (void)state;
    static const char *const junks[] = {"xx", "\x7f\x01", "0", "  12.3 G"};
    for (size_t i = 0; i < N_EXPECT; i++) {
        const struct expect *e = &expects[i];
        if (e->kind == READING_BAD)
            continue;
        const char *drv = driver_of(proto_of(e->hex));
        for (size_t j = 0; j < sizeof junks / sizeof junks[0]; j++) {
            uint8_t b[600];
            size_t jl = strlen(junks[j]);
            memcpy(b, junks[j], jl);
            size_t n = jl + hex_bytes(e->hex, b + jl, sizeof b - jl);
            for (int split = 0; split < 3; split++) {
                struct reading r[6];
                size_t got = run(drv, e->opts, b, n, split, (unsigned)(i + j), r, 6);
                if (got != 2)
                    fail_msg("%s %s junk %zu split %d: %zu readings (first %s: %s)", drv, e->hex, j,
                             split, got, reading_kind_name(r[0].kind), r[0].info);
                assert_int_equal(r[0].kind, READING_BAD);
                assert_int_equal(r[0].status, READING_STATUS_ERROR);
                assert_true(r[0].info[0] != '\0');
                check_reading(e, &r[1]);
            }
        }
    }
}

/* All of one driver's replies as one stream, in every chunking: the same
 * readings in the same order as one by one. */
static void vectors_as_one_stream(void **state)
{
    (void)state;
    static const char *const drivers[] = {"mt-sics", "and-std", "mt-continuous", "kern", "dlt645-2007"};
    for (size_t d = 0; d < sizeof drivers / sizeof drivers[0]; d++) {
        uint8_t b[4096];
        size_t n = 0;
        const struct expect *want[64];
        size_t nw = 0;
        for (size_t i = 0; i < N_EXPECT; i++) {
            if (strcmp(driver_of(proto_of(expects[i].hex)), drivers[d]) != 0 || expects[i].opts)
                continue;
            /* the no-checksum Toledo frame cannot follow checksummed ones */
            if (strcmp(drivers[d], "mt-continuous") == 0 && strlen(expects[i].hex) < 53)
                continue;
            n += hex_bytes(expects[i].hex, b + n, sizeof b - n);
            want[nw++] = &expects[i];
        }
        for (int split = 0; split < 3; split++) {
            struct reading r[64];
            size_t got = run(drivers[d], NULL, b, n, split, 7, r, 64);
            assert_int_equal(got, nw);
            for (size_t i = 0; i < nw; i++)
                check_reading(want[i], &r[i]);
        }
    }
}

static void toledo_stream_without_checksum(void **state)
{
    (void)state;
    const char *hex = "02 2C 30 20 30 30 31 32 33 34 30 30 30 30 30 30 0D";
    uint8_t b[256];
    size_t n = 0;
    for (int i = 0; i < 5; i++)
        n += hex_bytes(hex, b + n, sizeof b - n);
    for (int split = 0; split < 3; split++) {
        struct reading r[8];
        size_t got = run("mt-continuous", NULL, b, n, split, 3, r, 8);
        assert_int_equal(got, 5);
        for (size_t i = 0; i < got; i++) {
            assert_int_equal(r[i].kind, READING_VALUE);
            assert_string_equal(r[i].text, "12.34");
        }
    }
    /* checksum=on: the same frames are bad (no checksum byte). */
    struct reading r[8];
    size_t got = run("mt-continuous", "checksum=on", b, n, 0, 1, r, 8);
    assert_true(got >= 1);
    assert_int_equal(r[0].kind, READING_BAD);
}

static void commands_match_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cmd_expects / sizeof cmd_expects[0]; i++) {
        const struct cmd_expect *c = &cmd_expects[i];
        struct parser *p = new_parser(c->driver, c->opts);
        uint8_t got[64], want[64];
        int n = driver_command(parser_driver(p), parser_state(p), c->req, got, sizeof got);
        size_t wn = hex_bytes(c->hex, want, sizeof want);
        if (n != (int)wn || memcmp(got, want, wn) != 0)
            fail_msg("%s %s: built %d bytes, want %s", c->driver, driver_request_name(c->req), n, c->hex);
        parser_free(p);
    }
    /* Stream-only drivers build nothing. */
    struct parser *p = new_parser("ascii", "pattern=sn");
    uint8_t buf[16];
    assert_true(driver_command(parser_driver(p), parser_state(p), DRIVER_REQ_STABLE, buf, sizeof buf) < 0);
    parser_free(p);
}

static void modbus_crc_check_value(void **state)
{
    (void)state;
    assert_int_equal(drv_crc16_modbus((const uint8_t *)"123456789", 9), 0x4B37);
}

/* A request seen in the stream tells what the reply's registers are. */
static void modbus_reply_follows_request(void **state)
{
    (void)state;
    uint8_t b[64];
    size_t n = hex_bytes("01 04 00 00 00 02 71 CB 01 04 04 43 66 33 33 5A FA", b, sizeof b);
    struct reading r[4];
    size_t got = run("modbus-rtu", NULL, b, n, 1, 1, r, 4);
    assert_int_equal(got, 2);
    assert_int_equal(r[0].kind, READING_REQUEST);
    assert_string_equal(r[1].text, "230.2");
    assert_string_equal(r[1].unit, "V");
    /* int-scaled: no row for FC 04 -> the raw register, no unit */
    got = run("modbus-rtu", "model=int-scaled", b + 8, n - 8, 0, 1, r, 4);
    assert_int_equal(got, 1);
    assert_string_equal(r[0].unit, "");
}

static void ascii_patterns(void **state)
{
    (void)state;
    struct reading r[4];
    /* an A&D-like layout: header flag, comma, sign, number, unit */
    const char *f1 = "ST,+0012.345 kg\r\nUS,-0000.120 kg\r\n";
    size_t got = run("ascii", "pattern=ff,snnnnnnnnuuu:stable=ST:unstable=US", (const uint8_t *)f1,
                     strlen(f1), 1, 1, r, 4);
    assert_int_equal(got, 2);
    assert_string_equal(r[0].text, "0012.345");
    assert_string_equal(r[0].unit, "kg");
    assert_true(r[0].stable && r[0].stable_reported);
    assert_string_equal(r[1].text, "-0000.120");
    assert_false(r[1].stable);
    /* implied decimals, fixed unit, no stable flag, '=' framed, reversed */
    const char *f2 = "=0054321=0054321";
    got = run("ascii", "pattern=\\=nnnnnnn:end=none:decimals=3:unit=kg:reverse=1", (const uint8_t *)f2,
              strlen(f2), 2, 5, r, 4);
    assert_int_equal(got, 2);
    assert_string_equal(r[0].text, "1234.500");
    assert_false(r[0].stable_reported);
    /* a garbled frame: one bad reading with the reason, then decoding goes on */
    const char *f3 = "ST,+00x2.345 kg\r\nST,+0012.345 kg\r\n";
    got = run("ascii", "pattern=ff,snnnnnnnnuuu:stable=ST", (const uint8_t *)f3, strlen(f3), 0, 1, r, 4);
    assert_int_equal(got, 2);
    assert_int_equal(r[0].kind, READING_BAD);
    assert_non_null(strstr(r[0].info, "number"));
    assert_string_equal(r[1].text, "0012.345");
    /* a device file: the same keys as lines, comments, options beside it win */
    char path[] = "/tmp/stallcheck-ascii.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *conf = "# a price-computing scale\npattern = ff,snnnnnnnnuuu\nstable=ST\nunstable=US\nunit=g\n";
    assert_int_equal(write(fd, conf, strlen(conf)), (ssize_t)strlen(conf));
    close(fd);
    char spec[128];
    snprintf(spec, sizeof spec, "file=%s:unit=kg", path);
    got = run("ascii", spec, (const uint8_t *)f1, strlen(f1), 0, 1, r, 4);
    assert_int_equal(got, 2);
    assert_string_equal(r[0].text, "0012.345");
    assert_string_equal(r[0].unit, "kg");
    assert_true(r[0].stable);
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_int_equal(write(fd, "pattern=snnn\nbogus line\n", 25), 25);
    close(fd);
    struct driver_spec ds0;
    snprintf(spec, sizeof spec, "ascii:file=%s", path);
    assert_int_equal(driver_spec_parse(spec, &ds0), 0);
    struct parser *p0;
    assert_true(parser_new(ds0.driver, ds0.opts, ds0.n_opts, &p0) < 0);
    assert_non_null(strstr(sc_error_message(), ":2: not key=value"));
    driver_spec_free(&ds0);
    unlink(path);
    /* bad patterns are refused with a reason */
    struct driver_spec ds;
    assert_int_equal(driver_spec_parse("ascii:end=none:pattern=nnn", &ds), 0);
    struct parser *p;
    assert_true(parser_new(ds.driver, ds.opts, ds.n_opts, &p) < 0);
    driver_spec_free(&ds);
    assert_int_equal(driver_spec_parse("ascii:pattern=fuu", &ds), 0);
    assert_true(parser_new(ds.driver, ds.opts, ds.n_opts, &p) < 0);
    driver_spec_free(&ds);
}

static void spec_parsing(void **state)
{
    (void)state;
    struct driver_spec s;
    assert_int_equal(driver_spec_parse("kern:conn=/dev/ttyUSB0:serialcomm=9600/8n1", &s), 0);
    assert_string_equal(s.driver->name, "kern");
    assert_string_equal(s.conn, "/dev/ttyUSB0");
    assert_string_equal(s.serialcomm, "9600/8n1");
    assert_int_equal(s.n_opts, 0);
    driver_spec_free(&s);
    assert_int_equal(driver_spec_parse("ascii:pattern=a\\:b:conn=tcp-raw/127.0.0.1/4000", &s), 0);
    assert_string_equal(s.opts[0].value, "a:b");
    assert_string_equal(s.conn, "tcp-raw/127.0.0.1/4000");
    driver_spec_free(&s);
    assert_true(driver_spec_parse("nosuch:conn=x", &s) < 0);
    assert_true(driver_spec_parse("kern:conn", &s) < 0);
    assert_true(driver_spec_parse("", &s) < 0);
    for (size_t i = 0; i < driver_count(); i++)
        assert_ptr_equal(driver_find(driver_at(i)->name), driver_at(i));
}

/* A line that is far too long never grows the buffer without bound. */
static void endless_garbage(void **state)
{
    (void)state;
    for (size_t d = 0; d < driver_count(); d++) {
        const char *name = driver_at(d)->name;
        struct parser *p = new_parser(name, strcmp(name, "ascii") == 0 ? "pattern=snnnnn" : NULL);
        uint8_t junk[1000];
        for (size_t i = 0; i < sizeof junk; i++)
            junk[i] = (uint8_t)('A' + i % 13);
        struct reading r;
        for (int k = 0; k < 100; k++) {
            assert_int_equal(parser_feed(p, junk, sizeof junk), 0);
            while (parser_next(p, &r) > 0)
                assert_int_equal(r.kind, READING_BAD);
        }
        parser_free(p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_vector_is_covered),
        cmocka_unit_test(vectors_in_every_chunking),
        cmocka_unit_test(vectors_after_leading_junk),
        cmocka_unit_test(vectors_as_one_stream),
        cmocka_unit_test(toledo_stream_without_checksum),
        cmocka_unit_test(commands_match_vectors),
        cmocka_unit_test(modbus_crc_check_value),
        cmocka_unit_test(modbus_reply_follows_request),
        cmocka_unit_test(ascii_patterns),
        cmocka_unit_test(spec_parsing),
        cmocka_unit_test(endless_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
