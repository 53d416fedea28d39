/* Instruments due or overdue for verification (检定), per market, the most
 * overdue first and the never verified before all (core/due.h), as text,
 * JSON lines or CSV with a header (report/output.h). */
#ifndef STALLCHECK_REPORT_DUE_H
#define STALLCHECK_REPORT_DUE_H

#include <stddef.h>
#include <stdio.h>

#include "core/due.h"
#include "db/registry.h"
#include "report/output.h"

struct due_line {
    struct instrument in;
    struct due_status due;
};

/* Sorts lines and writes them; text says so when there are none ("Nothing
 * due in M by D."; market NULL: the district). */
void report_due(FILE *out, enum report_format f, struct due_line *lines, size_t n,
                const char *market, day_t until);

#endif
