#include "core/r76.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "core/mass.h"

/* A mass in grams for a message: "5 g", "0.1 g", "15000 g". */
struct gtext {
    char s[32];
};

static struct gtext g(int64_t ug)
{
    struct gtext t;
    int n = mass_format(ug, MASS_G, t.s, sizeof t.s - 2);
    if (n < 0 || (size_t)n >= sizeof t.s - 2)
        strcpy(t.s, "?");
    strcat(t.s, " g");
    return t;
}

int r76_class_parse(const char *text, enum r76_class *out)
{
    static const struct {
        const char *text;
        enum r76_class cls;
    } names[] = {
        {"I", R76_CLASS_I}, {"II", R76_CLASS_II}, {"III", R76_CLASS_III},
        {"IIII", R76_CLASS_IIII}, {"IV", R76_CLASS_IIII},
        {"1", R76_CLASS_I}, {"2", R76_CLASS_II}, {"3", R76_CLASS_III}, {"4", R76_CLASS_IIII},
        /* ①②③④: JJG 539 and the plates of Chinese scales mark the class
         * with a circled digit (③ 中准确度级, ④ 普通准确度级). */
        {"\xe2\x91\xa0", R76_CLASS_I}, {"\xe2\x91\xa1", R76_CLASS_II},
        {"\xe2\x91\xa2", R76_CLASS_III}, {"\xe2\x91\xa3", R76_CLASS_IIII},
        /* Ⅰ Ⅱ Ⅲ: Unicode Roman numerals, as typed by Chinese input methods. */
        {"\xe2\x85\xa0", R76_CLASS_I}, {"\xe2\x85\xa1", R76_CLASS_II},
        {"\xe2\x85\xa2", R76_CLASS_III},
    };
    if (text == NULL)
        return sc_error_set(SC_ERR_ARG, "no accuracy class given");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(text, names[i].text) == 0) {
            *out = names[i].cls;
            return SC_OK;
        }
    }
    return sc_error_set(SC_ERR_PARSE, "'%s': not an accuracy class (I, II, III, IIII or \xe2\x91\xa2 \xe2\x91\xa3)",
                        text);
}

const char *r76_class_name(enum r76_class cls)
{
    switch (cls) {
    case R76_CLASS_I: return "I";
    case R76_CLASS_II: return "II";
    case R76_CLASS_III: return "III";
    case R76_CLASS_IIII: return "IIII";
    }
    return "?";
}

bool r76_interval_valid(int64_t v)
{
    if (v <= 0)
        return false;
    while (v % 10 == 0)
        v /= 10;
    return v == 1 || v == 2 || v == 5;
}

/* R76-1 Table 3, one row per class and range of e, in µg.  e_hi 0 = no
 * upper bound; n_max 0 = none (class I). */
struct table3_row {
    enum r76_class cls;
    int64_t e_lo, e_hi;
    int64_t n_min, n_max;
    int64_t min_e; /* the lower limit of Min, in e */
};

static const struct table3_row table3[] = {
    {R76_CLASS_I,    1 * MASS_MG,   0,            50000, 0,      100},
    {R76_CLASS_II,   1 * MASS_MG,   50 * MASS_MG, 100,   100000, 20},
    {R76_CLASS_II,   100 * MASS_MG, 0,            5000,  100000, 50},
    {R76_CLASS_III,  100 * MASS_MG, 2 * MASS_G,   100,   10000,  20},
    {R76_CLASS_III,  5 * MASS_G,    0,            500,   10000,  20},
    {R76_CLASS_IIII, 5 * MASS_G,    0,            100,   1000,   10},
};

static const struct table3_row *table3_find(enum r76_class cls, int64_t e)
{
    for (size_t i = 0; i < sizeof table3 / sizeof table3[0]; i++) {
        const struct table3_row *r = &table3[i];
        if (r->cls == cls && e >= r->e_lo && (r->e_hi == 0 || e <= r->e_hi))
            return r;
    }
    return NULL;
}

static bool class_valid(enum r76_class cls)
{
    return cls >= R76_CLASS_I && cls <= R76_CLASS_IIII;
}

/* The message for an e outside its class's rows of Table 3. */
static int e_outside_class(enum r76_class cls, int64_t e)
{
    static const char *const allowed[] = {
        [R76_CLASS_I] = "e >= 0.001 g",
        [R76_CLASS_II] = "e >= 0.001 g",
        [R76_CLASS_III] = "e >= 0.1 g",
        [R76_CLASS_IIII] = "e >= 5 g",
    };
    return sc_error_set(SC_ERR_INCONSISTENT, "class %s needs %s (R76-1 Table 3), got e = %s",
                        r76_class_name(cls), allowed[cls], g(e).s);
}

