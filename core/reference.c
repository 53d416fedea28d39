#include "core/reference.h"

#include <string.h>

#include "core/error.h"

const char *reference_kind_name(enum reference_kind kind)
{
    return kind == REFERENCE_WEIGHTS ? "weight set" : kind == REFERENCE_SCALE ? "reference scale" : "?";
}

int reference_init(struct reference *ref, enum reference_kind kind, const char *id,
                   day_t valid_until, int64_t mpe_ug)
{
    memset(ref, 0, sizeof *ref);
    if (kind != REFERENCE_WEIGHTS && kind != REFERENCE_SCALE)
        return sc_error_set(SC_ERR_ARG, "no such kind of reference");
    size_t n = id ? strlen(id) : 0;
    if (n == 0)
        return sc_error_set(SC_ERR_ARG, "the %s needs an id (its certificate or serial number)",
                            reference_kind_name(kind));
    if (n >= sizeof ref->id)
        return sc_error_set(SC_ERR_ARG, "the %s's id is longer than %d bytes",
                            reference_kind_name(kind), REFERENCE_ID_MAX - 1);
    if (id[0] == ' ' || id[n - 1] == ' ')
        return sc_error_set(SC_ERR_ARG, "the %s's id starts or ends with a space",
                            reference_kind_name(kind));
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] < 0x20 || id[i] == 0x7f)
            return sc_error_set(SC_ERR_ARG, "the %s's id has a control character",
                                reference_kind_name(kind));
    if (mpe_ug < 0)
        return sc_error_set(SC_ERR_ARG, "a reference's MPE cannot be negative");
    ref->kind = kind;
    memcpy(ref->id, id, n + 1);
    ref->valid_until = valid_until;
    ref->mpe_ug = mpe_ug;
    return SC_OK;
}

int reference_check(const struct reference *ref, day_t today)
{
    if (ref->id[0] == '\0')
        return sc_error_set(SC_ERR_ARG, "no reference declared");
    if (today > ref->valid_until) {
        char until[16], now[16];
        day_format(ref->valid_until, until, sizeof until);
        day_format(today, now, sizeof now);
        return sc_error_set(SC_ERR_EXPIRED,
                            "%s '%s': its calibration was valid until %s and today is %s; "
                            "a verdict needs a reference in date",
                            reference_kind_name(ref->kind), ref->id, until, now);
    }
    return SC_OK;
}
