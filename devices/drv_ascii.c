/* A generic stream-only ASCII scale: the many scales (price-computing scales
 * from domestic makers among them) that print a fixed-layout line and take no
 * commands.  The layout is a short pattern, one character per byte:
 *
 *   s  the sign: '+', '-' or space
 *   n  the number: digits, one '.', spaces as padding, a '-' before the digits
 *   u  the unit (spaces trimmed)
 *   f  the stable flag (compared with stable= / unstable= / overload=)
 *   ?  any byte
 *   \x the literal x; any other character is itself, a literal that must match
 *
 * Options (in the connection string, or as key=value lines in a device file
 * given with file=PATH; '#' starts a comment line, spaces around a value go,
 * so a pattern that starts or ends with a space writes it "\ "):
 *   pattern=   the layout above (required)
 *   end=       crlf (default), cr, lf, or none (fixed-length frames found by
 *              the pattern's leading literal)
 *   unit=      the unit when the pattern has no u (or to override it)
 *   decimals=  digits after the point when the number has no '.'
 *   stable=S unstable=U overload=OL underload=UL   the flag texts (defaults
 *              S, U, none, none); overload and underload also match a whole
 *              line whose text, spaces aside, is theirs (Sartorius prints
 *              "High" and "Low" in place of the weight: LE, Quintix manuals,
 *              data output format, special outputs)
 *   error=Err  a line whose text, spaces aside, starts with this is the
 *              device's error message ("Err 255"), kept as the reason
 *   reverse=1  the number's characters come least significant first
 *
 * A frame with no f field has no stable flag: the window rule decides
 * (devices/stability.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "devices/driver.h"
#include "devices/drv_util.h"

#define ASCII_MAX_PATTERN 64

enum { END_CRLF, END_CR, END_LF, END_NONE };

struct ascii_state {
    char kind[ASCII_MAX_PATTERN];   /* per byte: 's','n','u','f','?' or 'L' literal */
    char lit[ASCII_MAX_PATTERN];
    size_t len;
    int end;
    char unit[READING_UNIT_MAX];
    int decimals;                   /* -1: none given */
    char stable[8], unstable[8], overload[8], underload[8], error[8];
    int reverse;
    int has_flag, has_unit;
    /* The pattern as runs of one kind (the parser works a run at a time). */
    struct { char kind; uint8_t start, len; } seg[ASCII_MAX_PATTERN];
    size_t n_seg;
};

/* Bytes a number field may hold: digits, the point, padding, a sign. */
static const uint8_t num_ok[256] = {
    [' '] = 1, ['.'] = 1, ['+'] = 1, ['-'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
    ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
};

static int set_opt(struct ascii_state *st, const char *k, const char *v);

static int load_file(struct ascii_state *st, const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return sc_error_set(SC_ERR_NOTFOUND, "ascii: %s: cannot open", path);
    char line[256];
    int lineno = 0, rc = SC_OK;
    while (rc == SC_OK && fgets(line, sizeof line, f) != NULL) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\0')
            continue;
        char *eq = strchr(p, '=');
        if (eq == NULL) {
            rc = sc_error_set(SC_ERR_PARSE, "ascii: %s:%d: not key=value", path, lineno);
            break;
        }
        *eq = '\0';
        char *k = p, *ke = eq;
        while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
            *--ke = '\0';
        if (strcmp(k, "file") == 0) {
            rc = sc_error_set(SC_ERR_PARSE, "ascii: %s:%d: file= inside a device file", path, lineno);
            break;
        }
        /* Spaces around the value go; a pattern that starts or ends with
         * a space writes it as "\ ". */
        char *v = eq + 1, *ve = v + strlen(v);
        while (*v == ' ' || *v == '\t')
            v++;
        while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t') && !(ve - 1 > v && ve[-2] == '\\'))
            *--ve = '\0';
        rc = set_opt(st, k, v);
        if (rc < 0) {
            char msg[200];
            snprintf(msg, sizeof msg, "%s", sc_error_message());
            rc = sc_error_set(rc, "%s:%d: %s", path, lineno, msg);
        }
    }
    fclose(f);
    return rc;
}

