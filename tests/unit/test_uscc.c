#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/uscc.h"

/* The standard's worked example as reposted with GB 32100-2015's text:
 * 91350100M000100Y4 sums to 1640, 1640 mod 31 = 28, C18 = 31 - 28 = 3. */
static void worked_example(void **state)
{
    (void)state;
    char c;
    assert_int_equal(uscc_check_char("91350100M000100Y4", &c), 0);
    assert_int_equal(c, '3');
    assert_int_equal(uscc_validate("91350100M000100Y43"), 0);
    assert_int_equal(uscc_validate("91350100M000100Y4Z"), SC_ERR_PARSE);
    assert_non_null(strstr(sc_error_message(), "position 18"));
    assert_non_null(strstr(sc_error_message(), "should be 3"));
}

/* Codes computed by hand with the standard's algorithm (weights
 * 3^(i-1) mod 31), covering a letter check character and the 31 -> 0 case. */
static void computed_examples(void **state)
{
    (void)state;
    /* 9 1 1 1 0 1 0 0 0 0 0 0 0 0 0 0 0: 9*1+1*3+1*9+1*27+1*26 = 74;
     * 74 mod 31 = 12; 31 - 12 = 19 -> 'K'. */
    assert_int_equal(uscc_validate("91110100000000000K"), 0);
    /* 1 0 ... 0 with 0 at 17: sum 1, 31 - 1 = 30 -> 'Y'. */
    assert_int_equal(uscc_validate("10000000000000000Y"), 0);
    /* All zeros: sum 0, 31 - 0 = 31 -> 0. */
    assert_int_equal(uscc_validate("000000000000000000"), 0);
    /* 92 440300 MA5F00000 (个体工商户): 9*1 + 2*3 + 4*9 + 4*27 + 3*26 + 0 + 0*17 + 0
     * + M(21)*20 + A(10)*29 + 5*25 + F(15)*13 = 9+6+36+108+78+420+290+125+195
     * = 1267; 1267 mod 31 = 27; 31 - 27 = 4. */
    assert_int_equal(uscc_validate("92440300MA5F000004"), 0);
    assert_int_equal(uscc_validate("92440300MA5F000005"), SC_ERR_PARSE);
}

static void malformed(void **state)
{
    (void)state;
    assert_int_equal(uscc_validate("91350100M000100Y4"), SC_ERR_PARSE); /* 17 */
    assert_non_null(strstr(sc_error_message(), "18 characters"));
    assert_int_equal(uscc_validate("91350100M00010OY43"), SC_ERR_PARSE); /* letter O */
    assert_non_null(strstr(sc_error_message(), "position 15"));
    assert_int_equal(uscc_validate("913A0100M000100Y43"), SC_ERR_PARSE); /* division */
    assert_non_null(strstr(sc_error_message(), "position 4"));
    assert_int_equal(uscc_validate("91350100m000100Y43"), SC_ERR_PARSE); /* lower case */
    assert_int_equal(uscc_validate(""), SC_ERR_PARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_example),
        cmocka_unit_test(computed_examples),
        cmocka_unit_test(malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