int r76_min_limit(enum r76_class cls, int64_t e_ug, int64_t d_ug, int64_t *min_ug)
{
    if (d_ug == 0)
        d_ug = e_ug;
    if (!class_valid(cls))
        return sc_error_set(SC_ERR_ARG, "no such accuracy class");
    const struct table3_row *r = table3_find(cls, e_ug);
    if (r == NULL)
        return e_outside_class(cls, e_ug);
    *min_ug = r->min_e * d_ug; /* in d with an auxiliary device, 3.4.3 */
    return SC_OK;
}

int r76_check(enum r76_class cls, int64_t max_ug, int64_t min_ug, int64_t e_ug,
              int64_t d_ug, int64_t *n_out)
{
    if (!class_valid(cls))
        return sc_error_set(SC_ERR_ARG, "no such accuracy class");
    if (max_ug <= 0)
        return sc_error_set(SC_ERR_ARG, "Max must be above zero");
    if (e_ug <= 0)
        return sc_error_set(SC_ERR_ARG, "e must be above zero");
    if (min_ug < 0 || d_ug < 0)
        return sc_error_set(SC_ERR_ARG, "Min and d cannot be negative");
    /* n = Max / e (R76-1 T.3.2.4 via 3.2): a whole number of intervals. */
    if (max_ug % e_ug != 0)
        return sc_error_set(SC_ERR_INCONSISTENT, "Max = %s is not a whole number of e = %s",
                            g(max_ug).s, g(e_ug).s);
    int64_t n = max_ug / e_ug;
    if (n_out)
        *n_out = n;
    /* R76-1 3.1.2: scale intervals are 1, 2 or 5 × 10^k. */
    if (!r76_interval_valid(e_ug))
        return sc_error_set(SC_ERR_INCONSISTENT,
                            "e = %s is not 1, 2 or 5 times a power of ten (R76-1 3.1.2)",
                            g(e_ug).s);
    int64_t d = d_ug == 0 ? e_ug : d_ug;
    if (!r76_interval_valid(d))
        return sc_error_set(SC_ERR_INCONSISTENT,
                            "d = %s is not 1, 2 or 5 times a power of ten (R76-1 3.1.2)",
                            g(d).s);
    /* R76-1 3.4.2, the exception: class I with d < 1 mg has e = 1 mg. */
    int class1_fine = cls == R76_CLASS_I && d < MASS_MG;
    if (class1_fine && e_ug != MASS_MG)
        return sc_error_set(SC_ERR_INCONSISTENT,
                            "class I with d = %s below 1 mg needs e = 1 mg, got e = %s (R76-1 3.4.2)",
                            g(d).s, g(e_ug).s);
    if (d != e_ug) {
        /* R76-1 3.4.1: only classes I and II may have an auxiliary
         * indicating device (d < e); 3.4.2: then d < e <= 10 d and
         * e = 10^k kg (a power of ten in µg too). */
        if (d > e_ug)
            return sc_error_set(SC_ERR_INCONSISTENT, "d = %s is larger than e = %s (R76-1 3.4.2)",
                                g(d).s, g(e_ug).s);
        if (cls != R76_CLASS_I && cls != R76_CLASS_II)
            return sc_error_set(SC_ERR_INCONSISTENT,
                                "class %s cannot have d = %s smaller than e = %s: only classes I "
                                "and II may (R76-1 3.4.1)",
                                r76_class_name(cls), g(d).s, g(e_ug).s);
        int64_t p = e_ug;
        while (p % 10 == 0)
            p /= 10;
        if (p != 1)
            return sc_error_set(SC_ERR_INCONSISTENT,
                                "with d < e, e must be a power of ten, got e = %s (R76-1 3.4.2)",
                                g(e_ug).s);
        if (e_ug > 10 * d && !class1_fine)
            return sc_error_set(SC_ERR_INCONSISTENT,
                                "e = %s is more than 10 d = %s (R76-1 3.4.2: d < e <= 10 d)",
                                g(e_ug).s, g(10 * d).s);
    }
    /* R76-1 Table 3: the range of e, n and Min for the class. */
    const struct table3_row *r = table3_find(cls, e_ug);
    if (r == NULL)
        return e_outside_class(cls, e_ug);
    /* R76-1 3.4.4: class I with d < 0.1 mg may have n below 50 000. */
    int n_min_waived = cls == R76_CLASS_I && d < 100 * MASS_UG;
    if (n < r->n_min && !n_min_waived)
        return sc_error_set(SC_ERR_INCONSISTENT,
                            "class %s with e = %s needs n >= %lld, got %lld (R76-1 Table 3)",
                            r76_class_name(cls), g(e_ug).s, (long long)r->n_min, (long long)n);
    if (r->n_max != 0 && n > r->n_max)
        return sc_error_set(SC_ERR_INCONSISTENT,
                            "class %s with e = %s allows n <= %lld, got %lld (R76-1 Table 3)",
                            r76_class_name(cls), g(e_ug).s, (long long)r->n_max, (long long)n);
    if (min_ug != 0) {
        /* Table 3's lower limit, counted in d instead of e when the scale
         * has an auxiliary indicating device (R76-1 3.4.3). */
        int64_t lower = r->min_e * d;
        if (min_ug < lower)
            return sc_error_set(SC_ERR_INCONSISTENT,
                                "class %s with e = %s needs Min >= %lld %s = %s, got Min = %s "
                                "(R76-1 Table 3%s)",
                                r76_class_name(cls), g(e_ug).s, (long long)r->min_e,
                                d == e_ug ? "e" : "d", g(lower).s, g(min_ug).s,
                                d == e_ug ? "" : ", 3.4.3");
        if (min_ug >= max_ug)
            return sc_error_set(SC_ERR_INCONSISTENT, "Min = %s is not below Max = %s",
                                g(min_ug).s, g(max_ug).s);
    }
    return SC_OK;
}

