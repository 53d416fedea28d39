#include "core/market.h"

#include <stdint.h>

static const char *const status_names[MARKET_STATUS_COUNT] = {
    [MARKET_OK] = "ok",
    [MARKET_RECTIFY] = "rectify",
    [MARKET_SUSPEND] = "suspend",
};

const char *market_status_name(enum market_status s)
{
    return (unsigned)s < MARKET_STATUS_COUNT ? status_names[s] : "ok";
}

/* black / stalls >= percent / 100, exactly. */
static int share_reaches(int black, int stalls, int percent)
{
    return percent > 0 && stalls > 0 && (int64_t)black * 100 >= (int64_t)percent * stalls;
}

enum market_status market_status_of(const struct rules *r, const struct market_figures *f)
{
    if (share_reaches(f->black, f->stalls, r->market_suspend_percent))
        return MARKET_SUSPEND;
    if (share_reaches(f->black, f->stalls, r->market_rectify_percent))
        return MARKET_RECTIFY;
    return MARKET_OK;
}

/* a/b against c/d for non-negative fractions, exactly; a fraction with no
 * denominator compares as smaller than any. */
static int frac_cmp(int a, int b, int c, int d)
{
    if (b <= 0 || d <= 0)
        return (b > 0) - (d > 0);
    int64_t l = (int64_t)a * d, r = (int64_t)c * b;
    return l < r ? -1 : l > r;
}

int market_cmp(const struct market_figures *a, const struct market_figures *b)
{
    int c;
    if ((c = frac_cmp(a->black, a->stalls, b->black, b->stalls)) != 0)
        return c;
    if ((c = frac_cmp(b->red, b->stalls, a->red, a->stalls)) != 0)
        return c;
    if ((c = frac_cmp(b->scales_verified, b->scales, a->scales_verified, a->scales)) != 0)
        return c;
    return frac_cmp(b->reweighs_pass, b->reweighs, a->reweighs_pass, a->reweighs);
}
