#include "report/site_html.h"

#include <libintl.h>
#include <string.h>

#include "core/day.h"
#include "core/due.h"
#include "db/zone.h"
#include "report/html.h"
#include "report/words.h"

#define _(s) gettext(s)

void site_link(FILE *f, enum site_kind kind, const char *key, const char *text)
{
    char path[512];
    if (site_path(kind, key, path, sizeof path) < 0) {
        html_text(f, text);
        return;
    }
    fprintf(f, "<a href=\"../%s\">", path);
    html_text(f, text);
    fputs("</a>", f);
}

void site_mass(FILE *f, int64_t ug)
{
    char buf[64];
    words_mass(ug, buf, sizeof buf);
    fputs(buf, f);
}

/* A timestamp's day is its legal date, in the bureau's zone (db/zone.h):
 * a draw made at 21:00 UTC belongs to the next day in Beijing. */
void site_day(char buf[11], const char *text)
{
    day_t d;
    char local[16];
    if (text != NULL && zone_date_of(text, local, sizeof local) == 0)
        text = local;
    if (text != NULL && day_parse(text, &d) == 0)
        day_format(d, buf, 11);
    else
        buf[0] = '\0';
}

void site_verification_state(FILE *f, const char *due_date, const char *as_of, int with_date)
{
    day_t day = 0;
    day_parse(as_of, &day);
    enum due_state due = due_check(due_date, day).state; /* core/due.h */
    if (due == DUE_NEVER_VERIFIED)
        fprintf(f, "<span class=\"bad\">%s</span>", _("Never verified"));
    else if (due == DUE_OVERDUE)
        fprintf(f, "<span class=\"bad\">%s</span>", _("Verification overdue"));
    else if (with_date)
        html_textf(f, _("verified, due again %s"), due_date);
    else
        fprintf(f, "<span class=\"ok\">%s</span>", _("Within its verification period"));
}

void site_draw_input(const char *inputs, const char *key, char *buf, size_t size)
{
    size_t klen = strlen(key);
    buf[0] = '\0';
    for (const char *p = inputs; p && *p;) {
        size_t len = strcspn(p, "\n");
        if (len > klen && strncmp(p, key, klen) == 0 && p[klen] == ' ') {
            size_t v = len - klen - 1;
            snprintf(buf, size, "%.*s", (int)v, p + klen + 1);
            return;
        }
        p += len + (p[len] == '\n');
    }
}

void site_draw_kind(const char *inputs, char buf[16])
{
    site_draw_input(inputs, "kind", buf, 16);
    if (buf[0] == '\0')
        snprintf(buf, 16, "legacy");
}
