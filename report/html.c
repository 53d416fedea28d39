#include "report/html.h"

#include "core/utf8.h"

#include <libintl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define _(s) gettext(s)

void html_text(FILE *out, const char *s)
{
    if (s == NULL)
        return;
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    while (*p) {
        uint32_t cp;
        size_t n = utf8_decode((const char *)p, left, &cp);
        left -= n == 0 ? 1 : n;
        if (n == 0) {
            fputs(UTF8_REPLACEMENT, out);
            p++;
            continue;
        }
        if (n > 1) {
            fwrite(p, 1, n, out);
            p += n;
            continue;
        }
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default:
            if (*p >= 0x20 && *p != 0x7f)
                fputc(*p, out);
            else if (*p == '\n' || *p == '\t')
                fputc(' ', out);
        }
        p++;
    }
}

void html_textf(FILE *out, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    html_text(out, buf);
}

void html_label(FILE *out, const char *msgid)
{
    const char *t = _(msgid);
    html_text(out, t);
    if (strcmp(t, msgid) != 0) {
        fputs(" <span class=\"en\" lang=\"en\">", out);
        html_text(out, msgid);
        fputs("</span>", out);
    }
}

void html_thead(FILE *out, const char *const *msgids, size_t n, unsigned numeric)
{
    fputs("<table class=\"stack\"><thead><tr>", out);
    for (size_t i = 0; i < n; i++) {
        fputs(numeric >> i & 1u ? "<th class=\"n\">" : "<th>", out);
        html_text(out, _(msgids[i]));
        fputs("</th>", out);
    }
    fputs("</tr></thead><tbody>\n", out);
}

void html_td(FILE *out, const char *msgid, int numeric)
{
    fputs(numeric ? "<td class=\"n\" data-label=\"" : "<td data-label=\"", out);
    html_text(out, _(msgid));
    fputs("\">", out);
}

void html_tend(FILE *out) { fputs("</tbody></table>\n", out); }

void html_dt(FILE *out, const char *msgid)
{
    fputs("<dt>", out);
    html_text(out, _(msgid));
    fputs("</dt><dd>", out);
}

void html_fact(FILE *out, const char *msgid, const char *value, int code)
{
    html_dt(out, msgid);
    if (code)
        fputs("<span class=\"code\">", out);
    html_text(out, value);
    fputs(code ? "</span></dd>\n" : "</dd>\n", out);
}

static const char *lang_tag(void)
{
    /* The page's language is the language its messages came out in. */
    const char *probe = _("Red list");
    return strcmp(probe, "Red list") == 0 ? "en" : "zh-CN";
}

void html_begin(FILE *out, const struct html_page *p)
{
    fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
            lang_tag());
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", out);
    fputs("<title>", out);
    html_text(out, p->title);
    if (p->site_name != NULL && *p->site_name) {
        fputs(" - ", out);
        html_text(out, p->site_name);
    }
    fputs("</title>\n", out);
    if (p->canonical != NULL) {
        fputs("<link rel=\"canonical\" href=\"", out);
        html_text(out, p->canonical);
        fputs("\">\n", out);
    }
    fprintf(out, "<link rel=\"stylesheet\" href=\"%sstyle.css\">\n</head>\n<body>\n", p->root);
    fprintf(out, "<header class=\"site\"><a class=\"name\" href=\"%sindex.html\">", p->root);
    html_text(out, p->site_name && *p->site_name ? p->site_name : _("Market inspection results"));
    fputs("</a> <span class=\"sub\">", out);
    /* TRANSLATORS: the site's subtitle: results of random spot checks made
     * public (双随机、一公开). */
    html_text(out, _("Random inspections, results made public"));
    fputs("</span></header>\n<main>\n", out);
}

void html_end(FILE *out, const struct html_page *p)
{
    fputs("</main>\n<footer>\n<p>", out);
    /* TRANSLATORS: %s is a date (YYYY-MM-DD). */
    html_textf(out, _("Data as of %s."), p->as_of ? p->as_of : "");
    fputc(' ', out);
    html_text(out, _("Scores and lists are computed from the inspection records by the published "
                     "rules; each record is kept in a hash-chained audit log."));
    fprintf(out, "</p>\n<p><a href=\"%sindex.html\">", p->root);
    html_text(out, _("All markets"));
    fprintf(out, "</a> · <a href=\"%sdata.html\">", p->root);
    html_text(out, _("Open data (CSV, JSON)"));
    fputs("</a></p>\n</footer>\n</body>\n</html>\n", out);
}

