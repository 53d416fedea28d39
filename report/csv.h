/* CSV fields per RFC 4180: quoted when they hold a comma, a quote or a
 * line break, a quote doubled inside. */
#ifndef STALLCHECK_REPORT_CSV_H
#define STALLCHECK_REPORT_CSV_H

#include <stdio.h>

void csv_field(FILE *out, const char *s);

#endif
