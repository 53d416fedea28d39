#include "report/site_path.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

static const char *const dirs[] = {
    [SITE_STALL] = "stall", [SITE_MARKET] = "market", [SITE_DRAW] = "draw", [SITE_CERT] = "cert"};

static int plain(const char *key)
{
    if (key[0] == '\0' || key[0] == '.')
        return 0;
    for (const char *p = key; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return 0;
    }
    /* "x-..." is the hex form: a plain key that looks like one is encoded
     * too, so two keys never share a page. */
    return strncmp(key, "x-", 2) != 0;
}

int site_path(enum site_kind kind, const char *key, char *buf, size_t size)
{
    if ((unsigned)kind > SITE_CERT || key == NULL)
        return sc_error_set(SC_ERR_ARG, "site_path: no such page");
    size_t n;
    if (plain(key)) {
        n = (size_t)snprintf(buf, size, "%s/%s.html", dirs[kind], key);
    } else {
        n = (size_t)snprintf(buf, size, "%s/x-", dirs[kind]);
        for (const unsigned char *p = (const unsigned char *)key; *p && n < size; p++)
            n += (size_t)snprintf(buf + n, size - n, "%02x", *p);
        if (n < size)
            n += (size_t)snprintf(buf + n, size - n, ".html");
    }
    if (n >= size)
        return sc_error_set(SC_ERR_RANGE, "site_path: '%s' is too long for a page name", key);
    return 0;
}

int site_base_valid(const char *base)
{
    if (base == NULL)
        return 0;
    const char *host = strncmp(base, "https://", 8) == 0  ? base + 8
                       : strncmp(base, "http://", 7) == 0 ? base + 7
                                                          : NULL;
    if (host == NULL || *host == '\0' || *host == '/')
        return 0;
    /* No spaces, controls, quotes or angle brackets: it goes into QR codes
     * and HTML attributes as it is. */
    for (const unsigned char *p = (const unsigned char *)base; *p; p++)
        if (*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\' || *p == 0x7f)
            return 0;
    return 1;
}

int site_url(const char *base, enum site_kind kind, const char *key, char *buf, size_t size)
{
    if (!site_base_valid(base))
        return sc_error_set(SC_ERR_ARG, "public base URL '%s' is not an http(s) URL",
                            base ? base : "");
    char path[512];
    int rc = site_path(kind, key, path, sizeof path);
    if (rc < 0)
        return rc;
    size_t b = strlen(base);
    int slash = b > 0 && base[b - 1] == '/';
    if ((size_t)snprintf(buf, size, "%s%s%s", base, slash ? "" : "/", path) >= size)
        return sc_error_set(SC_ERR_RANGE, "site_url: the URL is too long");
    return 0;
}
