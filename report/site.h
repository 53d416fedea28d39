/* The public site (一公开: results made public) and its open data, from a
 * publication source (db/publish.h: a handheld's SQLite or the district's
 * PostgreSQL):
 *
 *   index.html            every market: its figures, links to its page
 *   market/CODE.html      a market's red and black lists, figures, stalls, draws
 *   stall/CODE.html       a stall: score, list and why, follow-ups (限期整改),
 *                         scales and their verification, every inspection
 *                         with its date, officers' badges, result in the
 *                         fixed wording of published spot checks, re-weighs
 *   draw/ID.html          a draw (双随机): seed, pools, result, how to replay,
 *                         published the day after it was made, never on its
 *                         day (the stalls drawn are not told in advance)
 *   draw/ID.txt           the draw's inputs and result exactly as recorded
 *   cert/ID.html          a verification certificate or notice (检定)
 *   data.html, data/      open data: CSV and JSON of the same
 *   style.css
 *
 * Scores and lists are computed here by core/score from the records, so a
 * site published from the district equals one published from a handheld
 * holding the same records.  Pages link to each other relatively: the site
 * works from any directory and under any base URL; the base URL (the
 * setting public_base_url) goes only into canonical links and open data.
 * Publishing again rewrites only the files whose bytes changed
 * (report/site_out.h). */
#ifndef STALLCHECK_REPORT_SITE_H
#define STALLCHECK_REPORT_SITE_H

#include <stdio.h>

#include "core/day.h"
#include "core/rules.h"
#include "db/publish.h"
#include "report/site_out.h"

struct site_options {
    const char *dir;          /* the output directory */
    const char *base_url;     /* http(s) URL the directory is served at */
    const char *site_name;    /* the publishing body; NULL or "": a generic name */
    day_t as_of;              /* scores and lists on this day */
    day_t today;              /* a draw is published only once its day is over */
    const struct rules *rules;
    FILE *log;                /* one line per file written or removed, or NULL */
};

struct site_stats {
    struct site_out_stats files;
    long markets, stalls, inspections, draws, certificates;
};

int site_publish(struct pub_src *src, const struct site_options *opt, struct site_stats *stats);

#endif
