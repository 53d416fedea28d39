/* HTML for the public pages: escaped text, and the frame every page shares
 * (head, header, footer).  Plain HTML and one style sheet: no script, no
 * font or image fetched from anywhere, readable on a 375 px phone and on a
 * desktop. */
#ifndef STALLCHECK_REPORT_HTML_H
#define STALLCHECK_REPORT_HTML_H

#include <stddef.h>
#include <stdio.h>

/* s with & < > " ' escaped, invalid UTF-8 bytes as U+FFFD and control
 * characters dropped; NULL writes nothing. */
void html_text(FILE *out, const char *s);
/* printf, then the result escaped. */
void html_textf(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A heading or label in the language of messages, followed by its English
 * msgid in a quieter span when the two differ (Chinese first). */
void html_label(FILE *out, const char *msgid);

/* A table that folds into labelled rows on a phone: its head from msgids
 * (bit i of numeric set: column i is right-aligned), then rows whose cells
 * html_td opens with their label; html_tend closes it. */
void html_thead(FILE *out, const char *const *msgids, size_t n, unsigned numeric);
void html_td(FILE *out, const char *msgid, int numeric);
void html_tend(FILE *out);

/* One line of a facts list: <dt>label</dt><dd>value</dd> (code: in the
 * monospace of codes); html_dt opens one for the caller to fill and end
 * with "</dd>". */
void html_fact(FILE *out, const char *msgid, const char *value, int code);
void html_dt(FILE *out, const char *msgid);

struct html_page {
    const char *title;        /* the page's own name, already translated */
    const char *root;         /* "" at the top, "../" one level down */
    const char *canonical;    /* its public URL, or NULL */
    const char *site_name;    /* the publishing body, shown in the header */
    const char *as_of;        /* "YYYY-MM-DD": the data is as of that day */
};

void html_begin(FILE *out, const struct html_page *p);
void html_end(FILE *out, const struct html_page *p);

/* The style sheet (style.css). */
extern const char html_css[];

#endif