const char html_css[] =
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
    "body{margin:0;background:#fbfaf6;color:#1b1b1b;line-height:1.65;font-size:1rem;"
    "font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"PingFang SC\",\"Hiragino Sans GB\","
    "\"Microsoft YaHei\",\"WenQuanYi Micro Hei\",\"Droid Sans Fallback\",sans-serif;"
    "overflow-wrap:anywhere}\n"
    "a{color:#0b5cad}\n"
    "header.site{background:#9b1c1c;color:#fff;padding:.6rem 1rem}\n"
    "header.site a{color:#fff;text-decoration:none;font-weight:bold;margin-right:.6em}\n"
    "header.site .sub{font-size:.85rem;opacity:.9;display:inline-block}\n"
    "main,footer{max-width:52rem;margin:0 auto;padding:0 1rem}\n"
    "footer{color:#555;font-size:.85rem;border-top:1px solid #e3e0d8;margin-top:2rem;"
    "padding-bottom:2rem}\n"
    "nav.crumbs{font-size:.9rem;margin:.6rem 0 0}\n"
    "h1{font-size:1.45rem;line-height:1.35;margin:.5rem 0 .4rem}\n"
    "h2{font-size:1.15rem;margin:1.6rem 0 .5rem;padding-bottom:.2rem;"
    "border-bottom:2px solid #e3e0d8}\n"
    "h3{font-size:1rem;margin:.2rem 0 .3rem}\n"
    ".en{color:#666;font-size:.8em;font-weight:normal;margin-left:.3em}\n"
    ".code{font-family:\"DejaVu Sans Mono\",monospace;font-size:.9em;word-break:break-all}\n"
    ".score{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;margin:.6rem 0}\n"
    ".score .n{font-size:3rem;font-weight:bold;line-height:1}\n"
    ".tag{display:inline-block;padding:.05rem .5rem;border-radius:.25rem;font-weight:bold;"
    "font-size:.95rem;white-space:nowrap}\n"
    ".t-red{background:#c62828;color:#fff}.t-black{background:#111;color:#fff}\n"
    ".t-green{background:#2e7d32;color:#fff}.t-yellow{background:#f9c74f;color:#111}\n"
    ".t-none{background:#e3e0d8;color:#111}\n"
    ".ok{color:#1b5e20}.bad{color:#b71c1c;font-weight:bold}.muted{color:#666}\n"
    ".reason{border-left:4px solid #111;background:#efede6;padding:.5rem .8rem;margin:.6rem 0}\n"
    "dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.15rem 1rem;"
    "margin:.5rem 0}\n"
    "dl.facts dt{color:#555}dl.facts dd{margin:0;min-width:0}\n"
    "table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}\n"
    "th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;"
    "border-bottom:1px solid #e3e0d8}\n"
    "th{font-size:.9rem;color:#444;background:#f1efe8;font-weight:bold}\n"
    "td.n,th.n{text-align:right;white-space:nowrap}\n"
    "article.visit{border:1px solid #e3e0d8;border-radius:.4rem;padding:.6rem .8rem;"
    "margin:.8rem 0;background:#fff}\n"
    "article.visit p{margin:.2rem 0}\n"
    "ul.plain{padding-left:1.2rem;margin:.3rem 0}\n"
    "pre.record{white-space:pre-wrap;word-break:break-all;background:#fff;"
    "border:1px solid #e3e0d8;padding:.6rem;font-size:.85rem}\n"
    "@media (max-width:40rem){\n"
    "table.stack thead{display:none}\n"
    "table.stack tr{display:block;border-bottom:1px solid #d8d4c8;padding:.35rem 0}\n"
    /* A folded row: each cell a line, its label floated into a margin of
     * its own so the cell's text and spans flow as one paragraph (as flex
     * items they became columns and squeezed "短斤缺两" onto two lines);
     * flow-root makes the cell hold a label longer than its value. */
    "table.stack td{display:flow-root;border:0;padding:.05rem 0 .05rem 7.1em;text-align:left;"
    "white-space:normal}\n"
    "table.stack td::before{content:attr(data-label);float:left;width:6.5em;"
    "margin-left:-7.1em;color:#555}\n"
    "dl.facts{grid-template-columns:minmax(0,1fr)}dl.facts dt{margin-top:.35rem}\n"
    ".score .n{font-size:2.4rem}\n"
    "}\n"
    "@media print{header.site{background:none;color:#000}header.site a{color:#000}}\n";
