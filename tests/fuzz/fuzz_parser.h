/* Shared body of the protocol fuzz targets: the input is fed to a driver's
 * parser in chunks whose sizes come from the first byte, then flushed; every
 * reading must be well formed.  Included by tests/fuzz/fuzz_<driver>.c. */
#ifndef STALLCHECK_TESTS_FUZZ_PARSER_H
#define STALLCHECK_TESTS_FUZZ_PARSER_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "devices/driver.h"
#include "devices/parser.h"
#include "devices/reading.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_check(const struct reading *r)
{
    /* Strings terminated, sizes in range: a broken one crashes under ASan. */
    if (strlen(r->text) >= sizeof r->text || strlen(r->unit) >= sizeof r->unit ||
        strlen(r->info) >= sizeof r->info || r->kind > READING_BAD)
        abort();
    if (r->has_value) {
        char buf[48];
        if (decimal_format(r->value, buf, sizeof buf) < 0)
            abort();
        struct decimal d;
        if (decimal_parse(r->text, &d, NULL) < 0 || decimal_cmp(d, r->value) != 0)
            abort(); /* the text and the exact value must agree */
    }
}

static inline int fuzz_driver(const char *spec_text, const uint8_t *data, size_t size)
{
    struct driver_spec spec;
    if (driver_spec_parse(spec_text, &spec) < 0)
        return 0;
    struct parser *p;
    if (parser_new(spec.driver, spec.opts, spec.n_opts, &p) < 0) {
        driver_spec_free(&spec);
        return 0;
    }
    unsigned chunk = size > 0 ? (data[0] & 15) + 1u : 1u;
    struct reading r;
    for (size_t pos = 0; pos < size;) {
        size_t n = size - pos < chunk ? size - pos : chunk;
        parser_feed(p, data + pos, n);
        pos += n;
        while (parser_next(p, &r) > 0)
            fuzz_check(&r);
    }
    while (parser_flush(p, &r) > 0)
        fuzz_check(&r);
    uint8_t cmd[300];
    for (int q = 0; q < DRIVER_REQ_COUNT; q++)
        driver_command(spec.driver, parser_state(p), (enum driver_request)q, cmd, sizeof cmd);
    /* A meter's device side (what `stallcheck sim` answers) reads the same
     * bytes as host requests. */
    if (spec.driver->serve != NULL) {
        /* a single-phase meter that splits replies into follow-up frames */
        struct meter_values v = {.voltage = {2302, 1}, .current = {1234, 3}, .power = {2841, 4},
                                 .energy = {12345678, 2}, .reactive_power = {-512, 4},
                                 .apparent_power = {2886, 4}, .power_factor = {984, 3},
                                 .reactive_energy = {234567, 2}, .phases = size % 2 ? 1 : 3,
                                 .frame_limit = size % 3 ? 12 : 0};
        for (size_t pos = 0; pos < size;) {
            size_t used = 0, rlen = 0;
            uint8_t reply[300];
            enum frame_result fr = spec.driver->serve(parser_state(p), data + pos, size - pos, &v,
                                                      &used, reply, &rlen);
            if (fr == FRAME_NEED_MORE)
                break;
            if (rlen > sizeof reply)
                abort();
            pos += used > 0 ? used : 1;
        }
    }
    parser_free(p);
    driver_spec_free(&spec);
    return 0;
}

#endif
