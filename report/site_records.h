/* The public pages of a draw (draw/ID.html, draw/ID.txt) and of a
 * verification certificate (cert/ID.html), with their open data. */
#ifndef STALLCHECK_REPORT_SITE_RECORDS_H
#define STALLCHECK_REPORT_SITE_RECORDS_H

#include "db/publish.h"
#include "report/site_run.h"

int site_draw(struct site *s, const struct pub_draw *d);
int site_cert(struct site *s, const struct pub_certificate *c);

#endif
