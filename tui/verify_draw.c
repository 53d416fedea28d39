#include <stdio.h>
#include <string.h>

#include "tui/draw.h"
#include "core/utf8.h"
#include "tui/i18n.h"
#include "tui/scale_screen.h"
#include "tui/text.h"
#include "tui/verify_screens.h"

static const char *test_label(enum proc_test t)
{
    switch (t) {
    case PROC_ZERO: return _("zero");
    case PROC_WEIGHING: return _("weighing");
    case PROC_ECCENTRICITY: return _("eccentricity");
    case PROC_REPEATABILITY: return _("repeatability");
    case PROC_TARE: return _("tare");
    case PROC_DISCRIMINATION: return _("discrimination");
    default: return "?";
    }
}

/* The step's instruction in the screen's language, from the step's fields
 * (core/procedure.h writes its own in English, for logs and the CLI). */
static void instruction(const struct verify_data *v, const struct proc_step *st, char *buf,
                        size_t size)
{
    char what[320] = "";
    switch (st->test) {
    case PROC_ZERO:
        snprintf(what, sizeof what, "%s", _("Empty the receptor and set zero."));
        break;
    case PROC_WEIGHING:
        snprintf(what, sizeof what, "%s",
                 st->unloading ? _("Unloading: place the load at the centre.")
                               : _("Loading: place the load at the centre."));
        break;
    case PROC_ECCENTRICITY:
        snprintf(what, sizeof what, _("Place the load in the middle of segment %d."),
                 st->segment);
        break;
    case PROC_REPEATABILITY:
        snprintf(what, sizeof what, _("Series %d: place the load at the centre; take it off "
                                      "and let the scale return to zero between weighings."),
                 st->series);
        break;
    case PROC_TARE:
        snprintf(what, sizeof what, "%s",
                 st->k == 1 ? _("Place the tare and tare the scale (net 0).")
                            : _("With the tare on, add the net load."));
        break;
    case PROC_DISCRIMINATION: {
        char extra[32];
        verify_mass(st->extra_ug, extra, sizeof extra);
        if (!st->after_extra)
            snprintf(what, sizeof what, "%s",
                     _("Place the load with ten 0.1 d weights; capture the indication I."));
        else
            snprintf(what, sizeof what,
                     _("Take the 0.1 d weights off one by one until the indication drops to "
                       "I - d, put one back, then gently add %s (1.4 d); capture: it must "
                       "reach I + d."),
                     extra);
        snprintf(buf, size, "%s", what);
        return;
    }
    default:
        break;
    }
    /* How to read it: the test mode's display, or the error-point method
     * (R76-1 A.4.4.3). */
    snprintf(buf, size, "%s %s", what,
             v->direct ? _("Capture when stable.")
                       : _("Capture when stable, then add 0.1 e weights until the indication "
                           "steps up by e and type the weights added."));
}

/* ---- the instrument list ---- */

void vpick_draw(const void *state, const struct session *ses, int foot)
{
    const struct vpick_state *s = state;
    draw_title(_("Verification: pick an instrument"), ses);
    int y = draw_top(), cols = draw_cols();
    const struct verify_data *v = &ses->verify;
    if (s->typing)
        draw_input(y++, _("Search"), s->query, 1, 0);
    if (v->n_instruments == 0) {
        draw_text(y + 1, 1, cols - 2, CR_NORMAL, _("No weighing instruments registered."), 0);
        return;
    }
    int rows = foot - y;
    /* Rows shown: the matches, scrolled so the selected one is visible. */
    int idx[VERIFY_MAX_INSTRUMENTS], n = 0, at = 0;
    for (int i = 0; i < v->n_instruments; i++)
        if (vpick_matches(s, &v->instruments[i])) {
            if (i == s->sel)
                at = n;
            idx[n++] = i;
        }
    int first = at >= rows ? at - rows + 1 : 0;
    for (int k = first; k < n && y < foot; k++, y++) {
        const struct verify_instrument_row *r = &v->instruments[idx[k]];
        char line[256];
        /* What decides the order first, so a 40-column handheld shows it. */
        snprintf(line, sizeof line, "%-12s %-4s %s %s%s%s %s", r->code, r->cls,
                 r->due[0] ? r->due : _("never verified"), r->overdue ? _("OVERDUE") : "",
                 r->overdue ? " " : "", r->stall[0] ? r->stall : r->market,
                 r->draft ? _(" [unfinished]") : "");
        enum tui_role role = idx[k] == s->sel ? CR_SELECTED
                             : r->overdue    ? CR_WARNING
                                             : CR_NORMAL;
        draw_text(y, 0, cols, role, line, 1);
    }
}

