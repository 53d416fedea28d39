#include "report/paper_head.h"

#include <libintl.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/mass.h"
#include "db/officer.h"
#include "db/paper.h"
#include "report/lang.h"
#include "db/registry.h"

#define _(s) gettext(s)
#define N_(s) (s)

void paper_set(char *dst, size_t size, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    size_t n = strlen(tmp);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)tmp[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(dst, tmp, n);
    dst[n] = '\0';
}

void paper_grams(int64_t ug, char *buf, size_t size)
{
    char num[32];
    mass_format(ug < 0 ? -ug : ug, MASS_G, num, sizeof num);
    paper_set(buf, size, "%s%s", ug < 0 ? "-" : "", num);
}

void paper_signed_grams(int64_t ug, char *buf, size_t size)
{
    char num[32];
    mass_format(ug < 0 ? -ug : ug, MASS_G, num, sizeof num);
    paper_set(buf, size, "%s%s", ug > 0 ? "+" : ug < 0 ? "-" : "", num);
}

void paper_person(struct db *db, const char *badge, char *buf, size_t size)
{
    buf[0] = '\0';
    if (badge == NULL || badge[0] == '\0')
        return;
    struct officer o;
    memset(&o, 0, sizeof o);
    officer_find(db, badge, &o);
    paper_set(buf, size, "%s %s", badge, o.name);
}

static const char *roman(const char *cls)
{
    return strcmp(cls, "I") == 0     ? "Ⅰ"
           : strcmp(cls, "II") == 0  ? "Ⅱ"
           : strcmp(cls, "III") == 0 ? "Ⅲ"
           : strcmp(cls, "IIII") == 0 ? "Ⅳ"
                                      : cls;
}

void paper_head_load(struct db *db, const char *paper, const char *instrument, const char *weight_set,
                     const char *place, const char *temperature, const char *humidity,
                     struct paper_head *out)
{
    memset(out, 0, sizeof *out);
    paper_get(paper, "issuer.name", out->issuer, sizeof out->issuer);
    paper_get(paper, "issuer.authorisation", out->issuer_authorisation, sizeof out->issuer_authorisation);
    paper_get(paper, "issuer.address", out->issuer_address, sizeof out->issuer_address);
    paper_get(paper, "issuer.phone", out->issuer_phone, sizeof out->issuer_phone);
    paper_get(paper, "issuer.email", out->issuer_email, sizeof out->issuer_email);
    paper_get(paper, "applicant", out->applicant, sizeof out->applicant);
    paper_get(paper, "instrument.name", out->instrument_name, sizeof out->instrument_name);
    paper_get(paper, "standard.name", out->standard, sizeof out->standard);
    paper_get(paper, "standard.range", out->standard_range, sizeof out->standard_range);
    paper_get(paper, "standard.accuracy", out->standard_accuracy, sizeof out->standard_accuracy);
    paper_get(paper, "standard.cert", out->standard_cert, sizeof out->standard_cert);
    char rcert[96], runtil[16];
    paper_get(paper, "reference.cert", rcert, sizeof rcert);
    paper_get(paper, "reference.until", runtil, sizeof runtil);
    /* TRANSLATORS: the reference weight set, its certificate and its validity. */
    paper_set(out->reference, sizeof out->reference, _("%s, certificate %s, valid until %s"),
              weight_set[0] ? weight_set : "-", rcert[0] ? rcert : "-", runtil[0] ? runtil : "-");
    struct instrument in;
    memset(&in, 0, sizeof in);
    registry_find_instrument(db, instrument, &in);
    paper_set(out->instrument_code, sizeof out->instrument_code, "%s", instrument);
    paper_set(out->model, sizeof out->model, "%s%s%s", in.maker, in.maker[0] && in.model[0] ? " " : "",
              in.model);
    paper_set(out->serial, sizeof out->serial, "%s", in.serial);
    paper_set(out->cls, sizeof out->cls, "%s", roman(in.cls));
    char a[32], b[32], e[32];
    paper_grams(in.max_ug, a, sizeof a);
    paper_grams(in.min_ug, b, sizeof b);
    paper_grams(in.e_ug, e, sizeof e);
    paper_set(out->plate, sizeof out->plate, "%s  Max %s g  Min %s g  e = %s g", out->cls, a, b, e);
    paper_set(out->place, sizeof out->place, "%s", place);
    paper_set(out->temperature, sizeof out->temperature, "%s", temperature);
    paper_set(out->humidity, sizeof out->humidity, "%s", humidity);
}

static const char *or_dash(const char *s)
{
    return s[0] ? s : "-";
}

void paper_head_cover(struct card *k, const struct paper_head *h)
{
    card_field(k, paper_bi(N_("Issued by")), "%s", h->issuer);
    card_field(k, paper_bi(N_("Authorisation number")), "%s", h->issuer_authorisation);
    card_field(k, paper_bi(N_("Applicant")), "%s", or_dash(h->applicant));
    card_field(k, paper_bi(N_("Instrument")), "%s  %s", h->instrument_name, h->instrument_code);
    card_field(k, paper_bi(N_("Model")), "%s%s%s", h->model, h->model[0] ? "  " : "", h->plate);
    card_field(k, paper_bi(N_("Serial number")), "%s", or_dash(h->serial));
}

void paper_head_contact(struct card *k, const struct paper_head *h)
{
    card_field(k, paper_bi(N_("Address")), "%s", or_dash(h->issuer_address));
    card_field(k, paper_bi(N_("Phone")), "%s   %s", or_dash(h->issuer_phone), h->issuer_email);
}

void paper_head_inner(struct card *k, const struct paper_head *h)
{
    card_field(k, paper_bi(N_("Measurement standard")), "%s", or_dash(h->standard));
    card_field(k, paper_bi(N_("Range")), "%s   %s", or_dash(h->standard_range), h->standard_accuracy);
    card_field(k, paper_bi(N_("Standard's certificate")), "%s", or_dash(h->standard_cert));
    card_field(k, paper_bi(N_("Reference weights")), "%s", h->reference);
    card_field(k, paper_bi(N_("Place")), "%s", or_dash(h->place));
    card_field(k, paper_bi(N_("Conditions")), "%s °C   %s %%RH", or_dash(h->temperature),
               or_dash(h->humidity));
}

int paper_sign(struct card *k, const char *role_zh, const char *name, const char *role_en)
{
    char label[192];
    /* A Chinese paper: "检定员" with the English role after it; an English
     * one: "Verified by".  The name goes over the line to sign on. */
    if (paper_lang_is_zh())
        snprintf(label, sizeof label, "%s" PAPER_GLOSS_S "%s", role_zh, role_en);
    else
        snprintf(label, sizeof label, "%s", role_en);
    return card_sign_named(k, label, name);
}
