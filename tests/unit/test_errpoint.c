/* The error-point method (R76-1 A.4.4.3) and the direct method: the worked
 * example of shared/domain/metrology.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/errpoint.h"
#include "core/error.h"
#include "core/mass.h"
#include "core/r76.h"

#define G(x) ((int64_t)((x) * 1e6 + 0.5))

static void worked_example(void **state)
{
    (void)state;
    /* Class III, Max 15 kg, e = 5 g.  L = 10 000 g, I = 10 000 g, ΔL = 1.5 g:
     * E = 10 000 + 2.5 − 1.5 − 10 000 = +1.0 g.  At zero: I = 0, ΔL = 2.0 g:
     * E0 = +0.5 g.  Ec = +0.5 g, within ±5 g on verification: pass. */
    int64_t e = 0, e0 = 0, mpe = 0;
    assert_int_equal(errpoint_error(G(5), G(10000), G(1.5), G(10000), &e), SC_OK);
    assert_int_equal(e, G(1));
    assert_int_equal(errpoint_error(G(5), 0, G(2), 0, &e0), SC_OK);
    assert_int_equal(e0, G(0.5));
    int64_t ec = errpoint_corrected(e, e0);
    assert_int_equal(ec, G(0.5));
    assert_int_equal(r76_mpe(R76_CLASS_III, G(5), G(10000), R76_VERIFICATION, &mpe), SC_OK);
    assert_int_equal(mpe, G(5));
    assert_true(ec <= mpe && ec >= -mpe);
}

static void limits_of_the_method(void **state)
{
    (void)state;
    int64_t e = 0;
    /* ΔL from 0 to one e: P from I + ½ e down to I − ½ e. */
    assert_int_equal(errpoint_error(G(5), G(100), 0, G(100), &e), SC_OK);
    assert_int_equal(e, G(2.5));
    assert_int_equal(errpoint_error(G(5), G(100), G(5), G(100), &e), SC_OK);
    assert_int_equal(e, -G(2.5));
    assert_int_equal(errpoint_error(G(5), G(100), G(5) + 1, G(100), &e), SC_ERR_ARG);
    assert_non_null(strstr(sc_error_message(), "A.4.4.3"));
    assert_int_equal(errpoint_error(G(5), G(100), -1, G(100), &e), SC_ERR_ARG);
    assert_int_equal(errpoint_error(G(5), G(101), 0, G(100), &e), SC_ERR_ARG);
    assert_int_equal(errpoint_error(G(5), G(100), 0, -1, &e), SC_ERR_ARG);
    assert_int_equal(errpoint_error(3, 3, 0, 0, &e), SC_ERR_ARG);
    /* A negative indication (below zero) works the same way. */
    assert_int_equal(errpoint_error(G(5), -G(5), G(1), 0, &e), SC_OK);
    assert_int_equal(e, -G(3.5));
}

static void direct_method(void **state)
{
    (void)state;
    int64_t e = 0;
    /* Test mode d = 1 g on e = 5 g: 0.2 e, allowed at the limit. */
    assert_int_equal(errpoint_direct(G(5), G(1), G(10001), G(10000), &e), SC_OK);
    assert_int_equal(e, G(1));
    assert_int_equal(errpoint_direct(G(5), G(0.5), G(9999.5), G(10000), &e), SC_OK);
    assert_int_equal(e, -G(0.5));
    /* 2 g on e = 5 g is 0.4 e: refused. */
    assert_int_equal(errpoint_direct(G(5), G(2), G(10000), G(10000), &e), SC_ERR_ARG);
    assert_non_null(strstr(sc_error_message(), "0.2 e"));
    assert_int_equal(errpoint_direct(G(5), G(1), G(10000.5), G(10000), &e), SC_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_example),
        cmocka_unit_test(limits_of_the_method),
        cmocka_unit_test(direct_method),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