static int set_opt(struct ascii_state *st, const char *k, const char *v)
{
    if (strcmp(k, "pattern") == 0) {
        st->len = 0;
        st->has_flag = st->has_unit = 0;
        int has_number = 0;
        for (const char *p = v; *p; p++) {
            if (st->len == ASCII_MAX_PATTERN)
                return sc_error_set(SC_ERR_ARG, "ascii: pattern longer than %d", ASCII_MAX_PATTERN);
            char c = *p;
            if (c == '\\' && p[1]) {
                st->kind[st->len] = 'L';
                st->lit[st->len++] = *++p;
                continue;
            }
            if (c == 's' || c == 'n' || c == 'u' || c == 'f' || c == '?') {
                st->kind[st->len] = c;
                st->lit[st->len++] = 0;
                has_number |= c == 'n';
                st->has_flag |= c == 'f';
                st->has_unit |= c == 'u';
            } else {
                st->kind[st->len] = 'L';
                st->lit[st->len++] = c;
            }
        }
        if (!has_number)
            return sc_error_set(SC_ERR_ARG, "ascii: pattern '%s' has no number field n", v);
        return SC_OK;
    }
    if (strcmp(k, "end") == 0) {
        if (strcmp(v, "crlf") == 0)
            st->end = END_CRLF;
        else if (strcmp(v, "cr") == 0)
            st->end = END_CR;
        else if (strcmp(v, "lf") == 0)
            st->end = END_LF;
        else if (strcmp(v, "none") == 0)
            st->end = END_NONE;
        else
            return sc_error_set(SC_ERR_ARG, "ascii: end=%s: want crlf, cr, lf or none", v);
        return SC_OK;
    }
    if (strcmp(k, "unit") == 0) {
        if (strlen(v) >= sizeof st->unit)
            return sc_error_set(SC_ERR_ARG, "ascii: unit=%s: too long", v);
        snprintf(st->unit, sizeof st->unit, "%s", v);
        return SC_OK;
    }
    if (strcmp(k, "decimals") == 0) {
        if (strlen(v) != 1 || v[0] < '0' || v[0] > '9')
            return sc_error_set(SC_ERR_ARG, "ascii: decimals=%s: want 0-9", v);
        st->decimals = v[0] - '0';
        return SC_OK;
    }
    if (strcmp(k, "stable") == 0 || strcmp(k, "unstable") == 0 || strcmp(k, "overload") == 0 ||
        strcmp(k, "underload") == 0 || strcmp(k, "error") == 0) {
        char *dst = k[0] == 's'                   ? st->stable
                    : strcmp(k, "unstable") == 0  ? st->unstable
                    : strcmp(k, "underload") == 0 ? st->underload
                    : k[0] == 'e'                 ? st->error
                                                  : st->overload;
        /* "\x" is x, as in the pattern: a flag that is a space ("stable=\ ",
         * OHAUS prints a space when stable and '?' when not). */
        size_t n = 0;
        for (const char *c = v; *c; c++) {
            if (*c == '\\' && c[1])
                c++;
            if (n + 1 >= 8)
                return sc_error_set(SC_ERR_ARG, "ascii: %s=%s: too long", k, v);
            dst[n++] = *c;
        }
        dst[n] = '\0';
        return SC_OK;
    }
    if (strcmp(k, "reverse") == 0) {
        st->reverse = strcmp(v, "1") == 0 || strcmp(v, "yes") == 0;
        return SC_OK;
    }
    return sc_error_set(SC_ERR_ARG, "ascii: unknown option '%s'", k);
}

