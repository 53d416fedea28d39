/* Verification (检定) due dates: whether an instrument may be used on a
 * day.  One rule for the stall card, `stallcheck due`, the lists' count
 * of verified scales and the demo generator.
 *
 * 《中华人民共和国计量法》第九条: working instruments used for trade
 * settlement (用于贸易结算) on the compulsory verification list are under
 * compulsory verification (强制检定), and "未按照规定申请检定或者检定不合格
 * 的，不得使用" (not verified as required, or failed: not to be used).
 * 《中华人民共和国计量法实施细则》第二十五条 (1987 text): no one may use at
 * work an instrument "无检定合格印、证或者超过检定周期" (without a
 * verification mark or certificate, or past its verification period).
 *
 * So a market scale never verified (no due date, or one that does not
 * read as a date) may not be used: it is overdue, as one past its due
 * date is.  The due date is the last day of the period: still in date on
 * that day, overdue the day after. */
#ifndef STALLCHECK_CORE_DUE_H
#define STALLCHECK_CORE_DUE_H

#include "core/day.h"

enum due_state {
    DUE_IN_DATE = 0,
    DUE_OVERDUE,          /* past its due date */
    DUE_NEVER_VERIFIED,   /* no due date: never verified (overdue as well) */
};

struct due_status {
    enum due_state state;
    int has_due;
    day_t due;
    int days;             /* due - today; 0 when there is no due date */
};

/* The state of an instrument whose due date is due_text ("YYYY-MM-DD",
 * "" when never verified) on day today. */
struct due_status due_check(const char *due_text, day_t today);

/* The same from a parsed date (has_due 0: never verified). */
enum due_state due_state_of(int has_due, day_t due, day_t today);

/* Whether the instrument may not be used today: overdue or never
 * verified. */
int due_overdue(const char *due_text, day_t today);

#endif
