#include "report/card.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <qrencode.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/utf8.h"
#include "report/card_priv.h"

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
int card_qr(struct card *c, const char *payload) { return add_text(c, ROW_QR, payload); }
int card_page(struct card *c) { return add_text(c, ROW_PAGE, ""); }

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

/* ---- text -------------------------------------------------------------- */

int card_text(const struct card *c, FILE *out)
{
    int page = 1, pages = 1;
    char label[96];
    for (size_t i = 0; i < c->n; i++)
        pages += c->rows[i].kind == ROW_PAGE;
    for (size_t i = 0; i < c->n; i++) {
        const struct row *r = &c->rows[i];
        switch (r->kind) {
        case ROW_TITLE:
            fprintf(out, "%s\n", r->text);
            rule(out, '=', utf8_width(r->text));
            break;
        case ROW_HEADING:
            fprintf(out, "\n%s\n", r->text);
            rule(out, '-', utf8_width(r->text));
            break;
        case ROW_FIELD: {
            int w = utf8_width(r->label);
            fprintf(out, "%s", r->label);
            for (; w < 16; w++)
                fputc(' ', out);
            fprintf(out, " %s\n", r->text);
            break;
        }
        case ROW_PARA:
        case ROW_BIG:
            fprintf(out, "%s\n", r->text);
            break;
        case ROW_CELLS:
            card_put_cells(out, r, 1000);
            break;
        case ROW_QR:
            fprintf(out, "QR: %s\n", r->text);
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
    return ferror(out) ? sc_error_set(SC_ERR_IO, "writing the card: %s", strerror(errno)) : 0;
}

/* ---- PDF --------------------------------------------------------------- */

#define A4_W 595.28
#define A4_H 841.89
#define MARGIN 50.0
#define COL_PT 6.0            /* one display column at 10 pt (Droid Sans Fallback) */

struct pdf {
    cairo_t *cr;
    double size;
    int bold;
    double y;
    int page_used;
    int pages;                /* pages shown */
    int numbered;             /* the card being drawn numbers its pages */
    int card_page, card_pages;
};

static void pdf_font(struct pdf *p, double size, int bold)
{
    p->size = size;
    p->bold = bold;
    cairo_set_font_size(p->cr, size);
}

static void pdf_show(struct pdf *p, double x, const char *s);

/* The page label at the foot of the page. */
static void pdf_footer(struct pdf *p)
{
    if (!p->numbered)
        return;
    char label[96];
    page_label(label, sizeof label, p->card_page, p->card_pages);
    double y = p->y, size = p->size;
    int bold = p->bold;
    p->y = A4_H - MARGIN / 2;
    p->size = 9;
    p->bold = 0;
    pdf_show(p, MARGIN, label);
    p->y = y;
    p->size = size;
    p->bold = bold;
}

static void pdf_newpage(struct pdf *p)
{
    if (p->page_used) {
        pdf_footer(p);
        cairo_show_page(p->cr);
        p->pages++;
        p->card_page++;
    }
    p->y = MARGIN;
    p->page_used = 0;
}

/* Moves down a line of the given height, starting a new page when full. */
static void pdf_advance(struct pdf *p, double h)
{
    if (p->y + h > A4_H - MARGIN)
        pdf_newpage(p);
    p->y += h;
    p->page_used = 1;
}

/* Whether a code point is drawn with the Chinese font. */
static int cp_cjk(uint32_t cp)
{
    return utf8_cp_width(cp) == 2 || (cp >= 0x3000 && cp <= 0x303f);
}

static void pdf_show_run(struct pdf *p, double *x, const char *run, int cjk)
{
    cairo_select_font_face(p->cr, cjk ? CARD_FONT : CARD_FONT_LATIN, CAIRO_FONT_SLANT_NORMAL,
                           p->bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(p->cr, p->size);
    cairo_move_to(p->cr, *x, p->y);
    cairo_show_text(p->cr, run);
    cairo_text_extents_t ext;
    cairo_text_extents(p->cr, run, &ext);
    *x += ext.x_advance;
}

/* Text in runs: Chinese in Droid Sans Fallback, the rest in DejaVu Sans
 * (the fallback font has no Latin glyphs; cairo's toy API has no font
 * fallback of its own).  Both are embedded as subsets.  Invalid bytes are
 * drawn as U+FFFD (cairo refuses invalid UTF-8). */
static void pdf_show(struct pdf *p, double x, const char *s)
{
    char run[512];
    size_t len = 0, left = strlen(s);
    int cjk = -1;
    while (left > 0) {
        struct utf8_char ch;
        size_t n = utf8_next(s, left, &ch);
        int c = cp_cjk(ch.cp);
        size_t nb = ch.replaced ? sizeof UTF8_REPLACEMENT - 1 : n;
        if (len > 0 && (c != cjk || len + nb >= sizeof run)) {
            run[len] = '\0';
            pdf_show_run(p, &x, run, cjk);
            len = 0;
        }
        memcpy(run + len, ch.replaced ? UTF8_REPLACEMENT : s, nb);
        len += nb;
        cjk = c;
        s += n;
        left -= n;
    }
    if (len > 0) {
        run[len] = '\0';
        pdf_show_run(p, &x, run, cjk);
    }
}

/* A QR code as filled squares, top right of the page. */
static int pdf_qr(struct pdf *p, const char *payload)
{
    QRcode *q = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (q == NULL)
        return sc_error_set(SC_ERR_ARG, "QR code of '%s': %s", payload, strerror(errno));
    double size = 96.0, mod = size / (q->width + 8); /* 4 modules of quiet zone */
    double x0 = A4_W - MARGIN - size + 4 * mod, y0 = MARGIN - 20 + 4 * mod;
    cairo_save(p->cr);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    for (int yy = 0; yy < q->width; yy++)
        for (int xx = 0; xx < q->width; xx++)
            if (q->data[yy * q->width + xx] & 1)
                cairo_rectangle(p->cr, x0 + xx * mod, y0 + yy * mod, mod, mod);
    cairo_fill(p->cr);
    cairo_restore(p->cr);
    QRcode_free(q);
    p->page_used = 1;
    return 0;
}

static void pdf_cells(struct pdf *p, const struct row *r)
{
    pdf_font(p, 10, r->header);
    pdf_advance(p, 15);
    double x = MARGIN;
    for (int k = 0; k < r->ncols; k++) {
        pdf_show(p, x, r->cells[k]);
        x += r->widths[k] * COL_PT;
    }
    if (r->header) {
        cairo_set_line_width(p->cr, 0.5);
        cairo_move_to(p->cr, MARGIN, p->y + 4);
        cairo_line_to(p->cr, A4_W - MARGIN, p->y + 4);
        cairo_stroke(p->cr);
        p->y += 4;
    }
}

static int pdf_card(struct pdf *p, const struct card *c)
{
    for (size_t i = 0; i < c->n; i++) {
        const struct row *r = &c->rows[i];
        switch (r->kind) {
        case ROW_TITLE:
            pdf_font(p, 18, 1);
            pdf_advance(p, 26);
            pdf_show(p, MARGIN, r->text);
            p->y += 8;
            break;
        case ROW_HEADING:
            pdf_font(p, 13, 1);
            pdf_advance(p, 26);
            pdf_show(p, MARGIN, r->text);
            p->y += 2;
            break;
        case ROW_FIELD:
            pdf_font(p, 10, 1);
            pdf_advance(p, 15);
            pdf_show(p, MARGIN, r->label);
            pdf_font(p, 10, 0);
            pdf_show(p, MARGIN + 130, r->text);
            break;
        case ROW_PARA:
            pdf_font(p, 10, 0);
            pdf_advance(p, 15);
            pdf_show(p, MARGIN, r->text);
            break;
        case ROW_BIG:
            pdf_font(p, 28, 1);
            pdf_advance(p, 40);
            pdf_show(p, MARGIN, r->text);
            p->y += 6;
            break;
        case ROW_CELLS:
            pdf_cells(p, r);
            break;
        case ROW_QR:
            if (pdf_qr(p, r->text) < 0)
                return SC_ERR_ARG;
            break;
        case ROW_PAGE:
            pdf_newpage(p);
            break;
        }
    }
    return 0;
}

int card_pdf(struct card *const *cards, size_t n, const char *path)
{
    /* Written beside the target and renamed: never a half-written file. */
    size_t plen = strlen(path) + 16;
    char *tmp = malloc(plen);
    if (tmp == NULL)
        return sc_error_set(SC_ERR_NOMEM, "%s", path);
    snprintf(tmp, plen, "%s.tmp%ld", path, (long)getpid());
    cairo_surface_t *s = cairo_pdf_surface_create(tmp, A4_W, A4_H);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "stallcheck");
    cairo_t *cr = cairo_create(s);
    struct pdf p = {.cr = cr, .y = MARGIN};
    int err = 0;
    for (size_t i = 0; i < n && err == 0; i++) {
        if (i > 0)
            pdf_newpage(&p);
        p.numbered = 0;
        if (cards[i]->page_numbers) {
            /* Lay the card out once unseen to count its pages. */
            cairo_surface_t *rs = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
            cairo_t *rc = cairo_create(rs);
            struct pdf dry = {.cr = rc, .y = MARGIN};
            err = pdf_card(&dry, cards[i]);
            cairo_destroy(rc);
            cairo_surface_destroy(rs);
            p.numbered = 1;
            p.card_page = 1;
            p.card_pages = dry.pages + (dry.page_used ? 1 : 0);
        }
        if (err == 0)
            err = pdf_card(&p, cards[i]);
    }
    if (p.page_used || p.pages == 0) {
        if (p.page_used)
            pdf_footer(&p);
        cairo_show_page(cr); /* the last page; an empty document still has one */
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    /* Cairo's font cache keeps fontconfig's patterns for the life of the
     * process: release both, so a leak checker sees only our own. */
    cairo_debug_reset_static_data();
    FcFini();
    if (err == 0 && st != CAIRO_STATUS_SUCCESS)
        err = sc_error_set(SC_ERR_IO, "%s: %s", path, cairo_status_to_string(st));
    if (err == 0 && rename(tmp, path) != 0)
        err = sc_error_set(SC_ERR_IO, "%s: %s", path, strerror(errno));
    if (err != 0)
        unlink(tmp);
    free(tmp);
    return err;
}
