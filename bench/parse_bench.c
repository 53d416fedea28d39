/* Parser throughput for every protocol: 8 MB of that protocol's frames
 * (built with the driver's own encoder, or frames from the manuals for the
 * meters), fed in 4 KiB chunks, as captures are decoded again for evidence
 * and audits.  The time is the thread's CPU time, the best of fifteen passes:
 * on a machine shared with other work wall time measures the others.
 * Prints "bench: parse-DRIVER VALUE MB/s"; exits 1 when one is below the
 * floor (200 MB/s, or the first argument).  A second argument runs only
 * that protocol (for perf or callgrind). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "devices/driver.h"
#include "devices/parser.h"

#define TARGET_BYTES (8u << 20)
#define PASSES 15

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t hex(const char *h, uint8_t *out)
{
    size_t n = 0;
    unsigned v;
    while (*h) {
        if (*h == ' ') {
            h++;
            continue;
        }
        sscanf(h, "%2x", &v);
        out[n++] = (uint8_t)v;
        h += 2;
    }
    return n;
}

/* One "period" of traffic for a driver into buf; returns its length. */
static size_t period(const char *spec, struct parser *p, uint8_t *buf, size_t size)
{
    const struct driver *d = parser_driver(p);
    size_t n = 0;
    if (strcmp(d->name, "modbus-rtu") == 0)
        return hex("01 04 00 00 00 02 71 CB 01 04 04 43 66 33 33 5A FA", buf);
    if (strcmp(d->name, "dlt645-2007") == 0)
        /* a request and its reply, and a voltage block with an absent phase */
        return hex("FE FE FE FE 68 61 01 00 00 00 00 68 11 04 33 34 34 35 17 16 "
                   "68 61 01 00 00 00 00 68 91 06 33 34 34 35 34 43 10 16 "
                   "68 61 01 00 00 00 00 68 91 0A 33 32 34 35 34 55 CB 54 32 32 A7 16", buf);
    if (strcmp(d->name, "and-std") == 0)
        n = hex("4F 4C 2C 2B 39 39 39 39 39 39 39 45 2B 31 39 0D 0A", buf); /* OL,+9999999E+19 */
    static const char *const values[] = {"123.45", "-12.50", "0.00", "1999.99"};
    for (size_t i = 0; i < 4; i++) {
        struct reading r;
        reading_clear(&r);
        reading_set_text(&r, values[i], strlen(values[i]));
        memcpy(r.unit, "g", 2);
        r.stable = i != 1;
        r.stable_reported = true;
        int k = d->encode(parser_state(p), &r, buf + n, size - n);
        if (k < 0) {
            fprintf(stderr, "%s: %s\n", spec, sc_error_message());
            exit(1);
        }
        n += (size_t)k;
    }
    return n;
}

int main(int argc, char **argv)
{
    double floor = argc > 1 ? atof(argv[1]) : 200.0;
    static const char *const specs[] = {
        "mt-sics", "and-std", "mt-continuous", "kern", "yaohua", "modbus-rtu", "dlt645-2007",
        "ascii:pattern=ff,snnnnnnnnuuu:stable=ST:unstable=US",
    };
    uint8_t *data = malloc(TARGET_BYTES + 1024);
    int status = 0;
    const char *only = argc > 2 ? argv[2] : NULL; /* one protocol, for a profiler */
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        if (only != NULL && strncmp(specs[i], only, strlen(only)) != 0)
            continue;
        struct driver_spec ds;
        struct parser *p;
        if (driver_spec_parse(specs[i], &ds) < 0 || parser_new(ds.driver, ds.opts, ds.n_opts, &p) < 0) {
            fprintf(stderr, "%s: %s\n", specs[i], sc_error_message());
            return 1;
        }
        uint8_t one[512];
        size_t plen = period(specs[i], p, one, sizeof one), len = 0;
        while (len + plen <= TARGET_BYTES) {
            memcpy(data + len, one, plen);
            len += plen;
        }
        double best = 0;
        for (int pass = 0; pass < PASSES; pass++) {
            struct reading r;
            size_t readings = 0, bad = 0;
            parser_reset(p);
            double t0 = cpu_seconds();
            for (size_t off = 0; off < len; off += 4096) {
                size_t k = len - off < 4096 ? len - off : 4096;
                parser_feed(p, data + off, k);
                while (parser_next(p, &r) > 0) {
                    readings++;
                    bad += r.kind == READING_BAD;
                }
            }
            while (parser_flush(p, &r) > 0)
                readings++;
            double t = cpu_seconds() - t0;
            if (bad > 0 || readings == 0) {
                fprintf(stderr, "%s: %zu bad of %zu readings\n", specs[i], bad, readings);
                return 1;
            }
            double mbs = (double)len / t / 1e6;
            if (mbs > best)
                best = mbs;
        }
        printf("bench: parse-%s %.1f MB/s\n", ds.driver->name, best);
        if (best < floor) {
            printf("bench: parse-%s below %.0f MB/s\n", ds.driver->name, floor);
            status = 1;
        }
        parser_free(p);
        driver_spec_free(&ds);
    }
    free(data);
    return status;
}