static int state_new(void **state, const struct driver_opt *opts, size_t n)
{
    struct ascii_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    st->decimals = -1;
    snprintf(st->stable, sizeof st->stable, "S");
    snprintf(st->unstable, sizeof st->unstable, "U");
    int rc = SC_OK;
    /* A device file first, so options given beside it override it. */
    for (size_t i = 0; i < n && rc == SC_OK; i++)
        if (strcmp(opts[i].key, "file") == 0)
            rc = load_file(st, opts[i].value);
    for (size_t i = 0; i < n && rc == SC_OK; i++)
        if (strcmp(opts[i].key, "file") != 0)
            rc = set_opt(st, opts[i].key, opts[i].value);
    if (rc == SC_OK && st->len == 0)
        rc = sc_error_set(SC_ERR_ARG, "ascii: a pattern= is required (or file=PATH)");
    if (rc == SC_OK && st->end == END_NONE && st->kind[0] != 'L')
        rc = sc_error_set(SC_ERR_ARG, "ascii: end=none needs a pattern that starts with a literal");
    for (size_t i = 0; rc == SC_OK && i < st->len; i++) {
        if (st->n_seg > 0 && st->seg[st->n_seg - 1].kind == st->kind[i]) {
            st->seg[st->n_seg - 1].len++;
        } else {
            st->seg[st->n_seg].kind = st->kind[i];
            st->seg[st->n_seg].start = (uint8_t)i;
            st->seg[st->n_seg].len = 1;
            st->n_seg++;
        }
    }
    if (rc < 0) {
        free(st);
        return rc;
    }
    *state = st;
    return SC_OK;
}

static void state_free(void *state)
{
    free(state);
}

static int fail(struct reading *r, const char *why)
{
    READING_SET(r, info, why);
    return -1;
}

/* A line that is one of the device's special outputs rather than a
 * weight: 1 and r filled (overload, underload, or the error text). */
static int special_line(const struct ascii_state *st, const uint8_t *s, size_t n,
                        struct reading *r)
{
    if (!st->overload[0] && !st->underload[0] && !st->error[0])
        return 0;
    char text[ASCII_MAX_PATTERN + 1];
    size_t k = 0;
    for (size_t i = 0; i < n && k < sizeof text - 1; i++)
        if (s[i] != ' ')
            text[k++] = (char)s[i];
    text[k] = '\0';
    if (st->overload[0] && strcmp(text, st->overload) == 0) {
        r->status = READING_STATUS_OVERLOAD;
        READING_SET(r, info, "overload");
    } else if (st->underload[0] && strcmp(text, st->underload) == 0) {
        r->status = READING_STATUS_UNDERLOAD;
        READING_SET(r, info, "underload");
    } else if (st->error[0] && strncmp(text, st->error, strlen(st->error)) == 0) {
        r->status = READING_STATUS_ERROR;
        drv_printable(r->info, sizeof r->info, s, n);
    } else {
        return 0;
    }
    if (st->unit[0])
        READING_SET(r, unit, st->unit);
    return 1;
}