/* ---- set-up ---- */

void vsetup_draw(const void *state, const struct session *ses, int foot)
{
    const struct vsetup_state *s = state;
    const struct verify_data *v = &ses->verify;
    char title[128];
    snprintf(title, sizeof title, "%s %s", _("Verify"), v->in.code);
    draw_title(title, ses);
    int y = draw_top(), cols = draw_cols();
    draw_text(y++, 1, cols - 2, CR_LABEL, v->plate, 0);
    draw_input(y++, _("Weight set (Up/Down)"), s->set, s->field == VSETUP_SET, 0);
    draw_input(y++, _("Room temperature (deg C)"), s->temp, s->field == VSETUP_TEMP, 0);
    draw_input(y++, _("Test-mode interval (empty: e)"), s->display, s->field == VSETUP_DISPLAY,
               0);
    if (y < foot)
        draw_text(y++, 1, cols - 2, CR_DIM,
                  _("Empty interval: the error-point method (0.1 e weights)"), 0);
    if (y < foot)
        draw_text(y++, 1, cols - 2, CR_LABEL, _("Weight sets (R111 class, calibration due):"), 0);
    for (int i = 0; i < v->n_sets && y < foot; i++, y++) {
        const struct verify_set_row *w = &v->sets[i];
        char line[160];
        snprintf(line, sizeof line, "%-14s %-4s %s %s", w->code, w->cls,
                 w->due[0] ? w->due : "?", w->expired ? _("EXPIRED") : "");
        draw_text(y, 2, cols - 3,
                  strcmp(w->code, s->set) == 0 ? CR_SELECTED
                  : w->expired                 ? CR_OUT_OF_TOLERANCE
                                               : CR_NORMAL,
                  line, 0);
    }
}

/* ---- the procedure ---- */

static void draw_result(int y, int foot, const struct verify_data *v)
{
    int cols = draw_cols();
    if (!v->has_result || y >= foot)
        return;
    const struct proc_result *r = &v->last;
    char ec[32], lim[32], line[256];
    verify_signed(r->corrected_ug, ec, sizeof ec);
    verify_mass(r->limit_ug, lim, sizeof lim);
    enum tui_role role = r->pass ? CR_WITHIN_TOLERANCE : CR_OUT_OF_TOLERANCE;
    if (!r->judged) {
        char ind[32];
        verify_mass(r->indication_ug, ind, sizeof ind);
        snprintf(line, sizeof line, "%s %d: I = %s %s", _("Last"), r->index + 1, ind,
                 _("(recorded)"));
        draw_text(y, 1, cols - 2, CR_NORMAL, line, 0);
        return;
    }
    const char *what = r->test == PROC_DISCRIMINATION ? _("rise") : "Ec";
    snprintf(line, sizeof line, "%s %d: %s %s  %s +-%s  %s", _("Last"), r->index + 1, what, ec,
             r->test == PROC_DISCRIMINATION ? _("at least") : "MPE", lim,
             r->pass ? _("PASS") : _("FAIL"));
    draw_text(y++, 1, cols - 2, role, line, 0);
    if (y >= foot || r->test == PROC_DISCRIMINATION)
        return;
    /* The error against the MPE as a bar: the brackets are -MPE and +MPE. */
    int w = cols - 4 < 41 ? cols - 4 : 41;
    char bar[64];
    verify_bar(r->corrected_ug, r->limit_ug, w, bar, sizeof bar);
    draw_text(y, 2, cols - 3, role, bar, 0);
}

