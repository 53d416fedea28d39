/* ESC/POS byte building and reading back.  Commands per the Epson ESC/POS
 * command reference (ESC @, ESC E, ESC -, ESC a, ESC d, GS !, GS V, GS ( k
 * functions 165/167/169/180/181 for QR); FS & is the Chinese-mode switch of
 * GB18030 printers. */
#include "devices/escpos.h"

#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "devices/transport.h"

#define ESC 0x1B
#define GS 0x1D
#define FS 0x1C

struct escpos {
    uint8_t *buf;
    size_t len, cap;
};

static int put(struct escpos *e, const void *bytes, size_t n)
{
    if (e->len + n > e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 512;
        while (cap < e->len + n)
            cap *= 2;
        uint8_t *nb = realloc(e->buf, cap);
        if (nb == NULL)
            return sc_error_set(SC_ERR_NOMEM, "out of memory");
        e->buf = nb;
        e->cap = cap;
    }
    memcpy(e->buf + e->len, bytes, n);
    e->len += n;
    return SC_OK;
}

struct escpos *escpos_new(void)
{
    struct escpos *e = calloc(1, sizeof *e);
    if (e == NULL)
        return NULL;
    static const uint8_t init[] = {ESC, '@', FS, '&'};
    if (put(e, init, sizeof init) < 0) {
        free(e);
        return NULL;
    }
    return e;
}

void escpos_free(struct escpos *e)
{
    if (e == NULL)
        return;
    free(e->buf);
    free(e);
}

/* Converts between encodings with iconv; *out malloc'd.  Returns the byte
 * count, or SC_ERR_PARSE with the offset of the first bad input byte. */
static long convert(const char *to, const char *from, const char *in, size_t n, char **out)
{
    iconv_t cd = iconv_open(to, from);
    if (cd == (iconv_t)-1)
        return sc_error_set(SC_ERR_UNSUPPORTED, "iconv cannot convert %s to %s", from, to);
    size_t cap = n * 4 + 16;
    char *buf = malloc(cap);
    if (buf == NULL) {
        iconv_close(cd);
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    }
    char *ip = (char *)in, *op = buf;
    size_t il = n, ol = cap;
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1) {
        size_t at = (size_t)(ip - in);
        iconv_close(cd);
        free(buf);
        return sc_error_set(SC_ERR_PARSE, "byte %zu: not valid %s (or no %s for it)", at, from, to);
    }
    iconv_close(cd);
    *out = buf;
    return (long)(op - buf);
}

int escpos_text(struct escpos *e, const char *utf8)
{
    char *gb;
    long n = convert("GB18030", "UTF-8", utf8, strlen(utf8), &gb);
    if (n < 0)
        return (int)n;
    /* Control bytes in text would be read as commands: refuse them. */
    for (long i = 0; i < n; i++) {
        if ((uint8_t)gb[i] < 0x20 && gb[i] != '\n') {
            free(gb);
            return sc_error_set(SC_ERR_PARSE, "byte %ld: a control character in receipt text", i);
        }
    }
    int rc = put(e, gb, (size_t)n);
    free(gb);
    return rc;
}

int escpos_line(struct escpos *e, const char *utf8)
{
    int rc = escpos_text(e, utf8);
    return rc < 0 ? rc : put(e, "\n", 1);
}

int escpos_bold(struct escpos *e, bool on)
{
    uint8_t c[] = {ESC, 'E', on ? 1 : 0};
    return put(e, c, sizeof c);
}

int escpos_underline(struct escpos *e, bool on)
{
    uint8_t c[] = {ESC, '-', on ? 1 : 0};
    return put(e, c, sizeof c);
}

int escpos_size(struct escpos *e, int width, int height)
{
    if (width < 1 || width > 8 || height < 1 || height > 8)
        return sc_error_set(SC_ERR_RANGE, "character size %dx%d: want 1-8 each way", width, height);
    uint8_t c[] = {GS, '!', (uint8_t)((width - 1) << 4 | (height - 1))};
    return put(e, c, sizeof c);
}

int escpos_align(struct escpos *e, enum escpos_align align)
{
    uint8_t c[] = {ESC, 'a', (uint8_t)align};
    return put(e, c, sizeof c);
}

int escpos_feed(struct escpos *e, int lines)
{
    if (lines < 0 || lines > 255)
        return sc_error_set(SC_ERR_RANGE, "feed %d lines: want 0-255", lines);
    uint8_t c[] = {ESC, 'd', (uint8_t)lines};
    return put(e, c, sizeof c);
}

