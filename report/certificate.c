#include "report/certificate.h"

#include <libintl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mass.h"
#include "core/procedure.h"
#include "db/calibration.h"
#include "db/officer.h"
#include "db/registry.h"
#include "report/lang.h"
#include "report/site_path.h"

#define _(s) gettext(s)
#define N_(s) (s)

void certificate_number(const char *day, const char *calibration_id, int pass, char *buf,
                        size_t size)
{
    calibration_number(pass ? "JD" : "TZ", day, calibration_id, buf, size);
}

/* A test's name on the paper (gettext msgids; Chinese first on a Chinese
 * paper, report/lang.h). */
static const struct {
    const char *test, *label;
} tests[] = {
    {"general", N_("General requirements")}, {"levelling", N_("Levelling")},
    {"pre-load", N_("Pre-load")},           {"zero", N_("Zero")},
    {"weighing", N_("Weighing")},           {"eccentricity", N_("Eccentricity")},
    {"repeatability", N_("Repeatability")}, {"tare", N_("Tare")},
    {"discrimination", N_("Discrimination")}, {"price", N_("Price computation")},
};

/* The name with its English second (a table's cell), or in the paper's
 * language alone (in a list of several). */
static const char *test_label(const char *test)
{
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (strcmp(tests[i].test, test) == 0)
            return paper_bi(tests[i].label);
    return test;
}

static const char *test_name(const char *test)
{
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (strcmp(tests[i].test, test) == 0)
            return _(tests[i].label);
    return test;
}

static const char *kind_label(const char *kind)
{
    if (strcmp(kind, "first") == 0)
        return paper_bi(N_("First verification"));
    if (strcmp(kind, "in-service") == 0)
        return paper_bi(N_("In-service inspection"));
    return paper_bi(N_("Subsequent verification"));
}

int certificate_load(struct db *db, const char *id, struct certificate *out)
{
    memset(out, 0, sizeof *out);
    struct calibration c;
    struct calibration_step *steps = NULL;
    size_t n = 0;
    int rc = calibration_load(db, id, &c, &steps, &n, NULL);
    if (rc < 0)
        return rc;
    if (strcmp(c.status, "committed") != 0 || c.abandoned[0] != '\0' || c.verdict[0] == '\0') {
        free(steps);
        return sc_error_set(SC_ERR_ARG, "calibration %s has no verdict (%s): there is no paper to print",
                            id, c.abandoned[0] ? "it was abandoned" : "it is not finished");
    }
    int pass = strcmp(c.verdict, "pass") == 0;
    out->paper = pass ? CERT_VERIFICATION : CERT_NOTICE;
    paper_set(out->id, sizeof out->id, "%s", c.id);
    paper_set(out->number, sizeof out->number, "%s", c.certificate_no);
    paper_set(out->record_no, sizeof out->record_no, "%s", c.record_no);
    paper_head_load(db, c.paper, c.instrument, c.weight_set, c.place, c.temperature, c.humidity, &out->head);
    paper_set(out->kind, sizeof out->kind, "%s", kind_label(c.kind));
    /* The stored code names the regulation; its title from the engine. */
    int is1204 = strcmp(c.regulation, "JJG 1204-2025") == 0;
    const struct proc_regulation *reg = proc_regulation_for(is1204, is1204 ? day_from_ymd(2027, 1, 8) : 0);
    paper_set(out->regulation, sizeof out->regulation, "%s 《%s》",
        c.regulation[0] ? c.regulation : reg->code, reg->title_zh);
    if (pass)
        /* TRANSLATORS: the verdict of a passed verification; %s is the accuracy
         * class (Ⅲ). */
        paper_set(out->conclusion, sizeof out->conclusion, _("Class %s, passed"), out->head.cls);
    else
        paper_set(out->conclusion, sizeof out->conclusion, "%s", _("Failed"));
    paper_set(out->verified_on, sizeof out->verified_on, "%s", c.verified_on[0] ? c.verified_on : "");
    if (out->verified_on[0] == '\0')
        paper_set(out->verified_on, sizeof out->verified_on, "%.10s", c.ended_at); /* before schema 8 */
    if (pass)
        paper_set(out->valid_until, sizeof out->valid_until, "%s", c.next_due);
    paper_person(db, c.officer, out->verifier, sizeof out->verifier);
    paper_person(db, c.checker, out->checker, sizeof out->checker);
    paper_person(db, c.approver, out->approver, sizeof out->approver);
    if (pass) {
        paper_set(out->mark_no, sizeof out->mark_no, "%s", c.mark_no);
        paper_set(out->seal_no, sizeof out->seal_no, "%s", c.seal_no);
    }
    paper_set(out->reason, sizeof out->reason, "%s", c.note);
    /* The QR opens the certificate's public page (cert/ID.html) when the
     * bureau publishes one (the setting public_base_url); without it the
     * paper carries no code (one that opens nothing helps no one). */
    char base[512], url[1024];
    if (db_setting_get(db, SITE_BASE_SETTING, base, sizeof base) == 0 && site_base_valid(base) &&
        site_url(base, SITE_CERT, c.id, url, sizeof url) == 0)
        paper_set(out->qr, sizeof out->qr, "%s", url);

    out->rows = calloc(n ? n : 1, sizeof *out->rows);
    if (out->rows == NULL) {
        free(steps);
        return SC_ERR_NOMEM;
    }
    size_t flen = 0;
    for (size_t i = 0; i < n; i++) {
        const struct calibration_step *s = &steps[i];
        struct certificate_row *row = &out->rows[out->nrows++];
        paper_set(row->test_id, sizeof row->test_id, "%s", s->test);
        paper_set(row->test, sizeof row->test, "%s", test_label(s->test));
        paper_set(row->position, sizeof row->position, "%s", s->position);
        paper_set(row->note, sizeof row->note, "%s", s->note);
        int check = strcmp(s->test, "general") == 0 || strcmp(s->test, "levelling") == 0 ||
                    strcmp(s->test, "pre-load") == 0;
        if (!check)
            paper_grams(s->load_ug, row->load, sizeof row->load);
        if (s->has_indication && !check)
            paper_grams(s->indication_ug, row->indication, sizeof row->indication);
        if (s->judged && !check && strcmp(s->test, "price") != 0) {
            paper_signed_grams(s->error_ug, row->error, sizeof row->error);
            char a[32];
            paper_grams(s->mpe_ug, a, sizeof a);
            paper_set(row->bound, sizeof row->bound, "%s%s",
                strcmp(s->test, "discrimination") == 0 ? ">=" : "±", a);
        }
        paper_set(row->verdict, sizeof row->verdict, "%s", !s->judged ? "" : s->pass ? _("Pass") : _("Fail"));
        /* The notice names each failed test once. */
        if (s->judged && !s->pass && strstr(out->failed, s->test) == NULL && flen < sizeof out->failed) {
            paper_set(out->failed + flen, sizeof out->failed - flen, "%s%s", flen ? _(", ") : "", test_name(s->test));
            flen = strlen(out->failed);
        }
    }
    free(steps);
    return SC_OK;
}

