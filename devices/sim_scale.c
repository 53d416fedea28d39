#include "devices/sim_scale.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mass.h"

/* 128-bit intermediate products: a profile's masses are the user's. */
__extension__ typedef __int128 wide_t;

void sim_scale_init(struct sim_scale *s, int64_t d_ug, int64_t max_ug, uint64_t seed)
{
    *s = (struct sim_scale){0};
    s->d_ug = d_ug > 0 ? d_ug : 1;
    s->max_ug = max_ug;
    s->settle_ms = 800;
    s->rng = seed ? seed : 0x9E3779B97F4A7C15u;
}

static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static uint64_t next_rand(struct sim_scale *s)
{
    return xorshift(&s->rng);
}

void sim_scale_load(struct sim_scale *s, int64_t load_ug, int64_t now_ms)
{
    struct sim_weight w;
    sim_scale_read(s, now_ms, &w);
    /* Settling starts from what was shown, so a change mid-settle is smooth. */
    s->from_ug = w.gross_ug + s->zero_ug;
    s->load_ug = load_ug;
    s->changed_ms = now_ms;
    /* Each placing of a load lands a little differently: the spread a
     * repeatability test measures.  An empty platform returns to zero. */
    s->placed_ug = 0;
    if (s->has_profile && s->profile.spread_ug > 0 && load_ug > 0) {
        int64_t spread = s->profile.spread_ug;
        if (s->profile.spread_load_ug > 0)
            spread = (int64_t)((wide_t)spread * load_ug / s->profile.spread_load_ug);
        uint64_t span = (uint64_t)(2 * spread + 1);
        s->placed_ug = (int64_t)(xorshift(&s->place_rng) % span) - spread;
    }
}

/* The profile's error for the load as it sits now (R76-1's three
 * sources a verification separates: the weighing error curve, the
 * eccentricity of the load's position, the spread of repeated placings). */
static int64_t profile_error(const struct sim_scale *s)
{
    if (!s->has_profile)
        return 0;
    const struct sim_profile *p = &s->profile;
    int64_t L = s->load_ug, e = 0;
    if (p->n_points == 1 || (p->n_points > 1 && L <= p->at_ug[0])) {
        e = p->error_ug[0];
    } else if (p->n_points > 1) {
        e = p->error_ug[p->n_points - 1];
        for (int i = 1; i < p->n_points; i++) {
            if (L <= p->at_ug[i]) {
                int64_t a0 = p->at_ug[i - 1], a1 = p->at_ug[i];
                int64_t e0 = p->error_ug[i - 1], e1 = p->error_ug[i];
                e = e0 + (int64_t)((wide_t)(e1 - e0) * (L - a0) / (a1 - a0));
                break;
            }
        }
    }
    if (s->segment > 0 && s->segment <= SIM_PROFILE_SEGMENTS) {
        int64_t k = p->segment_ug[s->segment];
        e += p->segment_load_ug > 0 ? (int64_t)((wide_t)k * L / p->segment_load_ug) : k;
    }
    return e + s->placed_ug;
}

static int64_t round_to(int64_t v, int64_t d)
{
    int64_t h = d / 2;
    return v >= 0 ? (v + h) / d * d : -((-v + h) / d * d);
}

void sim_scale_read(struct sim_scale *s, int64_t now_ms, struct sim_weight *out)
{
    int64_t elapsed = now_ms - s->changed_ms;
    int64_t x = s->load_ug;
    bool settling = s->settle_ms > 0 && elapsed < s->settle_ms && s->from_ug != s->load_ug;
    if (settling) {
        /* An overshooting approach: the display swings past the load and
         * back, within the settling time. */
        int64_t span = s->load_ug - s->from_ug;
        int64_t t = elapsed * 1000 / s->settle_ms;          /* 0..999 */
        int64_t frac = t < 600 ? t * 1100 / 600 : 1100 - (t - 600) * 100 / 400;  /* per mille */
        x = s->from_ug + span / 1000 * frac + (span % 1000) * frac / 1000;
    }
    x += s->offset_ug + profile_error(s);
    if (s->noise_d > 0) {
        int64_t k = (int64_t)(next_rand(s) % (uint64_t)(2 * s->noise_d + 1)) - s->noise_d;
        x += k * s->d_ug;
    }
    int64_t gross = round_to(x - s->zero_ug, s->d_ug);
    out->gross_ug = gross;
    out->tare_ug = s->tare_ug;
    out->net = s->tare_ug != 0;
    out->net_ug = gross - s->tare_ug;
    out->stable = !settling;
    out->status = SIM_SCALE_OK;
    /* R76 4.10: no indication above Max + 9 e.  Below zero a scale shows
     * negative weights (a tare taken, the pan lifted); past -Max/10 we call
     * it underload. */
    /* Max + 9 e whatever the display: a test mode's finer one included. */
    int64_t e = s->has_profile && s->normal_d_ug > 0 ? s->normal_d_ug : s->d_ug;
    if (gross > s->max_ug + 9 * e)
        out->status = SIM_SCALE_OVERLOAD;
    else if (gross < -(s->max_ug / 10))
        out->status = SIM_SCALE_UNDERLOAD;
}

