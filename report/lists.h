/* The scores and the red/black list (红黑榜) as tables: a stall's score
 * and why, the list's rows, the markets ranked, the follow-ups due
 * (限期整改); in text, JSON lines or CSV (report/output.h's formats; PDF and
 * receipts are cards: report/scorecard.h). */
#ifndef STALLCHECK_REPORT_LISTS_H
#define STALLCHECK_REPORT_LISTS_H

#include <stddef.h>
#include <stdio.h>

#include "core/rules.h"
#include "db/lists.h"
#include "report/output.h"

/* A stall's score, list and (why, or JSON: always) every deduction, why it
 * is black or not red, and its open follow-ups. */
void report_score(FILE *out, enum report_format f, const struct rules *rules,
                  const struct lists_stall *s, int why);

/* The list: the header line (CSV), one row, the day's counts (text). */
void report_lists_header(FILE *out, enum report_format f);
void report_lists_row(FILE *out, enum report_format f, const struct lists_row *row);
void report_lists_counts(FILE *out, enum report_format f, day_t as_of, const int counts[3]);

/* Every market's figures, ranked (诚信计量示范集贸市场), with a header. */
void report_markets(FILE *out, enum report_format f, const struct lists_market *m, size_t n);

/* One follow-up (text or JSON). */
void report_followup(FILE *out, enum report_format f, const struct lists_followup *fu);

#endif
