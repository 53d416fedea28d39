#include "report/card.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/termsafe.h"
#include "core/utf8.h"
#include "report/card_priv.h"
#include "report/lang.h"

#define N_(s) (s)

struct card *card_new(void)
{
    return calloc(1, sizeof(struct card));
}

void card_free(struct card *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->rows[i].text);
        free(c->rows[i].label);
        for (int k = 0; k < c->rows[i].ncols; k++)
            free(c->rows[i].cells[k]);
    }
    free(c->rows);
    free(c->header);
    free(c);
}

static struct row *add(struct card *c, enum row_kind kind)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        struct row *r = realloc(c->rows, cap * sizeof *r);
        if (r == NULL)
            return NULL;
        c->rows = r;
        c->cap = cap;
    }
    struct row *r = &c->rows[c->n++];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    return r;
}

static int add_text(struct card *c, enum row_kind kind, const char *text)
{
    struct row *r = add(c, kind);
    if (r == NULL || (r->text = strdup(text ? text : "")) == NULL)
        return sc_error_set(SC_ERR_NOMEM, "card");
    return 0;
}

int card_title(struct card *c, const char *text) { return add_text(c, ROW_TITLE, text); }
int card_heading(struct card *c, const char *text) { return add_text(c, ROW_HEADING, text); }
int card_big(struct card *c, const char *text) { return add_text(c, ROW_BIG, text); }
int card_qr(struct card *c, const char *payload)
{
    if (add_text(c, ROW_QR, payload) < 0)
        return SC_ERR_NOMEM;
    /* What a passer-by gets from scanning it, said under the code in the
     * paper's language (the card is built in it). */
    /* TRANSLATORS: under the QR code of a paper: scanning it opens the public page. */
    const char *caption = paper_bi(N_("Scan for the published results"));
    if ((c->rows[c->n - 1].label = strdup(caption)) == NULL)
        return sc_error_set(SC_ERR_NOMEM, "card");
    return 0;
}
int card_page(struct card *c) { return add_text(c, ROW_PAGE, ""); }
int card_sign(struct card *c, const char *label) { return card_sign_named(c, label, ""); }

int card_sign_named(struct card *c, const char *label, const char *name)
{
    if (add_text(c, ROW_SIGN, name) < 0)
        return SC_ERR_NOMEM;
    if ((c->rows[c->n - 1].label = strdup(label ? label : "")) == NULL)
        return sc_error_set(SC_ERR_NOMEM, "card");
    return 0;
}

int card_header(struct card *c, const char *text)
{
    free(c->header);
    if ((c->header = strdup(text ? text : "")) == NULL)
        return sc_error_set(SC_ERR_NOMEM, "card");
    return 0;
}

/* A copy of s with a bilingual label's separator as a space (text and
 * receipts: "中文 English"). */
static char *plain_dup(const char *s)
{
    char *d = s ? strdup(s) : NULL;
    for (char *p = d; p && *p; p++)
        if (*p == PAPER_GLOSS)
            *p = ' ';
    return d;
}

struct card *card_plain(const struct card *c)
{
    struct card *d = card_new();
    if (d == NULL)
        return NULL;
    d->rows = calloc(c->n ? c->n : 1, sizeof *d->rows);
    if (d->rows == NULL) {
        free(d);
        return NULL;
    }
    d->cap = c->n ? c->n : 1;
    d->header = plain_dup(c->header);
    d->page_numbers = c->page_numbers;
    for (size_t i = 0; i < c->n; i++, d->n++) {
        struct row *r = &d->rows[i];
        *r = c->rows[i];
        r->text = plain_dup(c->rows[i].text);
        r->label = plain_dup(c->rows[i].label);
        for (int k = 0; k < r->ncols; k++)
            r->cells[k] = plain_dup(c->rows[i].cells[k]);
    }
    return d;
}

int card_page_numbers(struct card *c)
{
    c->page_numbers = 1;
    return 0;
}

/* The page label (JJF 1069-2012: each page its number and the count). */
static void page_label(char *buf, size_t size, int page, int pages)
{
    snprintf(buf, size, "第 %d 页 共 %d 页  Page %d of %d", page, pages, page, pages);
}

int card_field(struct card *c, const char *label, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (add_text(c, ROW_FIELD, buf) < 0)
        return SC_ERR_NOMEM;
    if ((c->rows[c->n - 1].label = strdup(label)) == NULL)
        return sc_error_set(SC_ERR_NOMEM, "card");
    return 0;
}

int card_para(struct card *c, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return add_text(c, ROW_PARA, buf);
}

int card_table(struct card *c, int ncols, const int *widths)
{
    if (ncols < 1 || ncols > CARD_MAX_COLS)
        return sc_error_set(SC_ERR_ARG, "card: %d columns", ncols);
    c->ncols = ncols;
    memcpy(c->widths, widths, (size_t)ncols * sizeof *widths);
    c->header_next = 1;
    return 0;
}

int card_row(struct card *c, const char *const *cells)
{
    if (c->ncols == 0)
        return sc_error_set(SC_ERR_ARG, "card: a row without a table");
    struct row *r = add(c, ROW_CELLS);
    if (r == NULL)
        return sc_error_set(SC_ERR_NOMEM, "card");
    r->ncols = c->ncols;
    r->header = c->header_next;
    c->header_next = 0;
    memcpy(r->widths, c->widths, sizeof r->widths);
    for (int k = 0; k < c->ncols; k++)
        if ((r->cells[k] = strdup(cells[k] ? cells[k] : "")) == NULL)
            return sc_error_set(SC_ERR_NOMEM, "card");
    return 0;
}

