/* A printed card (scorecard, posted list, fair-scale ticket) as a list of
 * styled rows, rendered three ways: plain text (columns measured with
 * wcwidth, so Chinese lines up), an A4 PDF (report/card_pdf.c: typeset by
 * pango, every page with a running header and its number, the fonts
 * embedded, QR codes from libqrencode drawn as vectors)
 * and an ESC/POS receipt (devices/escpos.h, GB18030, the printer's own QR).
 *
 *   struct card *c = card_new();
 *   card_title(c, "诚信计量记分卡  Integrity scorecard");
 *   card_field(c, "Stall 摊位", "M01-001 张记蔬菜");
 *   card_table(c, 3, (const int[]){10, 8, 30});
 *   card_row(c, (const char *[]){"2026-01-05", "-5", "price-tags"});
 *   card_qr(c, "stallcheck:stall:M01-001");
 *   card_text(c, out); card_pdf(&c, 1, "card.pdf"); card_escpos(c, e);
 */
#ifndef STALLCHECK_REPORT_CARD_H
#define STALLCHECK_REPORT_CARD_H

#include <stddef.h>
#include <stdio.h>

struct escpos; /* devices/escpos.h */

struct card;

struct card *card_new(void);
void card_free(struct card *c);

/* Rows; text is copied.  printf-style where it says so. */
int card_title(struct card *c, const char *text);
int card_heading(struct card *c, const char *text);
int card_field(struct card *c, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int card_para(struct card *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A big line (the score). */
int card_big(struct card *c, const char *text);
/* Starts a table: ncols columns of the given widths (display columns);
 * the next card_row calls fill it.  The first row after is its header. */
int card_table(struct card *c, int ncols, const int *widths);
int card_row(struct card *c, const char *const *cells);
/* A QR code of payload (placed top right on a PDF page, printed where it
 * comes on a receipt, its payload written in text). */
int card_qr(struct card *c, const char *payload);
/* Ends a page of the PDF here (text: a form feed line; receipt: a cut). */
int card_page(struct card *c);
/* Numbers the text rendering's pages, "第 1 页 共 2 页  Page 1 of 2" at the
 * foot of each (a PDF numbers every page anyway; a receipt has no pages). */
int card_page_numbers(struct card *c);
/* A line to sign on, with its label (检定员, 核验员, 批准人) and a date;
 * card_sign_named prints the signatory's name (badge and name) above it. */
int card_sign(struct card *c, const char *label);
int card_sign_named(struct card *c, const char *label, const char *name);
/* The running header of every PDF page of the card (default: its title). */
int card_header(struct card *c, const char *text);

/* Plain text, UTF-8. */
int card_text(const struct card *c, FILE *out);
/* One PDF with the cards one after another (each starting a page, its
 * pages numbered on their own), A4.  SC_ERR_IO with the reason (cairo's)
 * on failure. */
int card_pdf(struct card *const *cards, size_t n, const char *path);
/* Appends the cards to a receipt (48 columns: an 80 mm printer). */
int card_escpos(const struct card *c, struct escpos *e);

/* The PDF font families, embedded: Chinese from fonts-droid-fallback, the
 * rest (which that font lacks) from fonts-dejavu-core. */
#define CARD_FONT "Droid Sans Fallback"
#define CARD_FONT_LATIN "DejaVu Sans"

#endif
