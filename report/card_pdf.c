/* Cards typeset as an A4 PDF by pango (pangocairo): every text is laid out
 * in the width it has, so Chinese breaks between characters and English
 * between words (pango's line breaking, Unicode UAX #14), long codes break
 * anywhere rather than leave the page, and a character one font lacks comes
 * from the next (fontconfig's fallback: DejaVu Sans for Latin, Droid Sans
 * Fallback for Chinese, both embedded as subsets).
 *
 * The page: everything inside a 15 mm frame.  At the top of every page a
 * running header (the card's, else its title) over a rule; at the foot
 * "第 x 页 共 y 页" ("Page x of y"), counted per card.  A card is laid out
 * twice: once to find where its pages break, once to draw them with the
 * count known.  A card_page row ends a page (a certificate's cover).
 * Other breaks keep a heading or a table's head with what follows,
 * repeat a table's head on the next page, and never leave a last page with
 * fewer than three rows: those rows take others from the page before. */
#include <cairo-pdf.h>
#include <errno.h>
#include <glib.h>
#include <libintl.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/utf8.h"
#include "report/card_priv.h"
#include "report/lang.h"

#define _(s) gettext(s)

#define A4_W 595.28
#define A4_H 841.89
#define FRAME 42.52           /* 15 mm: no text outside it */
#define BODY_TOP (FRAME + 30.0)
#define BODY_BOTTOM (A4_H - FRAME - 26.0)
#define BODY_W (A4_W - 2 * FRAME)
#define QR_SIZE 86.0
#define QR_GAP 12.0
#define LABEL_W 128.0         /* a field's label column */
#define CELL_PAD 3.0
#define MIN_LAST_ROWS 3       /* a last page holds at least this many rows */
#define FONT_FAMILIES CARD_FONT_LATIN ", " CARD_FONT

struct pdf {
    cairo_t *cr;
    PangoLayout *lay;
    int draw;                 /* 0: measure only */
    double y;
    double qr_bottom;         /* rows above it are narrowed beside the QR code */
    int page;                 /* within the card, from 1 */
    int pages;                /* the card's count (known when drawing) */
    const char *header;
    const struct row *thead;  /* the head of the table being filled */
};

/* ---- text ---------------------------------------------------------------- */

/* Pango markup of a card text: escaped, invalid bytes as U+FFFD, and a
 * bilingual label's English (after PAPER_GLOSS) smaller and grey. */
static char *markup(const char *text)
{
    char clean[4096];
    size_t n = 0, left = strlen(text);
    while (left > 0 && n + 4 < sizeof clean) {
        struct utf8_char ch;
        size_t k = utf8_next(text, left, &ch);
        if (*text == PAPER_GLOSS)
            clean[n++] = PAPER_GLOSS;
        else if (ch.replaced) {
            memcpy(clean + n, UTF8_REPLACEMENT, 3);
            n += 3;
        } else {
            memcpy(clean + n, text, k);
            n += k;
        }
        text += k;
        left -= k;
    }
    clean[n] = '\0';
    char *gloss = strchr(clean, PAPER_GLOSS);
    if (gloss != NULL)
        *gloss++ = '\0';
    char *a = g_markup_escape_text(clean, -1);
    char *out;
    if (gloss != NULL) {
        char *b = g_markup_escape_text(gloss, -1);
        out = g_strdup_printf("%s <span size=\"82%%\" foreground=\"#555555\">%s</span>", a, b);
        g_free(b);
    } else {
        out = g_strdup(a);
    }
    g_free(a);
    return out;
}

