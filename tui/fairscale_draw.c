#include "tui/fairscale.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/mass.h"
#include "tui/draw.h"
#include "tui/i18n.h"
#include "tui/scale_screen.h"

/* The last check: the verdict, what the stall makes good, the record and
 * the ticket, wrapped (the officer reads them to the customer). */
static int draw_result(int y, int foot, const struct session *ses)
{
    const struct session_fair *f = &ses->fair;
    char sh[24], al[24], meas[24], line[400];
    mass_format(f->shortfall_ug, MASS_G, sh, sizeof sh);
    mass_format(f->allowed_ug, MASS_G, al, sizeof al);
    mass_format(f->measured_ug, MASS_G, meas, sizeof meas);
    if (f->verdict == REWEIGH_FAIL)
        snprintf(line, sizeof line,
                 _("SHORT WEIGHT: %s g short (%s g allowed); the stall makes good ¥%" PRId64
                   ".%02" PRId64 " (%d times the shortfall)"),
                 sh, al, f->owed_fen / 100, f->owed_fen % 100, f->multiple);
    else if (f->verdict == REWEIGH_PASS)
        snprintf(line, sizeof line, _("Within tolerance: %s g measured (%s g allowed)"), meas, al);
    else
        snprintf(line, sizeof line, "%s", _("Outside the table: no verdict"));
    y = draw_wrap(y, foot, 1,
                  f->verdict == REWEIGH_FAIL   ? CR_OUT_OF_TOLERANCE
                  : f->verdict == REWEIGH_PASS ? CR_WITHIN_TOLERANCE
                                               : CR_WARNING,
                  line);
    if (f->printed == 1)
        snprintf(line, sizeof line, _("Recorded against %s; ticket printed on %s"),
                 f->recorded_stall, f->printer);
    else
        snprintf(line, sizeof line, _("Recorded against %s; no ticket: %s"), f->recorded_stall,
                 f->printer);
    return draw_wrap(y, foot, 1, f->printed == 1 ? CR_DIM : CR_WARNING, line);
}

void fair_draw(const void *state, const struct session *ses, int foot)
{
    const struct fair_state *s = state;
    char title[160];
    snprintf(title, sizeof title, "%s %s", _("Fair scale"), ses->fair.scale);
    draw_title(title, ses);
    int y = draw_top();
    char stall_label[200];
    /* The stall's name once found, beside the label. */
    if (ses->fair.stall[0] != '\0' && strcmp(ses->fair.stall, s->stall) == 0)
        snprintf(stall_label, sizeof stall_label, "%s %s", _("Stall"), ses->fair.stall_name);
    else
        snprintf(stall_label, sizeof stall_label, "%s", _("Stall"));
    int ys = y++, yg = y++, yd = y++, yp = y++;
    if (!s->shown)
        y = reweigh_draw_row(y, foot, &s->row, s->declared, s->price, ses->fair.category);
    /* The reading on one row while online (the form leaves no more). */
    const struct tui_scale *sc = &ses->scales[SCALE_FAIR];
    if (y + (sc->configured && sc->online ? 1 : 2) <= foot)
        y += scale_draw_line(sc, y, _("Fair scale"));
    if (s->shown && ses->fair.recorded && y < foot)
        y = draw_result(y, foot, ses);
    draw_input(ys, stall_label, s->stall, s->field == FAIR_STALL, 0);
    draw_input(yg, _("Goods"), s->goods, s->field == FAIR_GOODS, 0);
    draw_input(yd, _("Mass charged (g)"), s->declared, s->field == FAIR_DECLARED, 0);
    draw_input(yp, _("Unit price (yuan/kg)"), s->price, s->field == FAIR_PRICE, 0);
}
