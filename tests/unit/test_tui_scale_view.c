/* What the scale panel shows for each kind of reading, from the devices'
 * own frames through tui/scales.c's view of them: an overloaded scale says
 * OVERLOAD, never an empty weight "    g [moving]". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "devices/driver.h"
#include "devices/parser.h"
#include "tests/unit/hexbytes.h"
#include "tui/scale_view.h"

/* A driver's frame (hex) as the screens keep it (tui/scales.c). */
static void reading_of(const char *spec, const char *hex, struct tui_reading *t)
{
    struct driver_spec ds;
    struct parser *p;
    assert_int_equal(driver_spec_parse(spec, &ds), 0);
    assert_int_equal(parser_new(ds.driver, ds.opts, ds.n_opts, &p), 0);
    uint8_t b[64];
    size_t n = hex_bytes(hex, b, sizeof b);
    parser_feed(p, b, n);
    struct reading r;
    assert_int_equal(parser_flush(p, &r), 1);
    assert_int_equal(r.kind, READING_VALUE);
    scale_reading(t, &r, 1);
    parser_free(p);
    driver_spec_free(&ds);
}

static void overload_and_underload(void **state)
{
    (void)state;
    struct tui_reading t;
    struct scale_view v;
    /* A&D "OL,+9999999E+19" and "OL,-9999999E+19" (GH manual §10.6) */
    reading_of("and-std", "4F 4C 2C 2B 39 39 39 39 39 39 39 45 2B 31 39 0D 0A", &t);
    scale_view(&t, &v);
    assert_string_equal(v.text, "OVERLOAD: above Max");
    assert_int_equal(v.role, CR_OUT_OF_TOLERANCE);
    assert_null(v.tag); /* no [moving]: out of range is not a weight in motion */
    reading_of("and-std", "4F 4C 2C 2D 39 39 39 39 39 39 39 45 2B 31 39 0D 0A", &t);
    scale_view(&t, &v);
    assert_string_equal(v.text, "UNDERLOAD: below zero");
    /* Toledo continuous, SWB out of range */
    reading_of("mt-continuous:checksum=off", "02 2C 34 20 20 20 31 35 30 32 20 20 20 20 20 30 0D", &t);
    scale_view(&t, &v);
    assert_string_equal(v.text, "OVERLOAD: above Max");
    /* KERN o-Err/u-Err: S2 = E, no value */
    reading_of("kern", "20 20 20 20 20 20 20 20 20 20 47 20 45 0D 0A", &t);
    scale_view(&t, &v);
    assert_string_equal(v.text, "NO WEIGHT: the scale reports an error");
    assert_string_equal(t.why, "data error (o-Err/u-Err)");
    assert_int_equal(v.role, CR_OUT_OF_TOLERANCE);
}

static void weights(void **state)
{
    (void)state;
    struct tui_reading t;
    struct scale_view v;
    reading_of("mt-continuous:checksum=off", "02 2C 31 20 20 20 20 35 30 30 20 20 20 32 35 30 0D", &t);
    scale_view(&t, &v);
    assert_string_equal(v.text, "  5.00 kg NET");
    assert_string_equal(v.tag, "[stable]");
    assert_int_equal(v.role, CR_STABLE);
    reading_of("and-std", "55 53 2C 2D 30 30 30 31 32 2E 33 34 20 20 67 0D 0A", &t);
    scale_view(&t, &v);
    assert_string_equal(v.text, "  -00012.34 g");
    assert_string_equal(v.tag, "[moving]");
    assert_int_equal(v.role, CR_UNSTABLE);
    memset(&t, 0, sizeof t);
    scale_view(&t, &v);
    assert_string_equal(v.text, "waiting for a reading...");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(overload_and_underload),
        cmocka_unit_test(weights),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