bool sim_scale_zero(struct sim_scale *s, int64_t now_ms)
{
    struct sim_weight w;
    sim_scale_read(s, now_ms, &w);
    int64_t newzero = s->load_ug + s->offset_ug + profile_error(s);
    if (!w.stable || newzero > s->max_ug / 25 || newzero < -s->max_ug / 25)
        return false;
    s->zero_ug = newzero;
    s->tare_ug = 0;
    return true;
}

bool sim_scale_tare(struct sim_scale *s, int64_t now_ms)
{
    struct sim_weight w;
    sim_scale_read(s, now_ms, &w);
    if (!w.stable || w.status != SIM_SCALE_OK || w.gross_ug <= 0)
        return false;
    s->tare_ug = w.gross_ug;
    return true;
}

void sim_scale_tare_clear(struct sim_scale *s)
{
    s->tare_ug = 0;
}

void sim_scale_set_profile(struct sim_scale *s, const struct sim_profile *p)
{
    s->has_profile = 1;
    s->profile = *p;
    if (p->max_ug > 0)
        s->max_ug = p->max_ug;
    if (p->d_ug > 0)
        s->d_ug = p->d_ug;
    s->normal_d_ug = s->d_ug;
    if (p->test_mode && p->test_d_ug > 0)
        s->d_ug = p->test_d_ug;
    s->place_rng = p->seed ? p->seed * 0x2545F4914F6CDD1Du : 0x9E3779B97F4A7C15u;
}

void sim_scale_position(struct sim_scale *s, int segment, int64_t now_ms)
{
    int64_t load = s->load_ug;
    s->segment = segment;
    sim_scale_load(s, load, now_ms);
}

bool sim_scale_test_mode(struct sim_scale *s, int on)
{
    if (!s->has_profile || s->profile.test_d_ug <= 0)
        return false;
    s->d_ug = on ? s->profile.test_d_ug : s->normal_d_ug;
    return true;
}

/* ---- the profile file ---- */

/* Profile masses stay within 1 000 t, so sums and products never overflow. */
#define PROFILE_MASS_MAX INT64_C(1000000000000000)

/* "+1.5g", "-2g", "0": a signed mass with a unit (0 needs none). */
static int signed_mass(const char *text, int64_t *out)
{
    int neg = 0;
    if (*text == '+' || *text == '-')
        neg = *text++ == '-';
    if (strcmp(text, "0") == 0) {
        *out = 0;
        return 0;
    }
    if (mass_parse(text, 0, out) < 0 || *out > PROFILE_MASS_MAX)
        return -1;
    if (neg)
        *out = -*out;
    return 0;
}

