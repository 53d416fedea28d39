#include "report/due.h"

#include <stdlib.h>
#include <string.h>

#include "core/termsafe.h"
#include "report/csv.h"
#include "report/json.h"

/* Per market, the most overdue first; never verified before everything. */
static int by_market_due(const void *a, const void *b)
{
    const struct due_line *x = a, *y = b;
    int m = strcmp(x->in.market, y->in.market);
    if (m != 0)
        return m;
    if (x->due.has_due != y->due.has_due)
        return x->due.has_due - y->due.has_due;
    int d = strcmp(x->in.due, y->in.due);
    return d != 0 ? d : strcmp(x->in.code, y->in.code);
}

void report_due(FILE *out, enum report_format f, struct due_line *lines, size_t n,
                const char *market, day_t until)
{
    if (n > 0)
        qsort(lines, n, sizeof *lines, by_market_due);
    if (f == REPORT_CSV)
        fprintf(out, "instrument,market,stall,kind,serial,last_verified,due,days,overdue\n");
    const char *last_market = "";
    for (size_t i = 0; i < n; i++) {
        const struct due_line *r = &lines[i];
        const struct instrument *in = &r->in;
        if (f == REPORT_JSON) {
            fprintf(out, "{\"instrument\":");
            json_string(out, in->code);
            fprintf(out, ",\"market\":");
            json_string(out, in->market);
            fprintf(out, ",\"stall\":");
            json_string(out, in->stall);
            fprintf(out, ",\"kind\":");
            json_string(out, in->kind);
            fprintf(out, ",\"serial\":");
            json_string(out, in->serial);
            fprintf(out, ",\"last_verified\":");
            if (in->last_verified[0])
                json_string(out, in->last_verified);
            else
                fprintf(out, "null");
            fprintf(out, ",\"due\":");
            if (r->due.has_due)
                json_string(out, in->due);
            else
                fprintf(out, "null");
            if (r->due.has_due)
                fprintf(out, ",\"days\":%d", r->due.days);
            else
                fprintf(out, ",\"days\":null");
            fprintf(out, ",\"overdue\":%s}\n", r->due.state != DUE_IN_DATE ? "true" : "false");
        } else if (f == REPORT_CSV) {
            const char *field[] = {in->code, in->market, in->stall, in->kind, in->serial,
                                   in->last_verified, in->due};
            for (size_t k = 0; k < sizeof field / sizeof field[0]; k++) {
                csv_field(out, field[k]);
                fputc(',', out);
            }
            if (r->due.has_due)
                fprintf(out, "%d", r->due.days);
            fprintf(out, ",%s\n", r->due.state != DUE_IN_DATE ? "true" : "false");
        } else {
            if (strcmp(last_market, in->market) != 0) {
                term_printf(out, "%s%s\n", i ? "\n" : "", in->market);
                fprintf(out, "  %-16s %-16s %-10s %-10s %s\n", "INSTRUMENT", "KIND", "STALL", "DUE",
                       "STATUS");
                last_market = in->market;
            }
            char status[48];
            if (!r->due.has_due)
                snprintf(status, sizeof status, "never verified");
            else if (r->due.state != DUE_IN_DATE)
                snprintf(status, sizeof status, "OVERDUE %d d", -r->due.days);
            else if (r->due.days == 0)
                snprintf(status, sizeof status, "due today");
            else
                snprintf(status, sizeof status, "due in %d d", r->due.days);
            term_printf(out, "  %-16s %-16s %-10s %-10s %s\n", in->code, in->kind,
                   in->stall[0] ? in->stall : "-", r->due.has_due ? in->due : "-", status);
        }
    }
    if (f == REPORT_TEXT && n == 0) {
        char by[16];
        day_format(until, by, sizeof by);
        term_printf(out, "Nothing due%s%s by %s.\n", market ? " in " : "", market ? market : "", by);
    }
}
