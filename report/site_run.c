#include "report/site_run.h"

#include <libintl.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define _(s) gettext(s)

char *site_strdup(const char *s)
{
    /* No memory: NULL, shown as nothing; the run ends at the next
     * allocation that is checked. */
    return s != NULL ? strdup(s) : NULL;
}

struct site_market *site_market_find(struct site *s, const char *code)
{
    if (code == NULL)
        return NULL;
    size_t lo = 0, hi = s->n_markets;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(s->markets[mid].code, code);
        if (c == 0)
            return &s->markets[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int ref_cmp(const void *a, const void *b)
{
    const struct site_ref *x = a, *y = b;
    return strcmp(x->id, y->id);
}

void site_draws_sort(struct site *s)
{
    if (s->n_draws > 0)
        qsort(s->draws, s->n_draws, sizeof *s->draws, ref_cmp);
}

const struct site_ref *site_draw_find(const struct site *s, const char *id)
{
    if (id == NULL || s->n_draws == 0)
        return NULL;
    struct site_ref key = {.id = (char *)id};
    return bsearch(&key, s->draws, s->n_draws, sizeof *s->draws, ref_cmp);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int site_stall_known(const struct site *s, const char *code)
{
    if (code == NULL || s->n_stalls == 0)
        return 0;
    return bsearch(&code, s->stalls, s->n_stalls, sizeof *s->stalls, str_cmp) != NULL;
}

void site_frame(const struct site *s, struct html_page *p, const char *title,
                enum site_kind kind, const char *key, char *canonical, size_t size)
{
    if (site_url(s->opt->base_url, kind, key, canonical, size) < 0)
        canonical[0] = '\0';
    *p = (struct html_page){title, "../", canonical[0] ? canonical : NULL, s->opt->site_name,
                            s->as_of};
}

FILE *site_page(struct site *s, enum site_kind kind, const char *key, const char *title,
                struct html_page *frame, char *canonical, size_t size)
{
    char path[512];
    site_frame(s, frame, title, kind, key, canonical, size);
    FILE *f = NULL;
    if (site_path(kind, key, path, sizeof path) == 0)
        f = site_out_begin(s->out, path);
    if (f == NULL) {
        if (sc_error_code() == 0)
            sc_error_set(SC_ERR_IO, "site: cannot begin %s", path);
        return NULL;
    }
    html_begin(f, frame);
    fputs("<nav class=\"crumbs\"><a href=\"../index.html\">", f);
    html_text(f, _("All markets"));
    fputs("</a>", f);
    return f;
}
