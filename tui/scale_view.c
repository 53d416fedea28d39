#include "tui/scale_view.h"

#include <stdio.h>
#include <string.h>

#include "tui/i18n.h"
#include "tui/text.h"

void scale_reading(struct tui_reading *t, const struct reading *r, uint64_t seq)
{
    memset(t, 0, sizeof *t);
    t->seq = seq;
    t->overload = r->status == READING_STATUS_OVERLOAD;
    t->underload = r->status == READING_STATUS_UNDERLOAD;
    t->error = r->status == READING_STATUS_ERROR || r->status == READING_STATUS_ABSENT;
    text_copy(t->why, sizeof t->why, r->info);
    t->stable = r->stable;
    t->net = r->net;
    text_copy(t->text, sizeof t->text, r->text);
    text_copy(t->unit, sizeof t->unit, r->unit);
    /* a mass in µg, exactly, or no value for the verdicts */
    t->has_value = r->has_value && reading_mass_ug(r, &t->ug) == 0;
    t->raw_len = r->raw_len < sizeof t->raw ? r->raw_len : sizeof t->raw;
    memcpy(t->raw, r->raw, t->raw_len);
}

void scale_evidence(const struct tui_scale *sc, const char *instrument, struct visit_reading *out)
{
    const struct tui_reading *r = &sc->last;
    memset(out, 0, sizeof *out);
    out->raw_len = r->raw_len < sizeof out->raw ? r->raw_len : sizeof out->raw;
    memcpy(out->raw, r->raw, out->raw_len);
    text_copy(out->value, sizeof out->value, r->text);
    text_copy(out->unit, sizeof out->unit, r->unit);
    text_copy(out->driver, sizeof out->driver, sc->driver);
    text_copy(out->instrument, sizeof out->instrument, instrument);
    out->stable = r->stable;
}

const char *scale_out_of_range(const struct tui_reading *r)
{
    if (r->seq == 0)
        return NULL;
    if (r->overload)
        return N_("Overload: the scale is above Max; nothing to capture");
    if (r->underload)
        return N_("Underload: the scale reads below zero; 5 zeroes it");
    if (r->error)
        return N_("The scale reports an error: nothing to capture; 4 retries");
    return NULL;
}

void scale_view(const struct tui_reading *r, struct scale_view *out)
{
    memset(out, 0, sizeof *out);
    if (r->seq == 0) {
        snprintf(out->text, sizeof out->text, "%s", _("waiting for a reading..."));
        out->role = CR_UNSTABLE;
        return;
    }
    /* Out of range: the scale shows no weight, and the screen says so (a
     * scale past Max + 9 e shows nothing, R76-1 4.10). */
    if (r->overload || r->underload || r->error) {
        /* (KERN's o-Err and u-Err come as one "data error": no telling
         * which; the device's own words stay in why for the log.) */
        const char *what = r->overload ? _("OVERLOAD: above Max")
                           : r->underload ? _("UNDERLOAD: below zero")
                                          : _("NO WEIGHT: the scale reports an error");
        snprintf(out->text, sizeof out->text, "%s", what);
        out->role = CR_OUT_OF_TOLERANCE;
        return;
    }
    if (!r->has_value) {
        snprintf(out->text, sizeof out->text, "%s", _("no weight in this reading"));
        out->role = CR_UNSTABLE;
        return;
    }
    /* The value exactly as the scale printed it, with its unit. */
    snprintf(out->text, sizeof out->text, "  %s %s%s", r->text, r->unit, r->net ? " NET" : "");
    out->role = r->stable ? CR_STABLE : CR_UNSTABLE;
    out->tag = r->stable ? _("[stable]") : _("[moving]");
    out->tag_role = out->role;
}
