#include "core/errpoint.h"

#include "core/error.h"

int errpoint_error(int64_t step_ug, int64_t indication_ug, int64_t added_ug, int64_t load_ug,
                   int64_t *error_ug)
{
    /* Every valid e is >= 1 mg, so ½ e is exact; a display step must be
     * even in µg for ½ step to be. */
    if (step_ug <= 0 || step_ug % 2 != 0)
        return sc_error_set(SC_ERR_ARG, "the display interval must be an even number of micrograms");
    if (indication_ug % step_ug != 0)
        return sc_error_set(SC_ERR_ARG, "the indication is not a multiple of the display interval");
    if (added_ug < 0 || added_ug > step_ug)
        return sc_error_set(SC_ERR_ARG,
                            "the small weights added must be between 0 and one interval: had the "
                            "indication not stepped up by then, it was not the one entered "
                            "(R76-1 A.4.4.3)");
    if (load_ug < 0)
        return sc_error_set(SC_ERR_ARG, "the load cannot be negative");
    /* R76-1 A.4.4.3: P = I + ½ e − ΔL; E = P − L. */
    *error_ug = indication_ug + step_ug / 2 - added_ug - load_ug;
    return SC_OK;
}

int errpoint_direct(int64_t e_ug, int64_t resolution_ug, int64_t indication_ug, int64_t load_ug,
                    int64_t *error_ug)
{
    if (e_ug <= 0 || resolution_ug <= 0)
        return sc_error_set(SC_ERR_ARG, "e and the display interval must be above zero");
    /* R76-1 3.5.3.2: the rounding error must be eliminated where the
     * displayed interval is above 0.2 e; at or below it, the rounding left
     * (½ d <= 0.1 e) is that of the 0.1 e error weights. */
    if (5 * resolution_ug > e_ug)
        return sc_error_set(SC_ERR_ARG,
                            "a display interval above 0.2 e cannot give the error directly: use "
                            "the error-point method with 0.1 e weights (R76-1 3.5.3.2, A.4.4.3)");
    if (indication_ug % resolution_ug != 0)
        return sc_error_set(SC_ERR_ARG, "the indication is not a multiple of the display interval");
    if (load_ug < 0)
        return sc_error_set(SC_ERR_ARG, "the load cannot be negative");
    *error_ug = indication_ug - load_ug;
    return SC_OK;
}

int64_t errpoint_corrected(int64_t error_ug, int64_t zero_error_ug)
{
    return error_ug - zero_error_ug;
}
