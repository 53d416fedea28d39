#include "core/ghost.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/mass.h"

const char *ghost_flag_name(enum ghost_flag f)
{
    switch (f) {
    case GHOST_OUT_OF_TOLERANCE: return "out-of-tolerance";
    case GHOST_INCONSISTENT: return "inconsistent";
    case GHOST_SWITCHED: return "switched-by-keys";
    case GHOST_DRIFTED: return "differs-from-verification";
    }
    return "?";
}

int ghost_suggest_loads(const struct r76_instrument *in, int64_t out_ug[3])
{
    static const int64_t in_e[] = {100, 500, 2000};
    int n = 0;
    for (int i = 0; i < 3; i++) {
        int64_t l = in_e[i] * in->e_ug[0];
        if (l < in->max_ug[in->parts > 1 ? in->parts - 1 : 0])
            out_ug[n++] = l;
    }
    return n;
}

struct gtext {
    char s[40];
};

static struct gtext gs(int64_t ug, int sign)
{
    struct gtext t;
    char num[32];
    mass_format(ug, MASS_G, num, sizeof num);
    snprintf(t.s, sizeof t.s, "%s%s g", sign && ug > 0 ? "+" : "", num);
    return t;
}

static int64_t abs64(int64_t v)
{
    return v < 0 ? -v : v;
}

#define FINDINGS_MAX 440

/* Appends "; " + text to the findings, as room allows. */
static void add_finding(char *findings, const char *text)
{
    size_t len = strlen(findings);
    const char *parts[2] = {len ? "; " : "", text};
    for (int i = 0; i < 2; i++) {
        size_t n = strlen(parts[i]);
        if (n > FINDINGS_MAX - 1 - len)
            n = FINDINGS_MAX - 1 - len; /* cut: the flags still say it all */
        memcpy(findings + len, parts[i], n);
        len += n;
        findings[len] = '\0';
    }
}

