#include "report/calcert.h"

#include <libintl.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define _(s) gettext(s)
#define N_(s) (s)

int calcert_load(struct db *db, const char *id, struct calcert *out)
{
    memset(out, 0, sizeof *out);
    struct nawical c;
    struct nawical_row *rows = NULL;
    size_t n = 0;
    int rc = nawical_load(db, id, &c, &rows, &n);
    if (rc < 0)
        return rc;
    if (strcmp(c.status, "committed") != 0 || c.abandoned[0] != '\0') {
        free(rows);
        return sc_error_set(SC_ERR_ARG, "calibration %s has no results (%s): there is no certificate", id,
                            c.abandoned[0] ? "it ended without them" : "it is not finished");
    }
    paper_set(out->id, sizeof out->id, "%s", c.id);
    paper_set(out->number, sizeof out->number, "%s", c.certificate_no);
    paper_set(out->record_no, sizeof out->record_no, "%s", c.record_no);
    paper_head_load(db, c.paper, c.instrument, c.weight_set, c.place, c.temperature, c.humidity, &out->head);
    paper_set(out->calibrated_on, sizeof out->calibrated_on, "%s", c.calibrated_on);
    paper_person(db, c.officer, out->calibrator, sizeof out->calibrator);
    paper_set(out->method, sizeof out->method, "%s",
              "EURAMET cg-18 (v4.0, 2015); JJF 1847-2020 《电子天平校准规范》");
    /* No QR code: a calibration (校准) has no public page to open; its
     * record id is on the paper as its number. */
    out->qr[0] = '\0';
    /* The repeatability's s and the largest eccentricity difference. */
    int64_t rep[CG18_REPEATS];
    int nrep = 0;
    for (size_t i = 0; i < n && i < CG18_STEPS; i++) {
        out->rows[out->nrows++] = rows[i];
        const struct nawical_row *r = &rows[i];
        if (strcmp(r->test, "repeatability") == 0 && nrep < CG18_REPEATS) {
            rep[nrep++] = r->indication_ug;
            paper_grams(r->load_ug, out->repeat_load, sizeof out->repeat_load);
        } else if (strcmp(r->test, "eccentricity") == 0) {
            paper_grams(r->load_ug, out->ecc_load, sizeof out->ecc_load);
        } else if (r->k > 0) {
            out->k = r->k;
        }
    }
    free(rows);
    /* As stored at commit (db/nawical.h): s and |ΔI_ecc|max. */
    int64_t v, ecc = 0;
    if (nrep >= 2 && unc_variance_of_readings(rep, nrep, &v) == 0)
        paper_grams(unc_round_up(unc_isqrt_ceil(v), 2), out->repeat_s, sizeof out->repeat_s);
    for (size_t i = 0; i < out->nrows; i++)
        if (strcmp(out->rows[i].test, "eccentricity") == 0) {
            int64_t d = out->rows[i].error_ug < 0 ? -out->rows[i].error_ug : out->rows[i].error_ug;
            ecc = d > ecc ? d : ecc;
        }
    paper_grams(ecc, out->ecc_max, sizeof out->ecc_max);
    return SC_OK;
}

/* A row's test in the paper's language, Chinese first with the English
 * second on a Chinese paper (report/lang.h); an eccentricity row names
 * where the load stood. */
static void test_cell(const struct nawical_row *r, char *buf, size_t size)
{
    static const char *const pos[] = {N_("centre"), N_("quarter 1"), N_("quarter 2"),
                                      N_("quarter 3"), N_("quarter 4")};
    const char *test = strcmp(r->test, "error") == 0           ? N_("Error of indication")
                       : strcmp(r->test, "repeatability") == 0 ? N_("Repeatability")
                                                                : N_("Eccentricity");
    const char *where = strcmp(r->test, "eccentricity") == 0 && r->position >= 0 && r->position < 5
                            ? pos[r->position]
                            : NULL;
    if (where == NULL)
        paper_set(buf, size, "%s", paper_bi(test));
    else if (paper_lang_is_zh())
        paper_set(buf, size, "%s %s" PAPER_GLOSS_S "%s %s", _(test), _(where), test, where);
    else
        paper_set(buf, size, "%s %s", test, where);
}

/* The cover: the issuer, the client, the instrument, the method and date,
 * the signatures. */
static void cover(struct card *k, const struct calcert *c)
{
    card_field(k, paper_bi(N_("Certificate number")), "%s", c->number);
    paper_head_cover(k, &c->head);
    card_field(k, paper_bi(N_("Calibration method")), "%s", c->method);
    card_field(k, paper_bi(N_("Date of calibration")), "%s", c->calibrated_on);
    paper_sign(k, "校准员", c->calibrator, N_("Calibrated by"));
    paper_sign(k, "核验员", "", N_("Checked by"));
    paper_sign(k, "批准人", "", N_("Approved by"));
    paper_head_contact(k, &c->head);
}

