/* A stall's public page (stall/CODE.html), its row on its market's page
 * and its open data. */
#ifndef STALLCHECK_REPORT_SITE_STALL_H
#define STALLCHECK_REPORT_SITE_STALL_H

#include "db/publish.h"
#include "report/site_run.h"

int site_stall(struct site *s, const struct pub_stall *st);

#endif
