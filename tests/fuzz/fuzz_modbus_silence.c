/* Fuzz target: the modbus-rtu parser framed by line silences, as on a live
 * serial link.  The first byte gives the chunk size, the second where
 * silences fall (after every Nth chunk); the rest are the line's bytes. */
#include "tests/fuzz/fuzz_parser.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    struct driver_spec spec;
    if (driver_spec_parse("modbus-rtu:register=0x0121:fc=3:type=u16:decimals=1", &spec) < 0)
        return 0;
    struct parser *p;
    if (parser_new(spec.driver, spec.opts, spec.n_opts, &p) < 0) {
        driver_spec_free(&spec);
        return 0;
    }
    parser_by_silence(p, true);
    unsigned chunk = (data[0] & 31) + 1u, every = (data[1] & 3) + 1u, n_chunk = 0;
    data += 2;
    size -= 2;
    struct reading r;
    size_t given = 0;
    for (size_t pos = 0; pos < size;) {
        size_t n = size - pos < chunk ? size - pos : chunk;
        parser_feed(p, data + pos, n);
        pos += n;
        if (++n_chunk % every == 0)
            parser_silence(p);
        while (parser_next(p, &r) > 0) {
            fuzz_check(&r);
            given += r.raw_len;
        }
    }
    parser_silence(p);
    while (parser_next(p, &r) > 0 || parser_flush(p, &r) > 0) {
        fuzz_check(&r);
        given += r.raw_len;
    }
    /* Every byte fed comes out in some reading, none twice. */
    if (given != size)
        abort();
    parser_free(p);
    driver_spec_free(&spec);
    return 0;
}