/* ---- widths ------------------------------------------------------------ */

/* Writes s cut to at most width columns (core/utf8.h: invalid bytes and
 * control characters as U+FFFD); returns the columns written. */
int card_put_fit(FILE *out, const char *s, int width)
{
    int w = 0;
    size_t left = strlen(s);
    while (left > 0) {
        struct utf8_char ch;
        size_t n = utf8_next(s, left, &ch);
        if (w + ch.width > width)
            break;
        if (ch.replaced)
            fputs(UTF8_REPLACEMENT, out);
        else
            fwrite(s, 1, n, out);
        w += ch.width;
        s += n;
        left -= n;
    }
    return w;
}

size_t card_fit_len(const char *s, int width)
{
    int w = 0;
    size_t len = 0, left = strlen(s);
    while (len < left) {
        struct utf8_char ch;
        size_t n = utf8_next(s + len, left - len, &ch);
        if (w + ch.width > width)
            break;
        w += ch.width;
        len += n;
    }
    return len;
}

void card_put_cells(FILE *out, const struct row *r, int limit)
{
    int col = 0;
    for (int k = 0; k < r->ncols; k++) {
        int last = k == r->ncols - 1;
        int room = last ? limit - col : r->widths[k];
        if (room > limit - col)
            room = limit - col;
        if (room <= 0)
            break;
        int w = card_put_fit(out, r->cells[k], last ? room : room - 1);
        col += w;
        if (!last)
            for (; w < r->widths[k] && col < limit; w++, col++)
                fputc(' ', out);
    }
    /* No trailing spaces. */
    fputc('\n', out);
}

static void rule(FILE *out, char ch, int width)
{
    for (int i = 0; i < width; i++)
        fputc(ch, out);
    fputc('\n', out);
}

/* ---- text --------------------------------------------------------------
 * Names and notes come from the database: written through core/termsafe.h
 * (the cells through card_put_fit, which draws controls as U+FFFD). */

/* Text has no page width: each table's columns widen to their widest cell
 * (up to TEXT_MAX_COL), so a heading or a result is not cut mid-word. */
#define TEXT_MAX_COL 40
static void widen_tables(struct card *c)
{
    for (size_t i = 0; i < c->n;) {
        if (c->rows[i].kind != ROW_CELLS) {
            i++;
            continue;
        }
        size_t end = i + 1;
        while (end < c->n && c->rows[end].kind == ROW_CELLS && !c->rows[end].header)
            end++;
        for (int k = 0; k + 1 < c->rows[i].ncols; k++) {
            int w = c->rows[i].widths[k];
            for (size_t j = i; j < end; j++) {
                int need = k < c->rows[j].ncols ? utf8_width(c->rows[j].cells[k]) + 1 : 0;
                if (need > TEXT_MAX_COL)
                    need = TEXT_MAX_COL;
                if (need > w)
                    w = need;
            }
            for (size_t j = i; j < end; j++)
                if (k < c->rows[j].ncols)
                    c->rows[j].widths[k] = w;
        }
        i = end;
    }
}

int card_text(const struct card *card, FILE *out)
{
    struct card *c = card_plain(card);
    if (c == NULL)
        return sc_error_set(SC_ERR_NOMEM, "card");
    widen_tables(c);
    int page = 1, pages = 1;
    char label[96];
    for (size_t i = 0; i < c->n; i++)
        pages += c->rows[i].kind == ROW_PAGE;
    for (size_t i = 0; i < c->n; i++) {
        const struct row *r = &c->rows[i];
        switch (r->kind) {
        case ROW_TITLE:
            term_printf(out, "%s\n", r->text);
            rule(out, '=', utf8_width(r->text));
            break;
        case ROW_HEADING:
            term_printf(out, "\n%s\n", r->text);
            rule(out, '-', utf8_width(r->text));
            break;
        case ROW_FIELD: {
            int w = utf8_width(r->label);
            term_printf(out, "%s", r->label);
            for (; w < 16; w++)
                fputc(' ', out);
            term_printf(out, " %s\n", r->text);
            break;
        }
        case ROW_PARA:
        case ROW_BIG:
            term_printf(out, "%s\n", r->text);
            break;
        case ROW_CELLS:
            card_put_cells(out, r, 1000);
            break;
        case ROW_QR:
            term_printf(out, "QR: %s\n", r->text);
            break;
        case ROW_SIGN:
            fprintf(out, "%s: %s%s____________________\n", r->label, r->text,
                    r->text[0] ? " " : "");
            break;
        case ROW_PAGE:
            if (c->page_numbers) {
                page_label(label, sizeof label, page++, pages);
                fprintf(out, "\n%s\n\f", label);
            }
            fputc('\n', out);
            break;
        }
    }
    if (c->page_numbers) {
        page_label(label, sizeof label, page, pages);
        fprintf(out, "\n%s\n", label);
    }
    card_free(c);
    return ferror(out) ? sc_error_set(SC_ERR_IO, "writing the card: %s", strerror(errno)) : 0;
}