/* R76-1 Table 6: the loads, in e, up to which the MPE is 0.5 e, 1.0 e and
 * 1.5 e.  0 = no upper bound (class I's 1.5 e band). */
static const int64_t table6[][3] = {
    [R76_CLASS_I] = {50000, 200000, 0},
    [R76_CLASS_II] = {5000, 20000, 100000},
    [R76_CLASS_III] = {500, 2000, 10000},
    [R76_CLASS_IIII] = {50, 200, 1000},
};

int r76_mpe(enum r76_class cls, int64_t e_ug, int64_t load_ug, enum r76_stage stage,
            int64_t *mpe_ug)
{
    if (!class_valid(cls))
        return sc_error_set(SC_ERR_ARG, "no such accuracy class");
    if (stage != R76_VERIFICATION && stage != R76_IN_SERVICE)
        return sc_error_set(SC_ERR_ARG, "no such stage");
    if (!r76_interval_valid(e_ug))
        return sc_error_set(SC_ERR_INCONSISTENT,
                            "e = %s is not 1, 2 or 5 times a power of ten (R76-1 3.1.2)",
                            g(e_ug).s);
    if (table3_find(cls, e_ug) == NULL)
        return e_outside_class(cls, e_ug);
    if (load_ug < 0)
        return sc_error_set(SC_ERR_RANGE, "load %s is negative", g(load_ug).s);
    /* Compare load <= k e exactly in µg rather than rounding m = L / e:
     * a load between two multiples of e falls in the band above the lower
     * one (m = 500.2 is above 500). */
    int halves = 0; /* the MPE in units of ½ e */
    for (int band = 0; band < 3; band++) {
        int64_t top = table6[cls][band];
        if (top == 0 || load_ug <= top * e_ug) {
            halves = band + 1;
            break;
        }
    }
    if (halves == 0)
        return sc_error_set(SC_ERR_RANGE,
                            "load %s is above %lld e = %s, beyond class %s's table (R76-1 Table 6)",
                            g(load_ug).s, (long long)table6[cls][2], g(table6[cls][2] * e_ug).s,
                            r76_class_name(cls));
    /* Every valid e is >= 1 mg, so e / 2 is exact. */
    int64_t mpe = halves * (e_ug / 2);
    /* R76-1 3.5.2: in service, twice the MPE on verification. */
    if (stage == R76_IN_SERVICE)
        mpe *= 2;
    *mpe_ug = mpe;
    return SC_OK;
}

int r76_change_points(enum r76_class cls, int64_t e_ug, int64_t max_ug, int64_t out_ug[2])
{
    if (!class_valid(cls) || e_ug <= 0)
        return sc_error_set(SC_ERR_ARG, "no such accuracy class or e");
    int count = 0;
    for (int band = 0; band < 2; band++) {
        int64_t at = table6[cls][band] * e_ug;
        if (at <= max_ug)
            out_ug[count++] = at;
    }
    return count;
}

void r76_instrument_single(struct r76_instrument *in, enum r76_class cls, int64_t max_ug,
                           int64_t min_ug, int64_t e_ug, int64_t d_ug)
{
    memset(in, 0, sizeof *in);
    in->cls = cls;
    in->scheme = R76_SINGLE;
    in->parts = 1;
    in->max_ug[0] = max_ug;
    in->e_ug[0] = e_ug;
    in->min_ug = min_ug;
    in->d_ug = d_ug;
}