/* The results: repeatability, eccentricity, the errors with U, and how U
 * was found (EURAMET cg-18 clause 7). */
static void results(struct card *k, const struct calcert *c)
{
    card_heading(k, paper_bi(N_("Calibration results (g)")));
    /* TRANSLATORS: the repeatability's standard deviation s, the load, the
     * number of loadings. */
    card_field(k, paper_bi(N_("Repeatability")), _("s = %s g at %s g (%d loadings)"), c->repeat_s,
               c->repeat_load, CG18_REPEATS);
    /* TRANSLATORS: the largest difference of the eccentricity test, its load. */
    card_field(k, paper_bi(N_("Eccentricity")), _("|ΔI|max = %s g at %s g (centre and 4 quarters)"),
               c->ecc_max, c->ecc_load);
    card_table(k, 6, (const int[]){4, 43, 11, 16, 11, 11});
    card_row(k, (const char *[]){"#", paper_bi(N_("Test")), paper_bi(N_("Load")),
                                 paper_bi(N_("Indication")), paper_bi(N_("Error")), "U (k=2)"});
    for (size_t i = 0; i < c->nrows; i++) {
        const struct nawical_row *r = &c->rows[i];
        char no[24], test[160], load[32], ind[32], err[32], U[32];
        snprintf(no, sizeof no, "%zu", i + 1);
        test_cell(r, test, sizeof test);
        paper_grams(r->load_ug, load, sizeof load);
        paper_grams(r->indication_ug, ind, sizeof ind);
        paper_signed_grams(r->error_ug, err, sizeof err);
        if (r->k > 0)
            paper_grams(r->expanded_ug, U, sizeof U);
        else
            snprintf(U, sizeof U, "-");
        card_row(k, (const char *[]){no, test, load, ind, err, U});
    }
    card_para(k, "%s", _("E = I - m_ref, m_ref being the reference weights' conventional mass."));
    /* TRANSLATORS: %d is the coverage factor k (2). */
    card_para(k, _("U: expanded uncertainty, k = %d (about 95 %%), from the rounding at zero and at "
                   "the load, the repeatability, the eccentricity, the reference weights' class MPE "
                   "and air buoyancy (EURAMET cg-18 clause 7). s and U are rounded up to two "
                   "significant digits."),
              c->k ? c->k : CG18_K);
    card_para(k, "%s", _("No conformity is stated; no calibration interval is given."));
    card_para(k, "%s", _("—— End of the certificate ——"));
}

int calcert_card(struct db *db, const char *id, struct card **out)
{
    *out = NULL;
    struct calcert *c = malloc(sizeof *c);
    if (c == NULL)
        return SC_ERR_NOMEM;
    int rc = calcert_load(db, id, c);
    if (rc < 0) {
        free(c);
        return rc;
    }
    struct card *k = card_new();
    if (k == NULL) {
        free(c);
        return SC_ERR_NOMEM;
    }
    card_title(k, paper_bi(N_("Calibration certificate")));
    if (c->qr[0] != '\0')
        card_qr(k, c->qr);
    card_page_numbers(k); /* 第 x 页 共 y 页 */
    cover(k, c);
    card_page(k);
    card_field(k, paper_bi(N_("Certificate number")), "%s", c->number);
    card_field(k, paper_bi(N_("Record number")), "%s", c->record_no);
    paper_head_inner(k, &c->head);
    results(k, c);
    free(c);
    *out = k;
    return SC_OK;
}

int calcert_pdf_lang(struct db *db, const char *id, const char *path, enum paper_lang lang)
{
    struct paper_lang_saved saved;
    paper_lang_begin(lang, &saved);
    struct card *c;
    int rc = calcert_card(db, id, &c);
    if (rc == 0) {
        rc = card_pdf(&c, 1, path);
        card_free(c);
    }
    paper_lang_end(&saved);
    return rc;
}

int calcert_pdf(struct db *db, const char *id, const char *path)
{
    /* A Chinese paper, whatever the screen's language (report/lang.h). */
    return calcert_pdf_lang(db, id, path, PAPER_ZH);
}

int calcert_text_lang(struct db *db, const char *id, FILE *out, enum paper_lang lang)
{
    struct paper_lang_saved saved;
    paper_lang_begin(lang, &saved);
    struct card *c;
    int rc = calcert_card(db, id, &c);
    if (rc == 0) {
        rc = card_text(c, out);
        card_free(c);
    }
    paper_lang_end(&saved);
    return rc;
}

int calcert_text(struct db *db, const char *id, FILE *out)
{
    return calcert_text_lang(db, id, out, PAPER_ZH);
}
