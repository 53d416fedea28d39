/* What a verification and a calibration share: see kit.h. */
#include "db/kit.h"

#include "core/error.h"
#include "db/internal.h"
#include "db/zone.h"

int kit_weights(const struct weight_set *ws, day_t today, size_t max, enum r111_class *cls,
                struct reference *ref, int64_t *weights_ug, size_t *n)
{
    int rc = r111_class_parse(ws->cls, cls);
    if (rc < 0)
        return rc;
    day_t until;
    /* 计量法 Art. 9: a standard out of its calibration is refused. */
    if (ws->calibration_due[0] == '\0' || day_parse(ws->calibration_due, &until) < 0)
        return sc_error_set(SC_ERR_EXPIRED, _("weight set %s: no calibration date on record"),
                            ws->code);
    if ((rc = reference_init(ref, REFERENCE_WEIGHTS, ws->code, until, 0)) < 0)
        return rc;
    *n = 0;
    for (size_t i = 0; i < ws->nitems; i++)
        for (int k = 0; k < ws->items[i].count; k++) {
            if (*n == max)
                return sc_error_set(SC_ERR_RANGE, _("weight set %s has more than %d weights"),
                                    ws->code, (int)max);
            weights_ug[(*n)++] = ws->items[i].nominal_ug;
        }
    return reference_check(ref, today);
}

int kit_commit_check(struct db *db, const char *status_sql, const char *id,
                     const char *instrument, struct instrument *in, const char *ended_at,
                     char *day, size_t size)
{
    int rc = db_still_draft(db, status_sql, id);
    if (rc < 0)
        return rc;
    if (registry_find_instrument(db, instrument, in) < 0)
        return sc_error_set(SC_ERR_NOTFOUND, _("no instrument %s"), instrument);
    if ((rc = zone_check()) < 0)
        return rc;
    return zone_date_of(ended_at, day, size);
}