/* Lays text out in width points; returns its height in points. */
static double set_text(struct pdf *p, const char *text, double size, int bold, double width,
                       PangoAlignment align)
{
    PangoFontDescription *fd = pango_font_description_from_string(FONT_FAMILIES);
    pango_font_description_set_size(fd, (int)(size * PANGO_SCALE));
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(p->lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(p->lay, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(p->lay, align);
    char *m = markup(text);
    pango_layout_set_markup(p->lay, m, -1);
    g_free(m);
    int w, h;
    pango_layout_get_size(p->lay, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void show(struct pdf *p, double x, double y)
{
    if (!p->draw)
        return;
    cairo_move_to(p->cr, x, y);
    pango_cairo_show_layout(p->cr, p->lay);
}

static double text_at(struct pdf *p, const char *text, double size, int bold, double x, double y,
                      double width, PangoAlignment align)
{
    double h = set_text(p, text, size, bold, width, align);
    show(p, x, y);
    return h;
}

static void hline(struct pdf *p, double x0, double x1, double y, double width, double grey)
{
    if (!p->draw)
        return;
    cairo_save(p->cr);
    cairo_set_source_rgb(p->cr, grey, grey, grey);
    cairo_set_line_width(p->cr, width);
    cairo_move_to(p->cr, x0, y);
    cairo_line_to(p->cr, x1, y);
    cairo_stroke(p->cr);
    cairo_restore(p->cr);
}

/* ---- the page's frame ------------------------------------------------------ */

static void page_head(struct pdf *p)
{
    if (!p->draw)
        return;
    cairo_set_source_rgb(p->cr, 0.33, 0.33, 0.33);
    text_at(p, p->header, 9, 0, FRAME, FRAME, BODY_W, PANGO_ALIGN_LEFT);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    hline(p, FRAME, A4_W - FRAME, FRAME + 16, 0.6, 0.4);
}

static void page_foot(struct pdf *p)
{
    if (!p->draw)
        return;
    char label[96];
    /* TRANSLATORS: at the foot of every page of a paper. */
    snprintf(label, sizeof label, _("Page %d of %d"), p->page, p->pages);
    cairo_set_source_rgb(p->cr, 0.33, 0.33, 0.33);
    double h = set_text(p, label, 9, 0, BODY_W, PANGO_ALIGN_CENTER);
    show(p, FRAME, A4_H - FRAME - h);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
}

static void page_begin(struct pdf *p)
{
    p->y = BODY_TOP;
    page_head(p);
}

static void page_end(struct pdf *p)
{
    page_foot(p);
    if (p->draw)
        cairo_show_page(p->cr);
}

/* ---- rows ------------------------------------------------------------------ */

/* The width a row has at height y: narrower beside the QR code. */
static double width_at(const struct pdf *p, double y)
{
    return y < p->qr_bottom ? BODY_W - QR_SIZE - QR_GAP : BODY_W;
}

static double cells_height(struct pdf *p, const struct row *r, double y, int drawing)
{
    int total = 0;
    for (int k = 0; k < r->ncols; k++)
        total += r->widths[k] > 0 ? r->widths[k] : 1;
    double width = width_at(p, y), x = FRAME, h = 0;
    int saved = p->draw;
    p->draw = saved && drawing;
    for (int k = 0; k < r->ncols; k++) {
        double cw = width * (r->widths[k] > 0 ? r->widths[k] : 1) / total;
        double ch = text_at(p, r->cells[k], 10.5, r->header, x + CELL_PAD, y + CELL_PAD,
                            cw - 2 * CELL_PAD, PANGO_ALIGN_LEFT);
        if (ch > h)
            h = ch;
        x += cw;
    }
    p->draw = saved;
    h += 2 * CELL_PAD;
    if (drawing)
        hline(p, FRAME, FRAME + width, y + h, r->header ? 0.8 : 0.3, r->header ? 0 : 0.6);
    return h;
}

/* Lays out (and, when drawing, draws) row r at p->y; returns its height
 * with the space after it. */
static double row_do(struct pdf *p, const struct row *r, int drawing)
{
    double y = p->y, w = width_at(p, y);
    int saved = p->draw;
    p->draw = saved && drawing;
    double h = 0;
    switch (r->kind) {
    case ROW_TITLE:
        h = text_at(p, r->text, 20, 1, FRAME, y, w, PANGO_ALIGN_LEFT) + 10;
        break;
    case ROW_HEADING:
        h = 12 + text_at(p, r->text, 14, 1, FRAME, y + 12, w, PANGO_ALIGN_LEFT) + 5;
        break;
    case ROW_FIELD: {
        double lh = text_at(p, r->label, 11, 1, FRAME, y, LABEL_W - 6, PANGO_ALIGN_LEFT);
        double vh = text_at(p, r->text, 11, 0, FRAME + LABEL_W, y, w - LABEL_W, PANGO_ALIGN_LEFT);
        h = (lh > vh ? lh : vh) + 3;
        break;
    }
    case ROW_PARA:
        h = text_at(p, r->text, 11, 0, FRAME, y, w, PANGO_ALIGN_LEFT) + 4;
        break;
    case ROW_BIG:
        h = text_at(p, r->text, 30, 1, FRAME, y, w, PANGO_ALIGN_LEFT) + 8;
        break;
    case ROW_CELLS:
        p->draw = saved;
        /* A table starts below the QR code: laid out beside it, its head
         * would be narrower than its rows and their columns would not
         * line up. */
        if (y < p->qr_bottom) {
            h = p->qr_bottom - y;
            y = p->qr_bottom;
        }
        h += cells_height(p, r, y, drawing);
        break;
    case ROW_SIGN: {
        /* The role, the signatory's name over a line to sign on, and a
         * line for the date. */
        double lh = text_at(p, r->label, 11, 1, FRAME, y + 14, LABEL_W - 6, PANGO_ALIGN_LEFT);
        double nh = r->text[0] ? text_at(p, r->text, 11, 0, FRAME + LABEL_W, y + 14, 170,
                                         PANGO_ALIGN_LEFT)
                               : 0;
        double base = y + 14 + (lh > nh ? lh : nh > 14 ? nh : 14) + 4;
        p->draw = saved;
        if (drawing)
            hline(p, FRAME + LABEL_W, FRAME + LABEL_W + 170, base, 0.5, 0);
        p->draw = saved && drawing;
        double dh = text_at(p, paper_bi("Date"), 9, 0, FRAME + LABEL_W + 186, base - 12, 64,
                            PANGO_ALIGN_LEFT);
        (void)dh;
        p->draw = saved;
        if (drawing)
            hline(p, FRAME + LABEL_W + 250, FRAME + w, base, 0.5, 0);
        h = base - y + 6;
        break;
    }
    case ROW_QR:
    case ROW_PAGE:
        break;
    }
    p->draw = saved;
    return h;
}

static int pdf_qr(struct pdf *p, const char *payload, const char *caption)
{
    QRcode *q = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (q == NULL)
        return sc_error_set(SC_ERR_ARG, "QR code of '%s': %s", payload, strerror(errno));
    /* 4 modules of quiet zone inside the square. */
    double mod = QR_SIZE / (q->width + 8);
    double x0 = A4_W - FRAME - QR_SIZE + 4 * mod, y0 = BODY_TOP + 4 * mod;
    if (p->draw) {
        cairo_save(p->cr);
        cairo_set_source_rgb(p->cr, 0, 0, 0);
        for (int yy = 0; yy < q->width; yy++)
            for (int xx = 0; xx < q->width; xx++)
                if (q->data[yy * q->width + xx] & 1)
                    cairo_rectangle(p->cr, x0 + xx * mod, y0 + yy * mod, mod, mod);
        cairo_fill(p->cr);
        cairo_restore(p->cr);
    }
    QRcode_free(q);
    /* Under the code, what scanning it gives, centred on it. */
    double ch = 0;
    if (caption != NULL && caption[0] != '\0') {
        cairo_set_source_rgb(p->cr, 0.33, 0.33, 0.33);
        ch = text_at(p, caption, 7.5, 0, A4_W - FRAME - QR_SIZE, BODY_TOP + QR_SIZE, QR_SIZE,
                     PANGO_ALIGN_CENTER);
        cairo_set_source_rgb(p->cr, 0, 0, 0);
    }
    p->qr_bottom = BODY_TOP + QR_SIZE + ch + QR_GAP;
    return 0;
}

/* ---- one card: breaks found, then drawn ------------------------------------ */

/* Rows that must not end a page: what they head follows them. */
static int keeps_with_next(const struct row *r)
{
    return r->kind == ROW_HEADING || r->kind == ROW_TITLE || (r->kind == ROW_CELLS && r->header);
}

/* Whether row i is a body row (counted against a short last page). */
static int body_row(const struct row *r)
{
    return r->kind != ROW_QR && r->kind != ROW_PAGE;
}

/* Lays the card out.  breaks[k] is the row that starts page k+2.  Finding
 * (find = 1): fills breaks and *n greedily.  Drawing: follows them. */
static int lay_out(struct pdf *p, const struct card *c, size_t *breaks, size_t *n, int find,
                   int *last_forced)
{
    size_t next_break = 0;
    p->page = 1;
    p->qr_bottom = 0;
    p->thead = NULL;
    page_begin(p);
    /* The QR code goes top right of the first page, whatever row added
     * it: the title beside it is laid out narrower. */
    for (size_t i = 0; i < c->n; i++)
        if (c->rows[i].kind == ROW_QR) {
            if (pdf_qr(p, c->rows[i].text, c->rows[i].label) < 0)
                return SC_ERR_ARG;
            break;
        }
    int on_page = 0, forced = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct row *r = &c->rows[i];
        if (r->kind == ROW_PAGE) {
            /* A page ends here (a certificate's cover); at the card's end
             * the next card starts a page anyway. */
            forced = on_page > 0;
            continue;
        }
        if (r->kind == ROW_QR)
            continue;
        if (r->kind == ROW_CELLS && r->header)
            p->thead = r;
        else if (r->kind != ROW_CELLS)
            p->thead = NULL;
        int brk;
        if (find) {
            double h = row_do(p, r, 0);
            double need = h;
            /* Keep a heading with what it heads: through a table's head
             * too, down to the first row that heads nothing (a heading,
             * then a table's head, then its first row go together). */
            if (keeps_with_next(r)) {
                double y0 = p->y;
                p->y += h;
                for (size_t j = i + 1; j < c->n && body_row(&c->rows[j]); j++) {
                    double hj = row_do(p, &c->rows[j], 0);
                    need += hj;
                    p->y += hj;
                    if (!keeps_with_next(&c->rows[j]))
                        break;
                }
                p->y = y0;
            }
            brk = on_page > 0 && (forced || p->y + need > BODY_BOTTOM);
            if (brk) {
                if (*n >= c->n)
                    return sc_error_set(SC_ERR_RANGE, "card: too many pages");
                breaks[(*n)++] = i;
                *last_forced = forced;
            }
        } else {
            brk = next_break < *n && breaks[next_break] == i;
            next_break += brk;
        }
        if (brk) {
            page_end(p);
            p->page++;
            p->qr_bottom = 0;
            page_begin(p);
            on_page = 0;
            /* A table going on: its head again. */
            if (r->kind == ROW_CELLS && !r->header && p->thead != NULL)
                p->y += row_do(p, p->thead, 1);
        }
        p->y += row_do(p, r, 1);
        on_page++;
        forced = 0;
    }
    page_end(p);
    return 0;
}

/* Moves the last break back so the last page holds at least MIN_LAST_ROWS
 * rows, taking them from the page before while it keeps as many itself
 * and does not end on a heading. */
static void balance_last_page(const struct card *c, size_t *breaks, size_t n)
{
    if (n == 0)
        return;
    size_t start = breaks[n - 1], prev = n >= 2 ? breaks[n - 2] : 0;
    int last = 0;
    for (size_t i = start; i < c->n; i++)
        last += body_row(&c->rows[i]);
    while (last < MIN_LAST_ROWS && start > prev) {
        size_t s = start - 1;
        while (s > prev && !body_row(&c->rows[s]))
            s--;
        int before = 0;
        for (size_t i = prev; i < s; i++)
            before += body_row(&c->rows[i]);
        if (before < MIN_LAST_ROWS + 1)
            break;
        start = s;
        last++;
        /* Never leave a heading at the foot of the page before. */
        while (start > prev + 1 && keeps_with_next(&c->rows[start - 1]))
            start--;
    }
    breaks[n - 1] = start;
}

static int pdf_card(cairo_t *cr, PangoLayout *lay, const struct card *c)
{
    size_t *breaks = calloc(c->n + 1, sizeof *breaks);
    if (breaks == NULL)
        return SC_ERR_NOMEM;
    size_t n = 0;
    const char *header = c->header ? c->header : "";
    for (size_t i = 0; header[0] == '\0' && i < c->n; i++)
        if (c->rows[i].kind == ROW_TITLE)
            header = c->rows[i].text;
    struct pdf p = {.cr = cr, .lay = lay, .draw = 0, .header = header};
    int last_forced = 0;
    int err = lay_out(&p, c, breaks, &n, 1, &last_forced);
    if (err == 0) {
        /* A page the card itself ends (card_page) stays where it is. */
        if (!last_forced)
            balance_last_page(c, breaks, n);
        p.draw = 1;
        p.pages = (int)n + 1;
        err = lay_out(&p, c, breaks, &n, 0, &last_forced);
    }
    free(breaks);
    return err;
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
    PangoLayout *lay = pango_cairo_create_layout(cr);
    /* Sizes in points: one point, one unit of the PDF (pangocairo assumes
     * 96 dpi otherwise). */
    pango_cairo_context_set_resolution(pango_layout_get_context(lay), 72.0);
    pango_layout_context_changed(lay);
    int err = 0;
    for (size_t i = 0; i < n && err == 0; i++)
        err = pdf_card(cr, lay, cards[i]);
    if (n == 0)
        cairo_show_page(cr); /* an empty document still has a page */
    g_object_unref(lay);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    /* Fontconfig's, cairo's and pango's font caches stay for the life of
     * the process.  They are not torn down here (cairo_debug_reset_static_data,
     * FcFini): pango 1.50 sorts fonts on worker threads that may still hold
     * fonts, and cairo aborts on a reset with fonts alive.  The leak checker
     * of the tests is told about fontconfig's (tests/lsan.supp). */
    if (err == 0 && st != CAIRO_STATUS_SUCCESS)
        err = sc_error_set(SC_ERR_IO, "%s: %s", path, cairo_status_to_string(st));
    if (err == 0 && rename(tmp, path) != 0)
        err = sc_error_set(SC_ERR_IO, "%s: %s", path, strerror(errno));
    if (err != 0)
        unlink(tmp);
    free(tmp);
    return err;
}
