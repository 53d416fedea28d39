#include "devices/sim_scale.h"

void sim_scale_init(struct sim_scale *s, int64_t d_ug, int64_t max_ug, uint64_t seed)
{
    *s = (struct sim_scale){0};
    s->d_ug = d_ug > 0 ? d_ug : 1;
    s->max_ug = max_ug;
    s->settle_ms = 800;
    s->rng = seed ? seed : 0x9E3779B97F4A7C15u;
}

void sim_scale_load(struct sim_scale *s, int64_t load_ug, int64_t now_ms)
{
    struct sim_weight w;
    sim_scale_read(s, now_ms, &w);
    /* Settling starts from what was shown, so a change mid-settle is smooth. */
    s->from_ug = w.gross_ug + s->zero_ug;
    s->load_ug = load_ug;
    s->changed_ms = now_ms;
}

static uint64_t next_rand(struct sim_scale *s)
{
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    return s->rng;
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
    x += s->offset_ug;
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
    if (gross > s->max_ug + 9 * s->d_ug)
        out->status = SIM_SCALE_OVERLOAD;
    else if (gross < -(s->max_ug / 10))
        out->status = SIM_SCALE_UNDERLOAD;
}

bool sim_scale_zero(struct sim_scale *s, int64_t now_ms)
{
    struct sim_weight w;
    sim_scale_read(s, now_ms, &w);
    int64_t newzero = s->load_ug + s->offset_ug;
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
