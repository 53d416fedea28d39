/* A market's standing among the district's (诚信计量示范集贸市场: the
 * honest-measurement model market): its rank from counted figures, and
 * the rules' [market] thresholds, rectify (整改) and suspend (暂停), on the
 * share of its stalls on the black list.  Pure: db/lists.h counts, this
 * judges. */
#ifndef STALLCHECK_CORE_MARKET_H
#define STALLCHECK_CORE_MARKET_H

#include "core/rules.h"

struct market_figures {
    int stalls, red, black, none;  /* stalls by list */
    int scales;                    /* active stall instruments (not meters) */
    int scales_verified;           /* of those, in date on the day (core/due.h) */
    int fair_scales;               /* active fair scales (公平秤) */
    int reweighs, reweighs_pass;   /* re-weighs in the score window (inspections') */
};

enum market_status { MARKET_OK, MARKET_RECTIFY, MARKET_SUSPEND, MARKET_STATUS_COUNT };

/* "ok", "rectify", "suspend". */
const char *market_status_name(enum market_status s);

/* [market] suspend_percent / rectify_percent: a market whose black-listed
 * stalls reach that share is suspended / must rectify (0 turns a threshold
 * off; a market with no stalls is ok). */
enum market_status market_status_of(const struct rules *r, const struct market_figures *f);

/* The ranking, better first: fewest black stalls (share), then most red
 * (share), then most verified scales (share), then best re-weigh pass
 * rate, all as exact fractions (a share of nothing, as of a market with
 * no scales, counts as smaller than any).  <0 when a ranks before b, 0 on
 * a tie (the caller breaks it, by market code). */
int market_cmp(const struct market_figures *a, const struct market_figures *b);

#endif