int escpos_qr(struct escpos *e, const char *data, int module_size)
{
    size_t n = strlen(data);
    if (n == 0 || n > 7089)
        return sc_error_set(SC_ERR_RANGE, "QR data of %zu bytes: want 1-7089", n);
    if (module_size < 1 || module_size > 16)
        return sc_error_set(SC_ERR_RANGE, "QR module size %d: want 1-16", module_size);
    /* fn 165: model 2; fn 167: module size; fn 169: error correction M (49) */
    uint8_t model[] = {GS, '(', 'k', 4, 0, '1', 'A', '2', 0};
    uint8_t size[] = {GS, '(', 'k', 3, 0, '1', 'C', (uint8_t)module_size};
    uint8_t ecc[] = {GS, '(', 'k', 3, 0, '1', 'E', '1'};
    /* fn 180: store the data (pL pH count cn fn m as well) */
    size_t k = n + 3;
    uint8_t store[] = {GS, '(', 'k', (uint8_t)(k & 0xFF), (uint8_t)(k >> 8), '1', 'P', '0'};
    /* fn 181: print the stored symbol */
    uint8_t print[] = {GS, '(', 'k', 3, 0, '1', 'Q', '0'};
    int rc;
    if ((rc = put(e, model, sizeof model)) < 0 || (rc = put(e, size, sizeof size)) < 0 ||
        (rc = put(e, ecc, sizeof ecc)) < 0 || (rc = put(e, store, sizeof store)) < 0 ||
        (rc = put(e, data, n)) < 0 || (rc = put(e, print, sizeof print)) < 0)
        return rc;
    return SC_OK;
}

int escpos_cut(struct escpos *e)
{
    /* GS V 66 n: feed n dots past the cutter, then a partial cut. */
    uint8_t c[] = {GS, 'V', 66, 0};
    return put(e, c, sizeof c);
}

int escpos_raw(struct escpos *e, const uint8_t *bytes, size_t len)
{
    return put(e, bytes, len);
}

const uint8_t *escpos_bytes(const struct escpos *e, size_t *len)
{
    *len = e->len;
    return e->buf;
}

