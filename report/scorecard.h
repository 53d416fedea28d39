/* Scorecards and the posted red/black list (红黑榜) as cards (report/card.h):
 * a stall's card (score, star, list, every deduction, follow-ups, a QR code
 * of its public page), a market's card (诚信计量示范集贸市场 figures, its
 * rank, every stall) and the list posted at the market gate.  base_url is
 * the setting public_base_url (NULL or "": the paper carries no QR code). */
#ifndef STALLCHECK_REPORT_SCORECARD_H
#define STALLCHECK_REPORT_SCORECARD_H

#include <stddef.h>

#include "core/rules.h"
#include "db/lists.h"
#include "db/market_card.h"
#include "report/card.h"
#include "report/site_path.h"

/* Puts on c a QR code of the public page of the record (report/site_path.h:
 * base_url + "stall/CODE.html", ...), so a phone's camera opens it.  1 when
 * the code was added; 0 when base_url is NULL, empty or not an http(s) URL
 * (then the paper carries no code: one that opens nothing helps no one);
 * SC_ERR_* on failure. */
int scorecard_qr(struct card *c, const char *base_url, enum site_kind kind, const char *key);

/* NULL when out of memory. */
struct card *scorecard_stall(const struct rules *r, const struct lists_stall *s,
                             const char *base_url);
struct card *scorecard_market(const struct rules *r, const struct market_card *mc,
                              const char *base_url);
struct card *scorecard_posted_list(const struct rules *r, const struct market_card *mc,
                                   const char *base_url);

/* The Chinese name of a checklist item (亮照经营, ...). */
const char *scorecard_item_zh(enum checklist_item item);

#endif
