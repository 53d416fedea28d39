#include <stdio.h>
#include <string.h>

#include "core/uncertainty.h"
#include "tui/cal_screens.h"
#include "tui/draw.h"
#include "tui/i18n.h"
#include "tui/scale_screen.h"
#include "tui/text.h"

/* ---- set-up ---- */

void csetup_draw(const void *state, const struct session *ses, int foot)
{
    const struct csetup_state *s = state;
    const struct verify_data *v = &ses->verify;
    char title[128];
    snprintf(title, sizeof title, "%s %s", _("Calibrate"), v->in.code);
    draw_title(title, ses);
    int y = draw_fields(draw_top(), foot, 1, CR_LABEL, v->plate);
    if (ses->cal.draft_waits && y < foot)
        y = draw_wrap(y, foot, 1, CR_WARNING, _("An unfinished calibration waits: OK resumes it"));
    y = conditions_draw(y, foot, &s->form, ses, _("Test-mode interval (empty: d)"));
    if (y < foot)
        draw_wrap(y, foot, 1, CR_DIM,
                  _("EURAMET cg-18: repeatability, eccentricity, errors with U (k = 2)"));
}

/* ---- the readings ---- */

static const char *test_label(enum cg18_test t)
{
    return t == CG18_REPEATABILITY ? _("repeatability") : t == CG18_ECCENTRICITY ? _("eccentricity")
                                                                                 : _("error");
}

void cstep_draw(const void *state, const struct session *ses, int foot)
{
    (void)state;
    const struct cal_data *c = &ses->cal;
    const struct cg18_step *st = &c->step;
    char title[160], line[256], load[32];
    /* The test and its count on a row of their own: with the reading's
     * count in the title they ran past 40 columns ("repeatabili~"). */
    if (c->has_step)
        snprintf(title, sizeof title, "%s  %s %d/%d", ses->verify.in.code, _("Reading"),
                 st->index + 1, c->total);
    else
        snprintf(title, sizeof title, "%s  %s", ses->verify.in.code, _("all readings taken"));
    draw_title(title, ses);
    int y = draw_top(), cols = draw_cols();
    if (c->has_step) {
        draw_textf(y++, 1, cols - 2, CR_LABEL, "%s %d/%d", test_label(st->test), st->k, st->of);
        verify_mass(st->load_ug, load, sizeof load);
        snprintf(line, sizeof line, "%s: %s", _("Total on the receptor"), load);
        draw_text(y++, 1, cols - 2, CR_STABLE, line, 0);
        snprintf(line, sizeof line, "%s: %s", _("Weights"), st->weights);
        draw_text(y++, 1, cols - 2, CR_NORMAL, line, 0);
        static const char *const where[] = {N_("centre"), N_("quarter 1"), N_("quarter 2"), N_("quarter 3"),
                                            N_("quarter 4")};
        snprintf(line, sizeof line, "%s: %s", _("Position"),
                 st->test == CG18_ECCENTRICITY ? _(where[st->position % 5]) : _("centre"));
        draw_text(y++, 1, cols - 2, CR_NORMAL, line, 0);
        if (y < foot)
            y = draw_wrap(y, foot - 2 > y ? foot - 2 : y + 1, 1, CR_DIM,
                          _("Zero the scale, place the load, capture when stable."));
    } else {
        draw_text(y++, 1, cols - 2, CR_STABLE, _("Every reading is taken: 2 for the results"), 0);
    }
    if (y + 2 <= foot) {
        y += scale_draw_panel(&ses->scales[SCALE_STALL], y, 2, _("Scale being calibrated"));
    }
    if (c->has_last && y < foot) {
        char a[32], b[32];
        verify_mass(c->last_load_ug, a, sizeof a);
        verify_mass(c->last_indication_ug, b, sizeof b);
        snprintf(line, sizeof line, "%s: %s -> I = %s", _("Last"), a, b);
        draw_text(y++, 1, cols - 2, CR_NORMAL, line, 0);
    }
    if (y < foot) {
        snprintf(line, sizeof line, _("%d of %d readings"), c->done, c->total);
        draw_text(y, 1, cols - 2, CR_LABEL, line, 0);
    }
}

/* ---- the results ---- */

void cdone_draw(const void *state, const struct session *ses, int foot)
{
    const struct cdone_state *s = state;
    const struct cal_data *c = &ses->cal;
    char title[128], line[320];
    snprintf(title, sizeof title, "%s %s", _("Calibration results"), ses->verify.in.code);
    draw_title(title, ses);
    int y = draw_top(), cols = draw_cols();
    /* Once saved, the certificate's number and path keep their rows whole
     * (they are copied down); the table gives up rows first. */
    char pdf[320];
    snprintf(pdf, sizeof pdf, "%s %s", _("PDF:"), c->certificate_path);
    int keep = c->committed ? 1 + draw_wrap_rows(1, pdf) : 0;
    if (c->has_results) {
        const struct cg18_results *r = &c->results;
        char a[32], b[32], e[32], u[32];
        verify_mass(unc_round_up(r->s_ug, 2), a, sizeof a); /* as on paper */
        verify_mass(r->repeat_load_ug, b, sizeof b);
        snprintf(line, sizeof line, "%s: s = %s (%s)", _("Repeatability"), a, b);
        draw_text(y++, 1, cols - 2, CR_NORMAL, line, 0);
        verify_mass(r->ecc_max_ug, a, sizeof a);
        snprintf(line, sizeof line, "%s: |dI|max = %s", _("Eccentricity"), a);
        if (y < foot)
            draw_text(y++, 1, cols - 2, CR_NORMAL, line, 0);
        if (y < foot)
            draw_text(y++, 1, cols - 2, CR_LABEL, _("Load       Error      U (k = 2)"), 0);
        for (int i = 0; i < r->npoints && y < foot - keep; i++) {
            if (i + 1 < r->npoints && y + 1 == foot - keep && keep > 0) {
                draw_textf(y++, 1, cols - 2, CR_DIM, _("and %d more on the certificate"),
                           r->npoints - i);
                break;
            }
            const struct cg18_point *p = &r->points[i];
            verify_mass(p->load_ug, a, sizeof a);
            verify_signed(p->error_ug, e, sizeof e);
            verify_mass(p->U_report_ug, u, sizeof u);
            snprintf(line, sizeof line, "%-10s %-10s %s", a, e, u);
            draw_text(y++, 1, cols - 2, CR_NORMAL, line, 0);
        }
    } else if (y < foot) {
        y = draw_wrap(y, foot, 1, CR_WARNING, _("Readings remain: the calibration goes on"));
    }
    if (s->typing && y < foot)
        draw_input(y++, _("Why it ends without results"), s->reason, 1, 0);
    if (c->committed) {
        snprintf(line, sizeof line, "%s %s", _("Saved:"), c->certificate_no);
        if (y < foot)
            draw_text(y++, 1, cols - 2, CR_STABLE, line, 0);
        if (y < foot)
            y = draw_wrap(y, foot, 1, CR_NORMAL, pdf);
        if (y < foot)
            draw_text(y++, 1, cols - 2, CR_DIM, _("0 back to the instruments"), 0);
    } else if (y < foot) {
        /* The instruction whole (wrapped), never cut. */
        y = draw_wrap(y, foot, 1, CR_LABEL,
                      _("1 saves the results and writes the calibration certificate; 2 ends it "
                        "without results; 0 goes back"));
    }
}
