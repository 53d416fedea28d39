#include "tui/checklist_screen.h"

#include <stdio.h>

#include "core/mass.h"
#include "core/utf8.h"
#include "tui/draw.h"
#include "tui/i18n.h"
#include "tui/text.h"

/* The checklist titles are msgids kept in core/checklist.c (pure C, no
 * gettext there); listed here so xgettext finds them.  test_i18n checks the
 * list against checklist_items(), so it cannot drift. */
const char *const checklist_title_msgids[] = {
    N_("Licence shown"),     N_("Price tags"),         N_("Verification mark"),
    N_("Verification in date"), N_("Seal"),            N_("Fair scale present"),
    N_("No cheating device"), N_("Re-weigh within tolerance"),
};
const unsigned checklist_title_msgid_count =
    sizeof checklist_title_msgids / sizeof checklist_title_msgids[0];

static const char *answer_label(enum checklist_answer a)
{
    switch (a) {
    case ANSWER_PASS: return _("pass");
    case ANSWER_FAIL: return _("FAIL");
    case ANSWER_NA: return _("n/a");
    case ANSWER_SEAL_INTACT: return _("intact");
    case ANSWER_SEAL_BROKEN: return _("BROKEN");
    case ANSWER_SEAL_MISSING: return _("MISSING");
    case ANSWER_SEAL_NOT_SEALABLE: return _("not sealable");
    default: return "·";
    }
}

void checklist_draw(const void *state, const struct session *ses, int foot)
{
    const struct checklist_state *s = state;
    char title[256];
    snprintf(title, sizeof title, "%s %s %d/%d", ses->card.stall, _("Checklist"),
             visit_answered(&ses->visit), CHECK_ITEM_COUNT);
    draw_title(title, ses);
    int cols = draw_cols();
    size_t n;
    const struct checklist_item_info *items = checklist_items(&n);
    int y = draw_top();
    if (s->mode != CL_ANSWER) {
        draw_input(foot - 1,
                   s->mode == CL_NOTE       ? _("Note")
                   : s->mode == CL_DEADLINE ? _("Deadline in days")
                                            : _("Why no re-weigh"),
                   s->entry, 1, 0);
        foot--;
    }
    /* The answer column is as wide as its longest label, measured. */
    int aw = 0;
    for (int a = ANSWER_PASS; a < ANSWER_COUNT; a++) {
        int w = utf8_width(answer_label((enum checklist_answer)a));
        aw = w > aw ? w : aw;
    }
    int rows = foot - y;
    int first = s->sel >= rows ? s->sel - rows + 1 : 0;
    for (int i = first; i < (int)n && y < foot; i++, y++) {
        enum checklist_answer a = ses->visit.answers[i];
        enum tui_role role = i == s->sel ? CR_SELECTED
                             : checklist_answer_failed(a) ? CR_OUT_OF_TOLERANCE
                             : a != ANSWER_NONE            ? CR_WITHIN_TOLERANCE
                                                           : CR_NORMAL;
        draw_text(y, 0, cols, role, "", 1);
        draw_text(y, 0, aw + 1, role, answer_label(a), 0);
        char line[256];
        snprintf(line, sizeof line, "%s%s%s%s", _(items[i].title),
                 ses->visit.notes[i][0] ? " *" : "",
                 ses->visit.deadlines[i][0] ? " -> " : "", ses->visit.deadlines[i]);
        draw_text(y, aw + 1, cols - aw - 1, role, line, 0);
    }
    if (y < foot && s->sel == CHECK_REWEIGH && s->mode == CL_ANSWER && ses->visit.n_reweigh > 0) {
        /* The last re-weigh behind the item's answer. */
        const struct visit_reweigh *w = &ses->visit.reweigh[ses->visit.n_reweigh - 1];
        char dec[24], meas[24], al[24];
        mass_format(w->declared_ug, MASS_G, dec, sizeof dec);
        mass_format(w->measured_ug, MASS_G, meas, sizeof meas);
        mass_format(w->allowed_ug, MASS_G, al, sizeof al);
        draw_textf(y++, 1, cols - 2, w->verdict == REWEIGH_FAIL ? CR_OUT_OF_TOLERANCE : CR_DIM,
                   "%s %s g / %s g (%s %s g)", _("Re-weigh"), dec, meas, _("allowed"), al);
    }
    if (y < foot && ses->visit.notes[s->sel][0] != '\0' && s->mode == CL_ANSWER)
        draw_textf(y, 1, cols - 2, CR_DIM, "%s: %s", _("Note"), ses->visit.notes[s->sel]);
}
