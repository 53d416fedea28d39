/* One publishing run of the public site: what it has learnt so far (the
 * markets and their stalls' rows, the draws and certificates that pages
 * link to, the stalls published) and the frame every record's page begins
 * with.  The page writers (report/site_stall.h, report/site_records.h)
 * add to it; report/site.c walks the records and owns the run. */
#ifndef STALLCHECK_REPORT_SITE_RUN_H
#define STALLCHECK_REPORT_SITE_RUN_H

#include <stddef.h>
#include <stdio.h>

#include "core/market.h"
#include "core/score.h"
#include "report/html.h"
#include "report/site.h"
#include "report/site_data.h"
#include "report/site_path.h"

struct site_row {             /* a stall on its market's page */
    char *code, *name, *reason;
    int score, active;
    enum score_grade grade;
    enum score_list list;
    day_t since, until;
};

struct site_ref {             /* a draw or a certificate another page links to */
    char *id, *key, *date, *label;  /* key: market (draw) or instrument (certificate) */
    int pass;                       /* a certificate's verdict */
    char *replaces;                 /* a redraw's: the draw it replaces */
    char kind[16];                  /* a draw's: production, redraw, drill, legacy */
};

struct site_instrument {      /* a market's own scale */
    char *code, *kind, *klass, *due, *last_verified;
    int active;
};

struct site_market {
    char *code, *name, *district, *address, *organiser;
    struct site_row *rows;
    size_t n_rows, cap_rows;
    struct site_instrument *ins;
    size_t n_ins, cap_ins;
    struct market_figures fig;  /* counted as the stalls are published */
    int rank;                   /* among the district's markets (core/market.h) */
    enum market_status status;  /* [market] rectify / suspend */
};

struct site {
    const struct site_options *opt;
    struct site_out *out;
    struct site_stats *st;
    char as_of[11];
    struct site_market *markets;
    size_t n_markets, cap_markets;
    struct site_ref *draws;   /* by id */
    size_t n_draws, cap_draws;
    struct site_ref *certs;   /* by instrument, then date */
    size_t n_certs, cap_certs;
    char **stalls;            /* codes published, in order */
    size_t n_stalls, cap_stalls;
    struct data_file data[DATA_COUNT];
};

struct site_market *site_market_find(struct site *s, const char *code);
/* Sorts the draws by id, for site_draw_find. */
void site_draws_sort(struct site *s);
const struct site_ref *site_draw_find(const struct site *s, const char *id);
int site_stall_known(const struct site *s, const char *code);
char *site_strdup(const char *s);      /* NULL stays NULL; "" on no memory */

/* The frame of a page one level down (stall/, market/, draw/, cert/). */
void site_frame(const struct site *s, struct html_page *p, const char *title,
                enum site_kind kind, const char *key, char *canonical, size_t size);
/* Begins a record's page one level down: the frame, the page head and the
 * breadcrumbs' first link (the caller adds its own, then "</nav>").  NULL
 * on failure (site_out_fail() says why). */
FILE *site_page(struct site *s, enum site_kind kind, const char *key, const char *title,
                struct html_page *frame, char *canonical, size_t size);

#endif