void vstep_draw(const void *state, const struct session *ses, int foot)
{
    const struct vstep_state *s = state;
    const struct verify_data *v = &ses->verify;
    const struct proc_step *st = &v->step;
    char title[160];
    if (v->has_step)
        snprintf(title, sizeof title, "%s  %s %d/%d  %s %d/%d", v->in.code, _("Step"),
                 st->index + 1, v->verdict.total, test_label(st->test), st->k, st->of);
    else
        snprintf(title, sizeof title, "%s  %s", v->in.code, _("all steps done"));
    draw_title(title, ses);
    int y = draw_top(), cols = draw_cols();
    if (v->has_step) {
        char load[32], line[256];
        verify_mass(st->load_ug, load, sizeof load);
        snprintf(line, sizeof line, "%s: %s", _("Total on the receptor"), load);
        draw_text(y++, 1, cols - 2, CR_STABLE, line, 0);
        if (st->test == PROC_TARE) {
            /* Under a tare the scale shows the net load (R76-1 3.5.3.3). */
            char tare[32], net[32];
            verify_mass(st->tare_ug, tare, sizeof tare);
            verify_mass(st->net_ug, net, sizeof net);
            snprintf(line, sizeof line, "%s: %s, %s: %s", _("Tare"), tare, _("net shown"), net);
            draw_text(y++, 1, cols - 2, CR_NORMAL, line, 0);
        }
        if (st->weights[0] != '\0') {
            snprintf(line, sizeof line, "%s: %s", _("Weights"), st->weights);
            draw_text(y++, 1, cols - 2, CR_NORMAL, line, 0);
        }
        if (st->segment > 0)
            snprintf(line, sizeof line, "%s: %s %d", _("Position"), _("segment"), st->segment);
        else
            snprintf(line, sizeof line, "%s: %s", _("Position"), _("centre"));
        draw_text(y++, 1, cols - 2, CR_NORMAL, line, 0);
        if (st->test == PROC_DISCRIMINATION && v->direct && y < foot)
            draw_text(y++, 1, cols - 2, CR_WARNING,
                      _("Normal display for this test (leave the test mode)"), 0);
        char how[512];
        instruction(v, st, how, sizeof how);
        y = draw_wrap(y, foot - 5 > y ? foot - 5 : y + 1, 1, CR_DIM, how);
    } else {
        draw_text(y++, 1, cols - 2, CR_STABLE, _("Every step is done: 2 for the verdict"), 0);
    }
    if (y + 2 <= foot) {
        scale_draw_panel(&ses->scales[SCALE_STALL], y, 2, _("Scale under test"));
        y += 2;
    }
    if (s->typing && y < foot) {
        char ind[32], label[96];
        verify_mass(s->indication_ug, ind, sizeof ind);
        snprintf(label, sizeof label, "I = %s, %s", ind, _("weights added (g)"));
        draw_input(y++, label, s->added, 1, 0);
    }
    draw_result(y, foot, v);
    y += 2;
    if (y < foot) {
        char line[160];
        snprintf(line, sizeof line, _("%d of %d readings, %d failed"), v->verdict.done,
                 v->verdict.total, v->verdict.failures);
        draw_text(y, 1, cols - 2, v->verdict.failures ? CR_OUT_OF_TOLERANCE : CR_LABEL, line, 0);
        if (v->verdict.failures && y + 1 < foot)
            draw_text(y + 1, 1, cols - 2, CR_WARNING,
                      _("A step failed: 2 ends the verification (notice of failure)"), 0);
    }
}

/* ---- the verdict ---- */

void vdone_draw(const void *state, const struct session *ses, int foot)
{
    (void)state;
    const struct verify_data *v = &ses->verify;
    char title[128];
    snprintf(title, sizeof title, "%s %s", _("Verdict"), v->in.code);
    draw_title(title, ses);
    int y = draw_top(), cols = draw_cols();
    draw_text(y++, 1, cols - 2, CR_LABEL, v->plate, 0);
    const char *big = v->verdict.outcome == PROC_PASS   ? _("PASS: verification certificate")
                      : v->verdict.outcome == PROC_FAIL ? _("FAIL: notice of failed verification")
                                                        : _("not finished");
    draw_text(y++, 1, cols - 2,
              v->verdict.outcome == PROC_PASS   ? CR_WITHIN_TOLERANCE
              : v->verdict.outcome == PROC_FAIL ? CR_OUT_OF_TOLERANCE
                                                : CR_WARNING,
              big, 0);
    y = draw_wrap(y, foot - 4 > y ? foot - 4 : y + 1, 1, CR_NORMAL, v->verdict.reason);
    char line[400];
    snprintf(line, sizeof line, "%s: %s  %s: %s C", _("Weight set"), v->weight_set,
             _("Temperature"), v->temperature);
    if (y < foot)
        draw_text(y++, 1, cols - 2, CR_NORMAL, line, 0);
    if (v->committed) {
        snprintf(line, sizeof line, "%s %s, %s %s", _("Saved:"), v->certificate_no, _("next due"),
                 v->next_due);
        if (y < foot)
            draw_text(y++, 1, cols - 2, CR_STABLE, line, 0);
        snprintf(line, sizeof line, "%s %s", _("PDF:"), v->certificate_path);
        if (y < foot)
            draw_text(y++, 1, cols - 2, CR_NORMAL, line, 0);
        if (y < foot)
            draw_text(y++, 1, cols - 2, CR_DIM, _("0 back to the instruments"), 0);
    } else if (y < foot) {
        draw_text(y++, 1, cols - 2, CR_LABEL,
                  _("1 saves the results and writes the paper; 0 goes back"), 0);
    }
}