int ghost_judge(const struct ghost_check *c, struct ghost_verdict *v)
{
    memset(v, 0, sizeof *v);
    struct r76_instrument in = c->instrument;
    int rc = r76_instrument_check(&in);
    if (rc < 0)
        return rc;
    /* A verdict from an out-of-date reference does not stand. */
    if ((rc = reference_check(&c->reference, c->today)) < 0)
        return rc;
    if (c->n_obs > GHOST_MAX_OBS)
        return sc_error_set(SC_ERR_ARG, "more than %d observations", GHOST_MAX_OBS);
    v->reference_kind = c->reference.kind;
    snprintf(v->reference_id, sizeof v->reference_id, "%s", c->reference.id);
    v->reference_valid_until = c->reference.valid_until;

    int64_t mpe_use[GHOST_MAX_OBS], mpe_ver[GHOST_MAX_OBS];
    for (size_t i = 0; i < c->n_obs; i++) {
        const struct ghost_obs *o = &c->obs[i];
        if (o->load < 0 || o->load >= GHOST_MAX_LOADS || o->round < 1 ||
            (o->phase != GHOST_BEFORE && o->phase != GHOST_AFTER))
            return sc_error_set(SC_ERR_ARG, "observation %zu: load, phase or round out of range", i + 1);
        if (o->reference_ug <= 0)
            return sc_error_set(SC_ERR_ARG, "observation %zu: the reference mass must be above zero", i + 1);
        /* The in-service MPE (R76-1 3.5.2; JJG 539 使用中检查) at the true mass. */
        if ((rc = r76_instrument_mpe(&in, o->reference_ug, R76_IN_SERVICE, &mpe_use[i])) < 0 ||
            (rc = r76_instrument_mpe(&in, o->reference_ug, R76_VERIFICATION, &mpe_ver[i])) < 0)
            return sc_error_set(rc, "observation %zu: %s", i + 1, sc_error_message());
        /* R76-1 3.7.1: the reference's own error no more than 1/3 of the
         * MPE it checks. */
        if (c->reference.mpe_ug > 0 && 3 * c->reference.mpe_ug > mpe_use[i])
            return sc_error_set(SC_ERR_INCONSISTENT,
                                "%s '%s': its MPE %s is more than 1/3 of the in-service MPE "
                                "%s it checks at %s (R76-1 3.7.1); use a finer reference",
                                reference_kind_name(c->reference.kind), c->reference.id,
                                gs(c->reference.mpe_ug, 0).s, gs(mpe_use[i], 0).s,
                                gs(o->reference_ug, 0).s);
    }

    char text[480];
    char findings[FINDINGS_MAX] = "";
    int min_rounds = -1;
    for (int L = 0; L < GHOST_MAX_LOADS; L++) {
        int64_t lo[2] = {INT64_MAX, INT64_MAX}, hi[2] = {INT64_MIN, INT64_MIN};
        int64_t mpe = 0, ref = 0;
        int count[2] = {0, 0};
        unsigned rounds[2] = {0, 0};
        for (size_t i = 0; i < c->n_obs; i++) {
            const struct ghost_obs *o = &c->obs[i];
            if (o->load != L)
                continue;
            int64_t err = o->stall_ug - o->reference_ug;
            int ph = o->phase;
            count[ph]++;
            if (o->round <= 32)
                rounds[ph] |= 1u << (o->round - 1);
            lo[ph] = err < lo[ph] ? err : lo[ph];
            hi[ph] = err > hi[ph] ? err : hi[ph];
            /* The spread is judged against the larger MPE of the group
             * (goods re-weighed vary a little): benefit of the doubt. */
            if (mpe_use[i] > mpe) {
                mpe = mpe_use[i];
                ref = o->reference_ug;
            }
            if (abs64(err) > abs64(v->worst_error_ug))
                v->worst_error_ug = err;
            if (abs64(err) > mpe_use[i] && !(v->flags & GHOST_OUT_OF_TOLERANCE)) {
                v->flags |= GHOST_OUT_OF_TOLERANCE;
                snprintf(text, sizeof text, "at %s the error in use %s exceeds the in-service MPE \xc2\xb1%s (R76-1 3.5.2)",
                         gs(o->reference_ug, 0).s, gs(err, 1).s, gs(mpe_use[i], 0).s);
                add_finding(findings, text);
            }
            if (c->has_verified[L] && abs64(err - c->verified_error_ug[L]) > mpe_ver[i] &&
                !(v->flags & GHOST_DRIFTED)) {
                v->flags |= GHOST_DRIFTED;
                snprintf(text, sizeof text,
                         "at %s the error in use %s differs from its error at verification %s by "
                         "more than the verification MPE \xc2\xb1%s",
                         gs(o->reference_ug, 0).s, gs(err, 1).s, gs(c->verified_error_ug[L], 1).s,
                         gs(mpe_ver[i], 0).s);
                add_finding(findings, text);
            }
        }
        if (count[0] + count[1] == 0)
            continue;
        if (__builtin_popcount(rounds[0]) >= GHOST_MIN_ROUNDS &&
            __builtin_popcount(rounds[1]) >= GHOST_MIN_ROUNDS)
            v->loads++;
        /* Rounds with both phases, counted on the load with fewest. */
        int r = __builtin_popcount(rounds[0] & rounds[1]);
        if (min_rounds < 0 || r < min_rounds)
            min_rounds = r;
        /* R76-1 3.6.1: readings of one load may differ by no more than the
         * MPE (in service: twice, 3.5.2). */
        int within = 0;
        for (int ph = 0; ph < 2; ph++)
            if (count[ph] > 0 && hi[ph] - lo[ph] > mpe)
                within = 1;
        if (within && !(v->flags & GHOST_INCONSISTENT)) {
            v->flags |= GHOST_INCONSISTENT;
            int ph = count[0] > 0 && hi[0] - lo[0] > mpe ? 0 : 1;
            snprintf(text, sizeof text,
                     "at %s its readings disagree by %s %s the vendor's key presses, more than "
                     "the in-service MPE \xc2\xb1%s (R76-1 3.6.1, 3.5.2)",
                     gs(ref, 0).s, gs(hi[ph] - lo[ph], 0).s, ph == 0 ? "before" : "after",
                     gs(mpe, 0).s);
            add_finding(findings, text);
        } else if (!within && count[0] > 0 && count[1] > 0) {
            int64_t all_lo = lo[0] < lo[1] ? lo[0] : lo[1], all_hi = hi[0] > hi[1] ? hi[0] : hi[1];
            if (all_hi - all_lo > mpe && !(v->flags & GHOST_SWITCHED)) {
                v->flags |= GHOST_SWITCHED;
                /* Which way it cheats: a heavier reading shortchanges the buyer. */
                int heavier_after = hi[1] > hi[0];
                snprintf(text, sizeof text,
                         "at %s its error changed after the vendor's key presses: %s..%s before, "
                         "%s..%s after, more apart than the in-service MPE \xc2\xb1%s (%s)",
                         gs(ref, 0).s, gs(lo[0], 1).s, gs(hi[0], 1).s, gs(lo[1], 1).s, gs(hi[1], 1).s,
                         gs(mpe, 0).s,
                         heavier_after ? "it reads heavier after: the buyer is short"
                                       : "it reads lighter after");
                add_finding(findings, text);
            }
        }
    }
    v->rounds = min_rounds < 0 ? 0 : min_rounds;
    char tail[160];
    char until[16];
    day_format(c->reference.valid_until, until, sizeof until);
    snprintf(tail, sizeof tail, "%d load(s) complete, %d round(s); %s %s valid until %s", v->loads,
             v->rounds, reference_kind_name(c->reference.kind), c->reference.id, until);
    if (v->flags) {
        v->outcome = GHOST_SUSPECT;
        snprintf(v->reason, sizeof v->reason, "suspect: %s (%s)", findings, tail);
    } else if (v->loads < GHOST_MIN_LOADS || v->rounds < GHOST_MIN_ROUNDS) {
        v->outcome = GHOST_INCOMPLETE;
        snprintf(v->reason, sizeof v->reason,
                 "incomplete: nothing found, but the protocol needs %d loads, each read at least "
                 "%d times before and %d times after the vendor's key presses (%s)",
                 GHOST_MIN_LOADS, GHOST_MIN_ROUNDS, GHOST_MIN_ROUNDS, tail);
    } else {
        v->outcome = GHOST_CLEAR;
        snprintf(v->reason, sizeof v->reason,
                 "clear: every reading within the in-service MPE and consistent before and after "
                 "the vendor's key presses; worst error %s (%s)",
                 gs(v->worst_error_ug, 1).s, tail);
    }
    return SC_OK;
}