static int parse_frame(void *state, const uint8_t *s, size_t n, struct reading *r)
{
    struct ascii_state *st = state;
    if (n != st->len)
        return fail(r, "length differs from the pattern");
    if (special_line(st, s, n, r))
        return 0;
    char num[ASCII_MAX_PATTERN + 4], unit[ASCII_MAX_PATTERN + 1], flag[ASCII_MAX_PATTERN + 1];
    size_t nn = 0, un = 0, fn = 0;
    char sign = ' ';
    for (size_t g = 0; g < st->n_seg; g++) {
        const uint8_t *p = s + st->seg[g].start;
        size_t len = st->seg[g].len;
        switch (st->seg[g].kind) {
        case 'L':
            if (memcmp(p, st->lit + st->seg[g].start, len) != 0)
                return fail(r, "a literal of the pattern does not match");
            break;
        case 's':
            for (size_t i = 0; i < len; i++) {
                if (p[i] != '+' && p[i] != '-' && p[i] != ' ')
                    return fail(r, "bad sign");
                sign = (char)p[i];
            }
            break;
        case 'n':
            for (size_t i = 0; i < len; i++)
                if (!num_ok[p[i]])
                    return fail(r, "bad character in the number");
            memcpy(num + nn, p, len);
            nn += len;
            break;
        case 'u':
            for (size_t i = 0; i < len; i++) {
                if (p[i] < 0x20 || p[i] == 0x7f)
                    return fail(r, "bad character in the unit");
                if (p[i] != ' ')
                    unit[un++] = (char)p[i];
            }
            break;
        case 'f':
            memcpy(flag + fn, p, len);
            fn += len;
            break;
        default:
            break;
        }
    }
    unit[un] = flag[fn] = '\0';
    if (st->reverse)
        for (size_t i = 0; i < nn / 2; i++) {
            char t = num[i];
            num[i] = num[nn - 1 - i];
            num[nn - 1 - i] = t;
        }
    num[nn] = '\0';
    /* The number: padding spaces around, an optional sign, digits and at
     * most one point; the sign field (if any) goes in front of it. */
    char digits[ASCII_MAX_PATTERN + 4];
    size_t k = 0;
    int nsign = 0, point = 0, ended = 0;
    for (size_t i = 0; i < nn; i++) {
        char c = num[i];
        if (c == ' ') {
            ended = k > 0;
            continue;
        }
        if (ended)
            return fail(r, "space inside the number");
        if (c == '-' || c == '+') {
            if (k > 0 || nsign)
                return fail(r, "sign inside the number");
            nsign = c;
            continue;
        }
        point += c == '.';
        digits[k++] = c;
    }
    if (point > 1)
        return fail(r, "two points in the number");
    if (point == 0 && st->decimals > 0 && k > 0) {
        size_t dec = (size_t)st->decimals;
        while (k <= dec) { /* "5" with 2 decimals is 0.05 */
            memmove(digits + 1, digits, k);
            digits[0] = '0';
            k++;
        }
        memmove(digits + k - dec + 1, digits + k - dec, dec);
        digits[k - dec] = '.';
        k++;
    }
    digits[k] = '\0';
    if (sign == '-' && nsign == '-')
        return fail(r, "two signs");
    char text[ASCII_MAX_PATTERN + 8];
    size_t tn = 0;
    if (sign == '-' || nsign == '-')
        text[tn++] = '-';
    memcpy(text + tn, digits, k + 1);
    tn += k;
    if (st->overload[0] && strcmp(flag, st->overload) == 0) {
        r->status = READING_STATUS_OVERLOAD;
        READING_SET(r, info, "overload");
    } else if (st->underload[0] && strcmp(flag, st->underload) == 0) {
        r->status = READING_STATUS_UNDERLOAD;
        READING_SET(r, info, "underload");
    } else if (reading_set_text(r, text, tn) < 0) {
        return fail(r, "bad number");
    }
    const char *u = st->unit[0] ? st->unit : unit;
    if (strlen(u) >= sizeof r->unit)
        return fail(r, "unit too long");
    memcpy(r->unit, u, strlen(u) + 1);
    if (st->has_flag) {
        if (strcmp(flag, st->stable) == 0) {
            r->stable = true;
            r->stable_reported = true;
        } else if (strcmp(flag, st->unstable) == 0) {
            r->stable = false;
            r->stable_reported = true;
        } else if (r->status == READING_STATUS_OK) {
            return fail(r, "unknown stable flag");
        }
    }
    return 0;
}

static enum frame_result frame(void *state, const uint8_t *buf, size_t len, bool at_end,
                               size_t *used, struct reading *out)
{
    struct ascii_state *st = state;
    if (st->end == END_CRLF)
        return drv_line_frame(state, buf, len, st->len + 16, st->len, parse_frame, "ascii", used, out);
    if (st->end == END_NONE) {
        if (buf[0] != (uint8_t)st->lit[0]) {
            const uint8_t *next = memchr(buf, st->lit[0], len);
            *used = next ? (size_t)(next - buf) : len;
            return FRAME_INVALID;
        }
        if (len < st->len)
            return at_end ? (*used = len, FRAME_INVALID) : FRAME_NEED_MORE;
        if (parse_frame(state, buf, st->len, out) < 0) {
            *used = 1;
            return FRAME_INVALID;
        }
        *used = st->len;
        return FRAME_OK;
    }
    /* CR or LF alone ends the frame. */
    uint8_t term = st->end == END_CR ? '\r' : '\n';
    size_t scan = len < st->len + 17 ? len : st->len + 17;
    const uint8_t *t = memchr(buf, term, scan);
    if (t == NULL) {
        if (len >= st->len + 17) {
            *used = 1;
            return FRAME_INVALID;
        }
        return FRAME_NEED_MORE;
    }
    size_t n = (size_t)(t - buf);
    if (n > st->len) {
        *used = n - st->len; /* leading junk */
        return FRAME_INVALID;
    }
    *used = n + 1;
    if (parse_frame(state, buf, n, out) < 0) {
        char why[READING_INFO_MAX];
        snprintf(why, sizeof why, "%s", out->info);
        char txt[64];
        drv_printable(txt, sizeof txt, buf, n);
        reading_set_bad(out, "ascii: '%s': %s", txt, why);
    }
    return FRAME_OK;
}

