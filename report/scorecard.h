/* Scorecards and the posted red/black list (红黑榜) as cards (report/card.h):
 * a stall's card (score, star, list, every deduction, follow-ups, a QR code
 * of its public record id), a market's card (诚信计量示范集贸市场 figures,
 * its rank, every stall) and the list posted at the market gate. */
#ifndef STALLCHECK_REPORT_SCORECARD_H
#define STALLCHECK_REPORT_SCORECARD_H

#include <stddef.h>

#include "core/rules.h"
#include "db/lists.h"
#include "db/market_card.h"
#include "report/card.h"

/* The public record id a QR code carries: "stallcheck:stall:CODE" or
 * "stallcheck:market:CODE" (the district registry's natural keys). */
void scorecard_record_id(const char *kind, const char *code, char *buf, size_t size);

/* NULL when out of memory. */
struct card *scorecard_stall(const struct rules *r, const struct lists_stall *s);
struct card *scorecard_market(const struct rules *r, const struct market_card *mc);
struct card *scorecard_posted_list(const struct rules *r, const struct market_card *mc);

/* The Chinese name of a checklist item (亮照经营, ...). */
const char *scorecard_item_zh(enum checklist_item item);

#endif