static int refuse_scheme(const struct r76_instrument *in)
{
    if (in->scheme == R76_MULTI_RANGE)
        return sc_error_set(SC_ERR_UNSUPPORTED,
                            "multiple-range instruments (%d ranges, R76-1 3.2, 4.10) are not "
                            "supported: which range a load is weighed in depends on how the "
                            "instrument switched; stallcheck refuses rather than guess",
                            in->parts);
    if (in->scheme == R76_MULTI_INTERVAL) {
        if (in->parts < 2 || in->parts > R76_MAX_PARTS)
            return sc_error_set(SC_ERR_ARG, "a multi-interval instrument has 2 to %d partial ranges",
                                R76_MAX_PARTS);
        return SC_OK;
    }
    if (in->scheme != R76_SINGLE || in->parts != 1)
        return sc_error_set(SC_ERR_ARG, "%d partial ranges declared for a single-interval instrument",
                            in->parts);
    return SC_OK;
}

/* R76-1 Table 4: for each partial range but the last, Max_i / e_(i+1) at
 * least this. */
static const int64_t table4[] = {
    [R76_CLASS_I] = 50000, [R76_CLASS_II] = 5000, [R76_CLASS_III] = 500, [R76_CLASS_IIII] = 50,
};

/* R76-1 3.3: partial ranges i = 1..r with e_1 < e_2 < ..., Max_1 < Max_2 <
 * ..., Min_i = Max_(i-1); each e_i and n_i = Max_i / e_i within Table 3 for
 * the class, Min (of the first) too; Table 4; no auxiliary indicating device
 * (3.4.1: not on multi-interval instruments). */
static int check_multi_interval(struct r76_instrument *in)
{
    if (in->d_ug != 0 && in->d_ug != in->e_ug[0])
        return sc_error_set(SC_ERR_INCONSISTENT,
                            "a multi-interval instrument cannot have d smaller than e "
                            "(R76-1 3.4.1)");
    for (int i = 0; i < in->parts; i++) {
        if (in->max_ug[i] <= 0 || in->e_ug[i] <= 0)
            return sc_error_set(SC_ERR_ARG, "partial range %d: Max and e must be above zero", i + 1);
        if (i > 0 && (in->e_ug[i] <= in->e_ug[i - 1] || in->max_ug[i] <= in->max_ug[i - 1]))
            return sc_error_set(SC_ERR_INCONSISTENT,
                                "partial range %d: e and Max must both grow from one partial "
                                "range to the next (R76-1 3.3)",
                                i + 1);
        int64_t n = 0;
        int rc = r76_check(in->cls, in->max_ug[i], i == 0 ? in->min_ug : 0, in->e_ug[i], 0, &n);
        if (rc < 0) {
            char why[400];
            snprintf(why, sizeof why, "%s", sc_error_message());
            return sc_error_set(rc, "partial range %d (Max = %s, e = %s): %s", i + 1,
                                g(in->max_ug[i]).s, g(in->e_ug[i]).s, why);
        }
        in->n_part[i] = n;
        if (i + 1 < in->parts && in->max_ug[i] < table4[in->cls] * in->e_ug[i + 1])
            return sc_error_set(SC_ERR_INCONSISTENT,
                                "class %s needs Max%d / e%d >= %lld (R76-1 3.3, Table 4), got "
                                "%s / %s",
                                r76_class_name(in->cls), i + 1, i + 2, (long long)table4[in->cls],
                                g(in->max_ug[i]).s, g(in->e_ug[i + 1]).s);
    }
    in->n = in->n_part[in->parts - 1];
    return SC_OK;
}

int r76_instrument_check(struct r76_instrument *in)
{
    int rc = refuse_scheme(in);
    if (rc < 0)
        return rc;
    if (in->scheme == R76_MULTI_INTERVAL)
        return check_multi_interval(in);
    int64_t n = 0;
    rc = r76_check(in->cls, in->max_ug[0], in->min_ug, in->e_ug[0], in->d_ug, &n);
    in->n = n;
    in->n_part[0] = n;
    return rc;
}

int r76_instrument_part(const struct r76_instrument *in, int64_t load_ug)
{
    for (int i = 0; i < in->parts && i < R76_MAX_PARTS; i++)
        if (load_ug <= in->max_ug[i])
            return i;
    return sc_error_set(SC_ERR_RANGE, "load %s is above Max = %s", g(load_ug).s,
                        g(in->max_ug[in->parts > 0 ? in->parts - 1 : 0]).s);
}

int r76_instrument_mpe(const struct r76_instrument *in, int64_t load_ug,
                       enum r76_stage stage, int64_t *mpe_ug)
{
    int rc = refuse_scheme(in);
    if (rc < 0)
        return rc;
    /* R76-1 3.5.1 with 3.3: a load is judged in the partial range that
     * holds it, m expressed in that range's e_i. */
    int part = r76_instrument_part(in, load_ug);
    if (part < 0)
        return part;
    return r76_mpe(in->cls, in->e_ug[part], load_ug, stage, mpe_ug);
}