static int encode(void *state, const struct reading *r, uint8_t *buf, size_t size)
{
    struct ascii_state *st = state;
    if (r->kind != READING_VALUE)
        return sc_error_set(SC_ERR_UNSUPPORTED, "ascii: streams values only");
    char f[ASCII_MAX_PATTERN + 4];
    size_t n = st->len;
    /* Field widths, to right-align the number and the unit. */
    size_t nw = 0, uw = 0, fw = 0;
    for (size_t i = 0; i < n; i++) {
        nw += st->kind[i] == 'n';
        uw += st->kind[i] == 'u';
        fw += st->kind[i] == 'f';
    }
    int has_sign = memchr(st->kind, 's', n) != NULL;
    char num[ASCII_MAX_PATTERN + 1], unit[ASCII_MAX_PATTERN + 1], flag[ASCII_MAX_PATTERN + 1];
    const char *mag = r->has_value ? drv_magnitude(r) : "";
    char digits[READING_TEXT_MAX];
    snprintf(digits, sizeof digits, "%s", mag);
    if (st->decimals > 0) {
        /* an implied point: send the digits without it */
        char *pt = strchr(digits, '.');
        if (pt != NULL)
            memmove(pt, pt + 1, strlen(pt));
    }
    char body[READING_TEXT_MAX + 2];
    snprintf(body, sizeof body, "%s%s", !has_sign && r->has_value && r->text[0] == '-' ? "-" : "", digits);
    if (strlen(body) > nw)
        return sc_error_set(SC_ERR_RANGE, "ascii: '%s' is wider than the pattern's %zu", body, nw);
    snprintf(num, sizeof num, "%*s", (int)nw, body);
    if (st->reverse)
        for (size_t i = 0; i < nw / 2; i++) {
            char t = num[i];
            num[i] = num[nw - 1 - i];
            num[nw - 1 - i] = t;
        }
    if (strlen(r->unit) > uw && uw > 0)
        return sc_error_set(SC_ERR_RANGE, "ascii: unit '%s' is wider than %zu", r->unit, uw);
    snprintf(unit, sizeof unit, "%*s", (int)uw, uw ? r->unit : "");
    const char *fl = r->status == READING_STATUS_OVERLOAD && st->overload[0] ? st->overload
                     : r->stable ? st->stable : st->unstable;
    if (fw > 0 && strlen(fl) != fw)
        return sc_error_set(SC_ERR_RANGE, "ascii: flag '%s' does not fill %zu", fl, fw);
    snprintf(flag, sizeof flag, "%s", fw ? fl : "");
    size_t in = 0, iu = 0, iff = 0;
    for (size_t i = 0; i < n; i++) {
        switch (st->kind[i]) {
        case 'L': f[i] = st->lit[i]; break;
        case 's': f[i] = r->has_value && r->text[0] == '-' ? '-' : '+'; break;
        case 'n': f[i] = num[in++]; break;
        case 'u': f[i] = unit[iu++]; break;
        case 'f': f[i] = flag[iff++]; break;
        default: f[i] = ' '; break;
        }
    }
    size_t len = n;
    if (st->end == END_CRLF || st->end == END_CR)
        f[len++] = '\r';
    if (st->end == END_CRLF || st->end == END_LF)
        f[len++] = '\n';
    if (size < len)
        return sc_error_set(SC_ERR_RANGE, "frame does not fit");
    memcpy(buf, f, len);
    return (int)len;
}

const struct driver driver_ascii = {
    .name = "ascii",
    .maker = "any stream-only ASCII scale",
    .description = "generic fixed-layout ASCII stream, described by a pattern",
    .serialcomm = "9600/8n1",
    .flags = DRIVER_STREAMS,
    .max_frame = ASCII_MAX_PATTERN + 18,
    .options_help = "pattern=P end=crlf|cr|lf|none unit=U decimals=N stable=S unstable=U "
                    "overload=O underload=U error=E reverse=1 file=PATH",
    .state_new = state_new,
    .state_free = state_free,
    .frame = frame,
    .encode = encode,
};