static int parse_line(char *key, char *val, struct sim_profile *p, int line)
{
    int64_t m;
    if (strcmp(key, "max") == 0 || strcmp(key, "d") == 0 || strcmp(key, "test_d") == 0 ||
        strcmp(key, "segment_load") == 0 || strcmp(key, "spread") == 0 ||
        strcmp(key, "spread_load") == 0) {
        int zero_ok = strcmp(key, "spread") == 0 && strcmp(val, "0") == 0;
        if (zero_ok)
            m = 0;
        else if (mass_parse(val, 0, &m) < 0 || m <= 0 || m > PROFILE_MASS_MAX)
            return sc_error_set(SC_ERR_PARSE, "line %d: %s = %s: want a mass with its unit",
                                line, key, val);
        if (strcmp(key, "max") == 0)
            p->max_ug = m;
        else if (strcmp(key, "d") == 0)
            p->d_ug = m;
        else if (strcmp(key, "test_d") == 0)
            p->test_d_ug = m;
        else if (strcmp(key, "segment_load") == 0)
            p->segment_load_ug = m;
        else if (strcmp(key, "spread_load") == 0)
            p->spread_load_ug = m;
        else
            p->spread_ug = m;
        return 0;
    }
    if (strcmp(key, "mode") == 0) {
        if (strcmp(val, "test") != 0 && strcmp(val, "normal") != 0)
            return sc_error_set(SC_ERR_PARSE, "line %d: mode = %s: want test or normal", line, val);
        p->test_mode = strcmp(val, "test") == 0;
        return 0;
    }
    if (strcmp(key, "seed") == 0) {
        char *end;
        unsigned long long v = strtoull(val, &end, 10);
        if (*val == '\0' || *end != '\0')
            return sc_error_set(SC_ERR_PARSE, "line %d: seed = %s: want a whole number", line, val);
        p->seed = v;
        return 0;
    }
    if (strncmp(key, "segment.", 8) == 0) {
        char *end;
        long k = strtol(key + 8, &end, 10);
        if (*end != '\0' || k < 1 || k > SIM_PROFILE_SEGMENTS)
            return sc_error_set(SC_ERR_PARSE, "line %d: %s: segments are 1 to %d", line, key,
                                SIM_PROFILE_SEGMENTS);
        if (signed_mass(val, &m) < 0)
            return sc_error_set(SC_ERR_PARSE, "line %d: %s = %s: want a signed mass (+2g)", line,
                                key, val);
        p->segment_ug[k] = m;
        return 0;
    }
    if (strcmp(key, "error") == 0) {
        p->n_points = 0;
        char *save = NULL;
        for (char *tok = strtok_r(val, " \t", &save); tok != NULL;
             tok = strtok_r(NULL, " \t", &save)) {
            char *colon = strchr(tok, ':');
            if (colon == NULL)
                return sc_error_set(SC_ERR_PARSE, "line %d: error point '%s': want LOAD:ERROR",
                                    line, tok);
            *colon = '\0';
            int64_t at, err;
            if (signed_mass(tok, &at) < 0 || at < 0 || signed_mass(colon + 1, &err) < 0)
                return sc_error_set(SC_ERR_PARSE, "line %d: error point '%s:%s': want a load "
                                    "and a signed error with units", line, tok, colon + 1);
            if (p->n_points >= SIM_PROFILE_POINTS)
                return sc_error_set(SC_ERR_PARSE, "line %d: more than %d error points", line,
                                    SIM_PROFILE_POINTS);
            if (p->n_points > 0 && at <= p->at_ug[p->n_points - 1])
                return sc_error_set(SC_ERR_PARSE, "line %d: error points must go up in load",
                                    line);
            p->at_ug[p->n_points] = at;
            p->error_ug[p->n_points] = err;
            p->n_points++;
        }
        return 0;
    }
    return sc_error_set(SC_ERR_PARSE, "line %d: unknown key '%s'", line, key);
}

int sim_profile_parse(const char *text, struct sim_profile *out)
{
    memset(out, 0, sizeof *out);
    int line = 0;
    const char *p = text;
    while (*p != '\0') {
        line++;
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
        char buf[512];
        if (len >= sizeof buf)
            return sc_error_set(SC_ERR_PARSE, "line %d: too long", line);
        memcpy(buf, p, len);
        buf[len] = '\0';
        p = nl != NULL ? nl + 1 : p + len;
        char *hash = strchr(buf, '#');
        if (hash != NULL)
            *hash = '\0';
        char *eq = strchr(buf, '=');
        char *k = buf;
        while (*k == ' ' || *k == '\t' || *k == '\r')
            k++;
        if (*k == '\0')
            continue;
        if (eq == NULL)
            return sc_error_set(SC_ERR_PARSE, "line %d: want KEY = VALUE", line);
        *eq = '\0';
        char *v = eq + 1;
        for (char *e = eq; e > k && (e[-1] == ' ' || e[-1] == '\t'); e--)
            e[-1] = '\0';
        while (*v == ' ' || *v == '\t')
            v++;
        size_t vl = strlen(v);
        while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t' || v[vl - 1] == '\r'))
            v[--vl] = '\0';
        int rc = parse_line(k, v, out, line);
        if (rc < 0)
            return rc;
    }
    if (out->test_mode && out->test_d_ug == 0)
        return sc_error_set(SC_ERR_PARSE, "mode = test needs test_d");
    return 0;
}
