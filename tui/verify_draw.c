#include <stdio.h>
#include <string.h>

#include "tui/draw.h"
#include "core/utf8.h"
#include "tui/i18n.h"
#include "tui/scale_screen.h"
#include "tui/text.h"
#include "tui/verify_screens.h"

/* The step's instruction in the screen's language, from the step's fields
 * (core/procedure.h writes its own in English, for logs and the CLI). */
static void instruction(const struct verify_data *v, const struct proc_step *st, char *buf,
                        size_t size)
{
    char what[320] = "";
    switch (st->test) {
    case PROC_GENERAL:
        /* TRANSLATORS: an item to check, then the keys that answer it. */
        snprintf(buf, size, _("%s. %s"), verify_item_label(st->item),
                 _("1 passes, 2 fails; 5 adds a note."));
        return;
    case PROC_LEVELLING:
        snprintf(buf, size, "%s", _("Level the scale by its level indicator: 1 when level, 2 when it "
                                    "cannot be levelled."));
        return;
    case PROC_PRELOAD:
        snprintf(buf, size, "%s", _("Place Max once and take it off (R76-1 A.4.3), then 1."));
        return;
    case PROC_PRICE: {
        char price[32];
        snprintf(price, sizeof price, "%lld.%02lld", (long long)(st->unit_price_fen / 100),
                 (long long)(st->unit_price_fen % 100));
        snprintf(buf, size, _("Key in the unit price %s yuan/kg on the scale; capture the weight, "
                              "then type the price to pay it shows."),
                 price);
        return;
    }
    case PROC_ZERO:
        snprintf(what, sizeof what, "%s",
                 st->load_ug > 0
                     ? _("Empty the receptor, set zero, then place the load (about 10 e) to take "
                         "the scale out of its zero-tracking range.")
                     : _("Empty the receptor and set zero."));
        break;
    case PROC_WEIGHING:
        snprintf(what, sizeof what, "%s",
                 st->zero_return ? _("Back to zero: take every load off (leave only the 10 e load "
                                     "with zero-tracking).")
                 : st->unloading ? _("Unloading: place the load at the centre.")
                                 : _("Loading: place the load at the centre."));
        break;
    case PROC_ECCENTRICITY:
        if (st->centre)
            snprintf(what, sizeof what, "%s", _("Place the load at the centre."));
        else
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
    draw_title(_("Instruments to verify"), ses);
    int y = draw_top(), cols = draw_cols();
    const struct verify_data *v = &ses->verify;
    if (s->typing)
        draw_input(y++, _("Search"), s->query, 1, 0);
    if (v->n_instruments == 0) {
        draw_text(y + 1, 1, cols - 2, CR_NORMAL, _("No weighing instruments registered."), 0);
        return;
    }
    /* The columns named: the date is read as the due date, the last
     * column as the stall (else the market) the instrument stands at.  A
     * mark column first (ncdu's flags): '!' overdue, '*' a verification
     * left unfinished, said by a key row under the list when any shows, so
     * a row never runs past 40 columns for a word. */
    char code_h[64], cls_h[32], due_h[64], head[200];
    utf8_fit(_("Instrument"), 11, code_h, sizeof code_h, UTF8_PAD);
    utf8_fit(_("Cl."), 4, cls_h, sizeof cls_h, UTF8_PAD);
    utf8_fit(_("Due"), 10, due_h, sizeof due_h, UTF8_PAD);
    snprintf(head, sizeof head, " %s %s %s %s", code_h, cls_h, due_h, _("Stall"));
    draw_text(y++, 0, cols, CR_DIM, head, 0);
    int overdue = 0, unfinished = 0;
    for (int i = 0; i < v->n_instruments; i++)
        if (vpick_matches(s, &v->instruments[i])) {
            overdue |= v->instruments[i].overdue;
            unfinished |= v->instruments[i].draft;
        }
    if (overdue || unfinished) {
        char key[160];
        snprintf(key, sizeof key, "%s%s%s%s%s", overdue ? "! " : "", overdue ? _("overdue") : "",
                 overdue && unfinished ? "  " : "", unfinished ? "* " : "",
                 unfinished ? _("unfinished") : "");
        foot = draw_fields(foot - 1, foot, 1, CR_DIM, key) - 1;
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
        char due[64];
        utf8_fit(r->due[0] ? r->due : _("unverified"), 10, due, sizeof due, UTF8_PAD);
        snprintf(line, sizeof line, "%c%-11s %-4s %s %s", r->draft ? '*' : r->overdue ? '!' : ' ',
                 r->code, r->cls, due, r->stall[0] ? r->stall : r->market);
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
    int y = draw_fields(draw_top(), foot, 1, CR_LABEL, v->plate);
    y = conditions_draw(y, foot, &s->form, ses, _("Test-mode interval (empty: e)"));
    if (y < foot)
        y = draw_wrap(y, foot, 1, CR_DIM, _("Empty: error points with 0.1 e weights"));
    static const char *const kinds[] = {N_("subsequent verification"), N_("first verification"),
                                        N_("in-service inspection")};
    /* Two fields: each on its own row when both do not fit on one. */
    char line[200];
    snprintf(line, sizeof line, "F7 %s: %s  F8 %s: %s", _("Kind"), _(kinds[s->kind % 3]),
             _("Zero-tracking"), s->zero_tracking ? _("yes (E0 near 10 e)") : _("no"));
    if (y < foot)
        draw_fields(y, foot, 1, CR_NORMAL, line);
}

/* ---- the procedure ---- */

static void draw_result(int y, int foot, const struct verify_data *v)
{
    int cols = draw_cols();
    if (!v->has_result || y >= foot)
        return;
    const struct proc_result *r = &v->last;
    char ec[32], lim[32], line[256];
    if (r->test == PROC_GENERAL || r->test == PROC_LEVELLING || r->test == PROC_PRELOAD ||
        r->test == PROC_PRICE) {
        /* An answer or a price: what was found, in the screen's words. */
        char words[160];
        verify_result_words(r, words, sizeof words);
        snprintf(line, sizeof line, "%s %d: %s", _("Last"), r->index + 1, words);
        draw_text(y, 1, cols - 2, !r->judged || r->pass ? CR_WITHIN_TOLERANCE : CR_OUT_OF_TOLERANCE,
                  line, 0);
        return;
    }
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
    /* The verdict first: on a narrow screen it is what must not be cut. */
    snprintf(line, sizeof line, "%s %d: %s  %s %s  %s +-%s", _("Last"), r->index + 1,
             r->pass ? _("PASS") : _("FAIL"), what, ec,
             r->test == PROC_DISCRIMINATION ? _("at least") : "MPE", lim);
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
                 st->index + 1, v->verdict.total, verify_test_label(st->test), st->k, st->of);
    else
        snprintf(title, sizeof title, "%s  %s", v->in.code, _("all steps done"));
    draw_title(title, ses);
    int y = draw_top(), cols = draw_cols();
    if (v->has_step && st->answer_step && st->test != PROC_PRELOAD) {
        /* A check: what to look at, answered 1 pass or 2 fail. */
        char how[512];
        instruction(v, st, how, sizeof how);
        y = draw_wrap(y, foot - 4 > y ? foot - 4 : y + 1, 1, CR_STABLE, how);
        if (y < foot && (s->typing == VTYPE_NOTE || s->note[0] != '\0'))
            draw_input(y++, st->needs_text ? _("Shown") : _("Note"), s->note, s->typing == VTYPE_NOTE, 0);
    } else if (v->has_step) {
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
        if (st->test == PROC_ECCENTRICITY && st->segment > 0)
            snprintf(line, sizeof line, "%s: %s %d", _("Position"), _("segment"), st->segment);
        else
            snprintf(line, sizeof line, "%s: %s", _("Position"), _("centre"));
        draw_text(y++, 1, cols - 2, CR_NORMAL, line, 0);
        if (st->test == PROC_DISCRIMINATION && v->direct && y < foot)
            draw_text(y++, 1, cols - 2, CR_WARNING,
                      _("Normal display for this test (leave the test mode)"), 0);
        /* The instruction whole: the live reading below it comes next,
         * the last result and the counts only where rows are left. */
        char how[512];
        instruction(v, st, how, sizeof how);
        y = draw_wrap(y, foot - 2 > y ? foot - 2 : y + 1, 1, CR_DIM, how);
    } else {
        draw_text(y++, 1, cols - 2, CR_STABLE, _("Every step is done: 2 for the verdict"), 0);
    }
    if (y + 2 <= foot)
        y += scale_draw_panel(&ses->scales[SCALE_STALL], y, 2, _("Scale under test"));
    if ((s->typing == VTYPE_ADDED || s->typing == VTYPE_AMOUNT) && y < foot) {
        char ind[32], label[96];
        verify_mass(s->indication_ug, ind, sizeof ind);
        snprintf(label, sizeof label, "I = %s, %s", ind,
                 s->typing == VTYPE_ADDED ? _("weights added (g)") : _("price to pay (yuan)"));
        draw_input(y++, label, s->typing == VTYPE_ADDED ? s->added : s->amount, 1, 0);
    }
    draw_result(y, foot, v);
    y += 2;
    if (y < foot) {
        char line[160];
        snprintf(line, sizeof line, _("%d of %d readings, %d failed"), v->verdict.done,
                 v->verdict.total, v->verdict.failures);
        draw_text(y, 1, cols - 2, v->verdict.failures ? CR_OUT_OF_TOLERANCE : CR_LABEL, line, 0);
        if (v->verdict.failures && y + 1 < foot)
            draw_wrap(y + 1, foot, 1, CR_WARNING,
                      s->mode == VSTEP_CHECK
                          ? _("A step failed: 9 ends the verification (notice of failure)")
                          : _("A step failed: 2 ends the verification (notice of failure)"));
    }
}

/* ---- the verdict ---- */

void vdone_draw(const void *state, const struct session *ses, int foot)
{
    const struct vdone_state *s = state;
    const struct verify_data *v = &ses->verify;
    char title[128];
    snprintf(title, sizeof title, "%s %s", _("Verdict"), v->in.code);
    draw_title(title, ses);
    int cols = draw_cols();
    int y = draw_fields(draw_top(), foot, 1, CR_LABEL, v->plate);
    const char *big = v->verdict.outcome == PROC_PASS   ? _("PASS: verification certificate")
                      : v->verdict.outcome == PROC_FAIL ? _("FAIL: notice of failed verification")
                                                        : _("not finished");
    draw_text(y++, 1, cols - 2,
              v->verdict.outcome == PROC_PASS   ? CR_WITHIN_TOLERANCE
              : v->verdict.outcome == PROC_FAIL ? CR_OUT_OF_TOLERANCE
                                                : CR_WARNING,
              big, 0);
    /* The reason, then the set-up and what was saved.  Once saved, what
     * the metrology staff copy down (the record's number, the due date, the
     * paper's path) keeps its rows whole; the reason gives up rows first and
     * the set-up is left off (the paper holds both). */
    char saved[400], pdf[400], line[400];
    snprintf(saved, sizeof saved, "%s %s, %s %s", _("Saved:"), v->certificate_no, _("next due"),
             v->next_due);
    snprintf(pdf, sizeof pdf, "%s %s", _("PDF:"), v->certificate_path);
    int keep = v->committed ? draw_wrap_rows(1, saved) + draw_wrap_rows(1, pdf) +
                                  (s->mark[0] != '\0') + (s->seal[0] != '\0')
                            : 3;
    char reason[400];
    verify_verdict_words(v, reason, sizeof reason);
    y = draw_wrap(y, foot - keep > y ? foot - keep : y + 1, 1, CR_NORMAL, reason);
    snprintf(line, sizeof line, "%s: %s  %s: %s C  %s %%RH", _("Weight set"), v->weight_set,
             _("Temperature"), v->temperature, v->humidity);
    if (y < foot && !v->committed)
        y = draw_fields(y, foot, 1, CR_NORMAL, line);
    /* Wrapped, never cut: the record's number, the due date, the paper's
     * path are what the metrology staff copy down. */
    if (s->typing == VDONE_MARK || s->mark[0])
        if (y < foot)
            draw_input(y++, _("Verification mark no."), s->mark, s->typing == VDONE_MARK, 0);
    if (s->typing == VDONE_SEAL || s->seal[0])
        if (y < foot)
            draw_input(y++, _("Seal no."), s->seal, s->typing == VDONE_SEAL, 0);
    if (s->typing == VDONE_REASON && y < foot)
        draw_input(y++, _("Why it ends without a verdict"), s->reason, 1, 0);
    if (v->committed) {
        y = draw_wrap(y, foot, 1, CR_STABLE, saved);
        y = draw_wrap(y, foot, 1, CR_NORMAL, pdf);
        if (y < foot)
            draw_wrap(y, foot, 1, CR_DIM, _("0 back to the instruments"));
    } else if (y < foot) {
        draw_wrap(y, foot, 1, CR_LABEL,
                  v->verdict.outcome == PROC_FAIL
                      ? _("1 saves the results and writes the notice; 0 goes back")
                      : _("1 saves the results and writes the paper; 2 ends it without a verdict "
                          "(kept); 0 goes back"));
    }
}