int escpos_write_file(const struct escpos *e, const char *path)
{
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (tmp == NULL)
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    snprintf(tmp, n, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int rc = sc_error_set(SC_ERR_IO, "%s: %s", path, strerror(errno));
        free(tmp);
        return rc;
    }
    size_t done = 0;
    while (done < e->len) {
        ssize_t w = write(fd, e->buf + done, e->len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    int ok = done == e->len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int rc = sc_error_set(SC_ERR_IO, "%s: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return rc;
    }
    free(tmp);
    return SC_OK;
}

int escpos_send(const struct escpos *e, const char *conn, const char *serialcomm)
{
    struct serialcomm sc;
    int rc = serialcomm_parse(serialcomm ? serialcomm : "9600/8n1", &sc);
    if (rc < 0)
        return rc;
    struct transport *t;
    rc = transport_open(conn, &sc, TRANSPORT_AUTO, &t);
    if (rc < 0)
        return rc;
    /* A receipt at 9600 baud takes a second or two; allow for a slow printer. */
    rc = transport_write(t, e->buf, e->len, 10000);
    transport_close(t);
    return rc < 0 ? rc : SC_OK;
}

/* ---- reading back ---- */

struct out {
    char *s;
    size_t len, cap;
};

static int out_put(struct out *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 256;
        while (cap < o->len + n + 1)
            cap *= 2;
        char *ns = realloc(o->s, cap);
        if (ns == NULL)
            return sc_error_set(SC_ERR_NOMEM, "out of memory");
        o->s = ns;
        o->cap = cap;
    }
    memcpy(o->s + o->len, s, n);
    o->len += n;
    o->s[o->len] = '\0';
    return SC_OK;
}

static int out_mark(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int out_mark(struct out *o, const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return out_put(o, buf, (size_t)n);
}

/* The GB18030 text run [start, end) as UTF-8. */
static int flush_text(struct out *o, const uint8_t *bytes, size_t start, size_t end)
{
    if (end <= start)
        return SC_OK;
    char *u;
    long n = convert("UTF-8", "GB18030", (const char *)bytes + start, end - start, &u);
    if (n < 0)
        return sc_error_set(SC_ERR_PARSE, "offset %zu: text is not GB18030", start);
    int rc = out_put(o, u, (size_t)n);
    free(u);
    return rc;
}

int escpos_decode(const uint8_t *b, size_t len, char **result)
{
    struct out o = {0};
    int rc = out_put(&o, "", 0);
    char *qr = NULL;
    size_t text_start = 0, i = 0;
#define NEED(k)                                                                              \
    do {                                                                                     \
        if (i + (k) > len) {                                                                 \
            rc = sc_error_set(SC_ERR_PARSE, "offset %zu: command cut short", i);              \
            goto done;                                                                       \
        }                                                                                    \
    } while (0)
    while (rc == SC_OK && i < len) {
        uint8_t c = b[i];
        if (c >= 0x20 || c == '\n') {
            i++;
            continue; /* text; LF passes through the conversion */
        }
        if ((rc = flush_text(&o, b, text_start, i)) < 0)
            break;
        if (c == ESC) {
            NEED(2);
            uint8_t f = b[i + 1];
            if (f == '@') {
                rc = out_mark(&o, "[init]");
                i += 2;
            } else if (f == 'E' || f == '-' || f == 'a' || f == 'd') {
                NEED(3);
                uint8_t n = b[i + 2];
                if (f == 'E')
                    rc = out_mark(&o, n & 1 ? "[bold]" : "[/bold]");
                else if (f == '-')
                    rc = out_mark(&o, n ? "[underline]" : "[/underline]");
                else if (f == 'a')
                    rc = out_mark(&o, "%s", n == 0 || n == '0' ? "[left]" : n == 1 || n == '1' ? "[center]" : "[right]");
                else
                    rc = out_mark(&o, "[feed %u]", n);
                i += 3;
            } else {
                rc = sc_error_set(SC_ERR_PARSE, "offset %zu: unknown command ESC 0x%02X", i, f);
            }
        } else if (c == FS) {
            NEED(2);
            if (b[i + 1] == '&')
                rc = out_mark(&o, "[cjk]");
            else if (b[i + 1] == '.')
                rc = out_mark(&o, "[/cjk]");
            else
                rc = sc_error_set(SC_ERR_PARSE, "offset %zu: unknown command FS 0x%02X", i, b[i + 1]);
            i += 2;
        } else if (c == GS) {
            NEED(2);
            uint8_t f = b[i + 1];
            if (f == '!') {
                NEED(3);
                rc = out_mark(&o, "[size %dx%d]", (b[i + 2] >> 4) + 1, (b[i + 2] & 7) + 1);
                i += 3;
            } else if (f == 'V') {
                NEED(3);
                uint8_t m = b[i + 2];
                i += (m == 65 || m == 66) ? 4 : 3;
                if (i > len) {
                    rc = sc_error_set(SC_ERR_PARSE, "offset %zu: command cut short", i - 4);
                    break;
                }
                rc = out_mark(&o, "[cut]");
            } else if (f == '(') {
                NEED(5);
                if (b[i + 2] != 'k') {
                    rc = sc_error_set(SC_ERR_PARSE, "offset %zu: unknown command GS ( 0x%02X", i, b[i + 2]);
                    break;
                }
                size_t k = (size_t)b[i + 3] | (size_t)b[i + 4] << 8;
                NEED(5 + k);
                if (k >= 2 && b[i + 5] == '1' && b[i + 6] == 'P' && k >= 3) {
                    free(qr);
                    qr = malloc(k - 2);
                    if (qr == NULL) {
                        rc = sc_error_set(SC_ERR_NOMEM, "out of memory");
                        break;
                    }
                    memcpy(qr, b + i + 8, k - 3);
                    qr[k - 3] = '\0';
                } else if (k >= 2 && b[i + 5] == '1' && b[i + 6] == 'Q') {
                    if (qr == NULL) {
                        rc = sc_error_set(SC_ERR_PARSE, "offset %zu: QR print with no data stored", i);
                        break;
                    }
                    rc = out_mark(&o, "[qr ");
                    if (rc == SC_OK)
                        rc = out_put(&o, qr, strlen(qr));
                    if (rc == SC_OK)
                        rc = out_put(&o, "]", 1);
                }
                i += 5 + k;
            } else {
                rc = sc_error_set(SC_ERR_PARSE, "offset %zu: unknown command GS 0x%02X", i, f);
            }
        } else {
            rc = sc_error_set(SC_ERR_PARSE, "offset %zu: unexpected control byte 0x%02X", i, c);
        }
        text_start = i;
    }
    if (rc == SC_OK)
        rc = flush_text(&o, b, text_start, len);
done:
#undef NEED
    free(qr);
    if (rc < 0) {
        free(o.s);
        return rc;
    }
    *result = o.s;
    return SC_OK;
}
