/* Exact decimals and masses: the arithmetic every verdict rests on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/decimal.h"
#include "core/error.h"
#include "core/mass.h"

static void decimal_keeps_device_digits(void **state)
{
    (void)state;
    struct decimal d;
    char buf[32];
    assert_int_equal(decimal_parse("    100.00", &d, NULL), SC_OK);
    assert_int_equal(d.mant, 10000);
    assert_int_equal(d.scale, 2);
    decimal_format(d, buf, sizeof buf);
    assert_string_equal(buf, "100.00");
    assert_int_equal(decimal_parse("-0.0082", &d, NULL), SC_OK);
    decimal_format(d, buf, sizeof buf);
    assert_string_equal(buf, "-0.0082");
    assert_int_equal(decimal_parse("+00123.45", &d, NULL), SC_OK);
    decimal_format(d, buf, sizeof buf);
    assert_string_equal(buf, "123.45");
}

static void decimal_rejects_garbage(void **state)
{
    (void)state;
    struct decimal d;
    assert_int_equal(decimal_parse("", &d, NULL), SC_ERR_PARSE);
    assert_int_equal(decimal_parse("-", &d, NULL), SC_ERR_PARSE);
    assert_int_equal(decimal_parse("1.2.3", &d, NULL), SC_ERR_PARSE);
    assert_int_equal(decimal_parse("12a", &d, NULL), SC_ERR_PARSE);
    assert_int_equal(decimal_parse("99999999999999999999", &d, NULL), SC_ERR_RANGE);
}

static void decimal_rescale_is_exact(void **state)
{
    (void)state;
    struct decimal d = {12345, 2};
    int64_t v;
    assert_int_equal(decimal_rescale(d, 3, &v), SC_OK);
    assert_int_equal(v, 123450);
    assert_int_equal(decimal_rescale(d, 1, &v), SC_ERR_RANGE);
    d.mant = 12340;
    assert_int_equal(decimal_rescale(d, 1, &v), SC_OK);
    assert_int_equal(v, 1234);
    assert_int_equal(decimal_cmp((struct decimal){100, 1}, (struct decimal){1000, 2}), 0);
    assert_true(decimal_cmp((struct decimal){-1, 0}, (struct decimal){1, 3}) < 0);
}

static void mass_units(void **state)
{
    (void)state;
    int64_t ug;
    assert_int_equal(mass_parse("15kg", 0, &ug), SC_OK);
    assert_int_equal(ug, 15 * MASS_KG);
    assert_int_equal(mass_parse("5g", 0, &ug), SC_OK);
    assert_int_equal(ug, 5 * MASS_G);
    assert_int_equal(mass_parse("500mg", 0, &ug), SC_OK);
    assert_int_equal(ug, 500 * MASS_MG);
    assert_int_equal(mass_parse("2.5 g", 0, &ug), SC_OK);
    assert_int_equal(ug, 2500 * MASS_MG);
    assert_int_equal(mass_parse("1.9\xe4\xb8\xa4", 0, &ug), SC_OK); /* 1.9 两 = 95 g */
    assert_int_equal(ug, 95 * MASS_G);
    assert_int_equal(mass_parse("2\xe6\x96\xa4", 0, &ug), SC_OK); /* 2 斤 = 1 kg */
    assert_int_equal(ug, MASS_KG);
    assert_int_equal(mass_parse("0.001mg", 0, &ug), SC_OK);
    assert_int_equal(ug, 1);
    assert_int_equal(mass_parse("250", MASS_G, &ug), SC_OK);
    assert_int_equal(ug, 250 * MASS_G);
}

static void mass_refuses_what_it_cannot_hold(void **state)
{
    (void)state;
    int64_t ug = 42;
    assert_int_equal(mass_parse("0.0001mg", 0, &ug), SC_ERR_RANGE);
    assert_int_equal(mass_parse("250", 0, &ug), SC_ERR_PARSE);
    assert_int_equal(mass_parse("3 stone", 0, &ug), SC_ERR_PARSE);
    assert_int_equal(mass_parse("kg", 0, &ug), SC_ERR_PARSE);
    assert_int_equal(mass_parse("99999999999t", 0, &ug), SC_ERR_RANGE);
    assert_int_equal(ug, 42); /* untouched on failure */
    assert_non_null(strstr(sc_error_message(), "too large"));
}

static void mass_prints_exact_grams(void **state)
{
    (void)state;
    char buf[32];
    mass_format(2500 * MASS_MG, MASS_G, buf, sizeof buf);
    assert_string_equal(buf, "2.5");
    mass_format(15 * MASS_KG, MASS_G, buf, sizeof buf);
    assert_string_equal(buf, "15000");
    mass_format(-1, MASS_G, buf, sizeof buf);
    assert_string_equal(buf, "-0.000001");
    mass_format(0, MASS_G, buf, sizeof buf);
    assert_string_equal(buf, "0");
}

static void errors_carry_their_detail(void **state)
{
    (void)state;
    sc_error_clear();
    assert_string_equal(sc_error_message(), "");
    assert_int_equal(sc_error_set(SC_ERR_TIMEOUT, NULL), SC_ERR_TIMEOUT);
    assert_string_equal(sc_error_message(), "timed out");
    assert_int_equal(sc_error_set(SC_ERR_PARSE, "line %d: bad", 7), SC_ERR_PARSE);
    assert_string_equal(sc_error_message(), "line 7: bad");
    assert_int_equal(sc_error_code(), SC_ERR_PARSE);
    assert_string_equal(sc_strerror(SC_ERR_GONE), "device gone");
    assert_string_equal(sc_strerror(12345), "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decimal_keeps_device_digits),
        cmocka_unit_test(decimal_rejects_garbage),
        cmocka_unit_test(decimal_rescale_is_exact),
        cmocka_unit_test(mass_units),
        cmocka_unit_test(mass_refuses_what_it_cannot_hold),
        cmocka_unit_test(mass_prints_exact_grams),
        cmocka_unit_test(errors_carry_their_detail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
