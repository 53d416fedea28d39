/* The open data of the public site (data/NAME.csv and data/NAME.json):
 * each table written as CSV and as JSON at once, with the same columns,
 * and data.html, which says what each column holds.  Below the pages: it
 * knows the site writer (report/site_out.h) and nothing of the records. */
#ifndef STALLCHECK_REPORT_SITE_DATA_H
#define STALLCHECK_REPORT_SITE_DATA_H

#include <stdio.h>

#include "report/html.h"
#include "report/site_out.h"

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

#endif
