/* Where each record's public page lives (一公开): the one place that names
 * them, for the site writer and for every QR code on paper, so a code
 * printed today opens the page published tomorrow.
 *
 *   stall/CODE.html    a stall: score, list, inspections, re-weighs
 *   market/CODE.html   a market: its red/black list and figures
 *   draw/ID.html       a recorded draw (双随机) with its seed
 *   cert/ID.html       a verification certificate (检定证书) or notice
 *
 * A code made only of ASCII letters, digits, '-', '_' and '.' (not first)
 * is its own file name; any other is written "x-" and its bytes in hex, so
 * every path is safe in a URL and on any file system without escaping. */
#ifndef STALLCHECK_REPORT_SITE_PATH_H
#define STALLCHECK_REPORT_SITE_PATH_H

#include <stddef.h>

enum site_kind { SITE_STALL, SITE_MARKET, SITE_DRAW, SITE_CERT };

/* The page's path relative to the site's root ("stall/M01-003.html").
 * SC_ERR_RANGE when it does not fit. */
int site_path(enum site_kind kind, const char *key, char *buf, size_t size);

/* The page's public URL: base (the setting public_base_url, with or
 * without its final '/') joined to site_path.  SC_ERR_ARG when base is
 * not an http(s) URL. */
int site_url(const char *base, enum site_kind kind, const char *key, char *buf, size_t size);

/* Whether base is an absolute http:// or https:// URL with a host. */
int site_base_valid(const char *base);

/* The setting that holds the base URL. */
#define SITE_BASE_SETTING "public_base_url"

#endif
