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

/* A stall's scorecard on as_of, read from the stall's records
 * (db/publish.h, as its public page is): score, star, list and why, every
 * inspection of the score window with its date, officers and result,
 * corrections ordered, deductions in plain words, the rules.  Build it in
 * the paper's language (report/lang.h).  SC_ERR_NOTFOUND for no stall. */
int scorecard_stall(struct db *db, const struct rules *r, const char *stall, day_t as_of,
                    const char *base_url, struct card **out);
/* NULL when out of memory. */
struct card *scorecard_market(const struct rules *r, const struct market_card *mc,
                              const char *base_url);
/* The list posted at the market gate: its red stalls, its black stalls
 * each with the rule broken in a stall holder's words, the rules. */
int scorecard_posted_list(struct db *db, const struct rules *r, const struct market_card *mc,
                          const char *base_url, struct card **out);

#endif
