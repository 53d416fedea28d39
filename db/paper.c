#include "db/paper.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/mass.h"
#include "core/r111.h"

/* Copies at most size - 1 bytes, never cutting a UTF-8 character. */
static void copy(char *dst, size_t size, const char *src)
{
    size_t n = src != NULL ? strlen(src) : 0;
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
            n--;
    }
    if (n > 0)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

/* The parts, up to a NULL, one after another into buf (cut like copy). */
static void join(char *buf, size_t size, ...)
{
    va_list ap;
    va_start(ap, size);
    size_t len = 0;
    buf[0] = '\0';
    for (const char *part = va_arg(ap, const char *); part != NULL; part = va_arg(ap, const char *)) {
        copy(buf + len, size - len, part);
        len += strlen(buf + len);
    }
    va_end(ap);
}

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, const char *key, const char *val)
{
    if (o->len >= o->size)
        return;
    char clean[512];
    snprintf(clean, sizeof clean, "%s", val != NULL ? val : "");
    for (char *p = clean; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    int n = snprintf(o->buf + o->len, o->size - o->len, "%s=%s\n", key, clean);
    if (n > 0)
        o->len += (size_t)n;
}

void paper_get(const char *paper, const char *key, char *buf, size_t size)
{
    size_t k = strlen(key);
    buf[0] = '\0';
    for (const char *p = paper; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n > k && strncmp(p, key, k) == 0 && p[k] == '=') {
            snprintf(buf, size, "%.*s", (int)(n - k - 1), p + k + 1);
            return;
        }
        p += n + (nl ? 1 : 0);
    }
}

const char *paper_instrument_name(const char *kind)
{
    if (strcmp(kind, "price-computing") == 0)
        return "电子计价秤";
    if (strcmp(kind, "platform") == 0)
        return "电子台秤";
    if (strcmp(kind, "fair") == 0)
        return "电子秤（公平秤）";
    return "电子秤";
}

void paper_number(const char *prefix, const char *day, const char *id, char *buf, size_t size)
{
    char digits[9] = "";
    size_t n = 0;
    for (const char *p = day; *p && n < 8; p++)
        if (*p >= '0' && *p <= '9')
            digits[n++] = *p;
    digits[n] = '\0';
    char hex[7] = "";
    size_t h = 0;
    for (const char *p = id; *p && h < 6; p++)
        if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))
            hex[h++] = (char)(*p >= 'a' ? *p - 32 : *p);
    hex[h] = '\0';
    snprintf(buf, size, "%s%s-%s", prefix, digits, hex);
}

/* The issuing body (settings issuing_body*), the applicant (the stall's
 * operator, else the market), the instrument's name and the reference
 * standard, as they are today. */
int paper_snapshot(struct db *db, const struct instrument *in, const char *weight_set, char *paper,
                   size_t size, char *place, size_t place_size)
{
    struct out o = {paper, size, 0};
    static const char *const bureau[][2] = {
        {"issuer.name", "issuing_body"},       {"issuer.authorisation", "issuing_body.authorisation"},
        {"issuer.address", "issuing_body.address"}, {"issuer.phone", "issuing_body.phone"},
        {"issuer.email", "issuing_body.email"},
    };
    paper[0] = '\0';
    for (size_t i = 0; i < sizeof bureau / sizeof bureau[0]; i++) {
        char v[256] = "";
        db_setting_get(db, bureau[i][1], v, sizeof v);
        if (v[0] == '\0' && i < 2)
            return sc_error_set(SC_ERR_ARG, "the issuing body's %s is not set: a certificate must "
                                "carry it (stallcheck settings set %s ...)",
                                i == 0 ? "name" : "authorisation number", bureau[i][1]);
        put(&o, bureau[i][0], v);
    }
    struct market m;
    memset(&m, 0, sizeof m);
    registry_find_market(db, in->market, &m);
    char applicant[256];
    struct stall stall;
    struct stall_operator op;
    if (in->stall[0] && registry_find_stall(db, in->stall, &stall) == 0 && stall.operator_licence[0] &&
        registry_find_operator(db, stall.operator_licence, &op) == 0)
        join(applicant, sizeof applicant, op.name, "（", m.name, " ", in->stall, "）", (char *)NULL);
    else if (m.organiser[0])
        join(applicant, sizeof applicant, m.organiser, "（", m.name, "）", (char *)NULL);
    else
        join(applicant, sizeof applicant, m.name[0] ? m.name : in->market, (char *)NULL);
    put(&o, "applicant", applicant);
    put(&o, "instrument.name", paper_instrument_name(in->kind));
    if (place[0] == '\0')
        join(place, place_size, m.name[0] ? m.name : in->market, "（现场 on site）", (char *)NULL);
    struct weight_set ws;
    if (weight_set[0] && registry_find_weight_set(db, weight_set, &ws) == 0) {
        enum r111_class cls = R111_NONE;
        r111_class_parse(ws.cls, &cls);
        put(&o, "standard.name", ws.standard_name[0] ? ws.standard_name : "标准砝码 standard weights");
        put(&o, "standard.cert", ws.standard_cert_no);
        int64_t lo = 0, hi = 0;
        for (size_t i = 0; i < ws.nitems; i++) {
            if (lo == 0 || ws.items[i].nominal_ug < lo)
                lo = ws.items[i].nominal_ug;
            if (ws.items[i].nominal_ug > hi)
                hi = ws.items[i].nominal_ug;
        }
        char a[32], b[32], range[96];
        mass_format(lo, lo >= MASS_KG ? MASS_KG : lo >= MASS_G ? MASS_G : MASS_MG, a, sizeof a);
        mass_format(hi, hi >= MASS_KG ? MASS_KG : hi >= MASS_G ? MASS_G : MASS_MG, b, sizeof b);
        snprintf(range, sizeof range, "%s %s – %s %s", a, lo >= MASS_KG ? "kg" : lo >= MASS_G ? "g" : "mg",
                 b, hi >= MASS_KG ? "kg" : hi >= MASS_G ? "g" : "mg");
        put(&o, "standard.range", range);
        char acc[64];
        snprintf(acc, sizeof acc, "OIML R111 %s", r111_class_name(cls));
        put(&o, "standard.accuracy", acc);
        put(&o, "reference.cert", ws.certificate_no);
        put(&o, "reference.until", ws.calibration_due);
    }
    if (o.len >= o.size)
        return sc_error_set(SC_ERR_RANGE, "the certificate's particulars are too long");
    return SC_OK;
}

