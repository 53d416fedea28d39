/* For report/site*.c only: the state of one publishing run. */
#ifndef STALLCHECK_REPORT_SITE_PRIV_H
#define STALLCHECK_REPORT_SITE_PRIV_H

#include <stddef.h>
#include <stdio.h>

#include "core/market.h"
#include "core/score.h"
#include "report/html.h"
#include "report/site.h"
#include "report/site_path.h"

/* ---- open data: one table written as CSV and as JSON at once ---------- */

enum data_table { DATA_MARKETS, DATA_STALLS, DATA_INSPECTIONS, DATA_FINDINGS, DATA_REWEIGHS,
                  DATA_DRAWS, DATA_CERTIFICATES, DATA_COUNT };

struct data_file {
    FILE *csv, *json;         /* spooled to disk: a district's data is large */
    struct site_spool *csv_sp, *json_sp;
    long rows;
};

/* A cell: text (NULL: empty / null) or a number written as it is. */
struct data_cell {
    const char *text;
    int number;
};

int data_open(struct data_file *d, enum data_table t, struct site_out *out);
void data_row(struct data_file *d, enum data_table t, const struct data_cell *cells);
/* Hands both files to the site writer (data/NAME.csv, data/NAME.json). */
int data_close(struct data_file *d, enum data_table t, struct site_out *out);
void data_free(struct data_file *d);
/* The data.html page: what each file holds, column by column. */
int data_page(struct site_out *out, const struct html_page *frame);

/* ---- what the pages need from each other ------------------------------ */

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

/* A value of a draw's inputs text ("kind", "day", "replaces", "reason"):
 * db/draw.h's lines "KEY VALUE"; "" when absent. */
void site_draw_input(const char *inputs, const char *key, char *buf, size_t size);
/* A draw's kind from its inputs: "legacy" when it has none (made before
 * kinds existed). */
void site_draw_kind(const char *inputs, char buf[16]);

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
const struct site_ref *site_draw_find(const struct site *s, const char *id);
int site_stall_known(const struct site *s, const char *code);
/* The frame of a page one level down (stall/, market/, draw/, cert/). */
void site_frame(const struct site *s, struct html_page *p, const char *title,
                enum site_kind kind, const char *key, char *canonical, size_t size);
/* Begins a record's page one level down: the frame, the page head and the
 * breadcrumbs' first link (the caller adds its own, then "</nav>").  NULL
 * on failure (site_fail() says why). */
FILE *site_page(struct site *s, enum site_kind kind, const char *key, const char *title,
                struct html_page *frame, char *canonical, size_t size);
/* The SC_ERR_* of the last failure, SC_ERR_IO when none was recorded. */
int site_fail(void);
/* A link to another record's page from one level down ("../stall/X.html"). */
void site_link(FILE *f, enum site_kind kind, const char *key, const char *text);

/* One stall: its page, its row on its market's page, its open data. */
int site_stall(struct site *s, const struct pub_stall *st);
/* One draw's pages (draw/ID.html, draw/ID.txt) and open data. */
int site_draw(struct site *s, const struct pub_draw *d);
/* One certificate's page and open data. */
int site_cert(struct site *s, const struct pub_certificate *c);

/* Helpers shared by the pages. */
/* An instrument's verification state on as_of (core/due.h): never
 * verified, overdue, or in date (with_date: "due again DATE"). */
void site_verification_state(FILE *f, const char *due_date, const char *as_of, int with_date);
void site_mass(FILE *f, int64_t ug);   /* "1.25 kg", "950 g" */
void site_day(char buf[11], const char *text);  /* the date part, or "" */
char *site_strdup(const char *s);      /* NULL stays NULL; "" on no memory */

#endif