void certificate_free(struct certificate *c)
{
    free(c->rows);
    c->rows = NULL;
    c->nrows = 0;
}

static const char *or_dash(const char *s)
{
    return s[0] ? s : "-";
}

/* The verdict's reason, wrapped: a PDF row does not wrap itself. */
static void para_wrapped(struct card *k, const char *text)
{
    for (const char *p = text; *p != '\0';) {
        size_t len = strlen(p), cut = len;
        if (len > 64) { /* beside the QR code at the top right */
            cut = 64;
            while (cut > 40 && p[cut] != ' ')
                cut--;
            while (cut > 0 && ((unsigned char)p[cut] & 0xc0) == 0x80)
                cut--;
        }
        card_para(k, "%.*s", (int)cut, p);
        p += cut;
        while (*p == ' ')
            p++;
    }
}

int certificate_card(struct db *db, const char *id, struct card **out)
{
    *out = NULL;
    struct certificate c;
    int rc = certificate_load(db, id, &c);
    if (rc < 0)
        return rc;
    struct card *k = card_new();
    if (k == NULL) {
        certificate_free(&c);
        return SC_ERR_NOMEM;
    }
    int pass = c.paper == CERT_VERIFICATION;
    card_title(k, pass ? paper_bi(N_("Verification certificate"))
                       : paper_bi(N_("Notice of failed verification")));
    if (c.qr[0] != '\0')
        card_qr(k, c.qr);
    card_page_numbers(k); /* 第 x 页 共 y 页 */
    /* The cover. */
    card_field(k, paper_bi(N_("Certificate number")), "%s", c.number);
    paper_head_cover(k, &c.head);
    card_field(k, paper_bi(N_("Kind of verification")), "%s", c.kind);
    card_field(k, paper_bi(N_("Regulation")), "%s", c.regulation);
    card_field(k, paper_bi(N_("Conclusion")), "%s", c.conclusion);
    card_field(k, paper_bi(N_("Date of verification")), "%s", c.verified_on);
    if (pass) {
        card_field(k, paper_bi(N_("Valid until")), "%s", c.valid_until);
        /* TRANSLATORS: the verification mark's number, then the seal's. */
        card_field(k, paper_bi(N_("Verification mark")), _("%s; seal %s"), c.mark_no, c.seal_no);
    } else {
        card_field(k, paper_bi(N_("Failed items")), "%s", c.failed);
        card_field(k, paper_bi(N_("Action")), "%s",
                   _("Stop using it; repair it and have it verified again."));
    }
    paper_sign(k, "检定员", c.verifier, N_("Verified by"));
    paper_sign(k, "核验员", c.checker, N_("Checked by"));
    paper_sign(k, "批准人", c.approver, N_("Approved by"));
    paper_head_contact(k, &c.head);
    /* The inner pages. */
    card_page(k);
    card_field(k, paper_bi(N_("Certificate number")), "%s", c.number);
    card_field(k, paper_bi(N_("Record number")), "%s", c.record_no);
    paper_head_inner(k, &c.head);
    para_wrapped(k, c.reason);
    /* Three tables: the checks answered, the readings judged, the price. */
    static const char *const headings[3] = {
        N_("General requirements"),
        N_("Results (g; Ec = E - E0; MPE after R76-1 Table 6)"),
        N_("Price computation (JJG 1204-2025 6.9; R76-1 4.14)"),
    };
    for (int part = 0; part < 3; part++) {
        int started = 0;
        for (size_t i = 0; i < c.nrows; i++) {
            const struct certificate_row *r = &c.rows[i];
            int is_price = strcmp(r->test_id, "price") == 0;
            int in_part = part == 0 ? r->load[0] == '\0' : part == 1 ? r->load[0] && !is_price : is_price;
            if (!in_part)
                continue;
            if (!started) {
                card_heading(k, paper_bi(headings[part]));
                if (part == 1) {
                    card_table(k, 8, (const int[]){4, 20, 14, 10, 10, 8, 8, 7});
                    card_row(k, (const char *[]){"#", paper_bi(N_("Test")), "", paper_bi(N_("Load")),
                                                 paper_bi(N_("Indication")), "Ec", paper_bi(N_("MPE")),
                                                 ""});
                } else {
                    card_table(k, 5, (const int[]){3, 17, 14, 41, 7});
                    card_row(k, (const char *[]){"#", paper_bi(N_("Item")),
                                                 part == 0 ? "" : paper_bi(N_("Weight shown")),
                                                 part == 0 ? paper_bi(N_("Answer"))
                                                           : paper_bi(N_("Unit price, amount to pay")),
                                                 ""});
                }
                started = 1;
            }
            char no[24];
            snprintf(no, sizeof no, "%zu", i + 1);
            if (part == 1) {
                card_row(k, (const char *[]){no, r->test, r->position, r->load, or_dash(r->indication),
                                             or_dash(r->error), or_dash(r->bound), r->verdict});
            } else {
                /* The price test's weight shown goes where a check item's name does. */
                char weight[32];
                snprintf(weight, sizeof weight, "%s g", r->indication);
                card_row(k, (const char *[]){no, r->test, part == 2 ? weight : r->position, r->note,
                                             r->verdict});
            }
        }
    }
    card_para(k, "%s", pass ? _("—— End of the certificate ——") : _("—— End of the notice ——"));
    certificate_free(&c);
    *out = k;
    return 0;
}

int certificate_pdf_lang(struct db *db, const char *id, const char *path, enum paper_lang lang)
{
    struct paper_lang_saved saved;
    paper_lang_begin(lang, &saved);
    struct card *c;
    int rc = certificate_card(db, id, &c);
    if (rc == 0) {
        rc = card_pdf(&c, 1, path);
        card_free(c);
    }
    paper_lang_end(&saved);
    return rc;
}

int certificate_pdf(struct db *db, const char *id, const char *path)
{
    /* A Chinese paper, whatever the screen's language (report/lang.h). */
    return certificate_pdf_lang(db, id, path, PAPER_ZH);
}

int certificate_text(struct db *db, const char *id, FILE *out)
{
    struct paper_lang_saved saved;
    paper_lang_begin(PAPER_ZH, &saved);
    struct card *c;
    int rc = certificate_card(db, id, &c);
    if (rc == 0) {
        rc = card_text(c, out);
        card_free(c);
    }
    paper_lang_end(&saved);
    return rc;
}
