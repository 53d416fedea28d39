#include "tui/reweigh_screen.h"

#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mass.h"
#include "core/reweigh.h"
#include "core/utf8.h"
#include "tui/draw.h"
#include "tui/i18n.h"
#include "tui/scale_screen.h"
#include "tui/text.h"

static const char *category_name(int cat)
{
    if (cat == REWEIGH_NONE)
        return _("by unit price");
    const struct reweigh_category_info *info =
        reweigh_category_info((enum reweigh_category)cat);
    if (info == NULL)
        return "?";
    /* The measures' own Chinese names when the screen is Chinese. */
    const char *lang = setlocale(LC_MESSAGES, NULL);
    const char *language = getenv("LANGUAGE");
    int zh = (language != NULL && strncmp(language, "zh", 2) == 0) ||
             ((language == NULL || *language == '\0') && lang != NULL && strncmp(lang, "zh", 2) == 0);
    return zh ? info->name_zh : info->name_en;
}

void reweigh_draw(const void *state, const struct session *ses, int foot)
{
    const struct reweigh_state *s = state;
    draw_title(_("Re-weigh"), ses);
    int y = draw_top(), cols = draw_cols();
    {
        /* "< name >": the name cut to fit, the arrows always shown (up and
         * down change it). */
        char lab[64], name[160];
        snprintf(lab, sizeof lab, "%s: < ", _("Category"));
        int w = draw_text(y, 1, cols - 2, CR_LABEL, lab, 0);
        utf8_fit(category_name(s->cat), cols - 5 - w, name, sizeof name, UTF8_ELLIPSIS);
        int nw = draw_text(y, 1 + w, cols - 4 - w, CR_NORMAL, name, 0);
        draw_text(y, 1 + w + nw, 2, CR_LABEL, " >", 0);
        y++;
    }
    int focus_declared = s->field == RW_DECLARED, focus_price = s->field == RW_PRICE;
    int yd = y++, yp = y++;
    scale_draw_panel(&ses->scales[SCALE_REFERENCE], y, 2, _("Reference scale"));
    y += 2;
    if (s->current >= 0 && s->current < ses->visit.n_reweigh && y + 1 < foot) {
        const struct visit_reweigh *w = &ses->visit.reweigh[s->current];
        char meas[24], sh[24], al[24];
        mass_format(w->measured_ug, MASS_G, meas, sizeof meas);
        mass_format(w->shortfall_ug, MASS_G, sh, sizeof sh);
        mass_format(w->allowed_ug, MASS_G, al, sizeof al);
        enum tui_role role = w->verdict == REWEIGH_FAIL ? CR_OUT_OF_TOLERANCE
                             : w->verdict == REWEIGH_PASS ? CR_WITHIN_TOLERANCE
                                                          : CR_WARNING;
        const char *verdict = w->verdict == REWEIGH_FAIL   ? _("SHORT WEIGHT")
                              : w->verdict == REWEIGH_PASS ? _("WITHIN TOLERANCE")
                                                           : _("OUTSIDE THE TABLE");
        draw_textf(y++, 1, cols - 2, role, "%s  %s %s g", verdict, _("measured"), meas);
        if (y < foot)
            draw_textf(y++, 1, cols - 2, role, "%s %s g (%s %s g)  ¥%" PRId64 ".%02" PRId64,
                       _("short"), sh, _("allowed"), al, w->money_short_fen / 100,
                       w->money_short_fen % 100);
        if (y < foot && s->reason[0] != '\0')
            draw_text(y++, 1, cols - 2, CR_DIM, s->reason, 0);
    }
    if (y < foot && ses->visit.n_reweigh > 0)
        draw_textf(y++, 1, cols - 2, CR_LABEL, _("Re-weighs in this inspection: %d"),
                   ses->visit.n_reweigh);
    /* Inputs last: the cursor stays in the focused one. */
    draw_input(yp, _("Unit price (yuan/kg)"), s->price, 0, 0);
    draw_input(yd, _("Declared weight"), s->declared, 0, 0);
    if (focus_declared)
        draw_input(yd, _("Declared weight"), s->declared, 1, 0);
    if (focus_price)
        draw_input(yp, _("Unit price (yuan/kg)"), s->price, 1, 0);
}
