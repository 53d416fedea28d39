#include <stdio.h>
#include <string.h>

#include "tui/conditions.h"
#include "tui/draw.h"
#include "tui/i18n.h"

int conditions_draw(int y, const struct conditions *c, const char *display_label)
{
    draw_input(y++, _("Weight set (Up/Down)"), c->set, c->field == COND_SET, 0);
    draw_input(y++, _("Room temperature (deg C)"), c->temp, c->field == COND_TEMP, 0);
    draw_input(y++, _("Relative humidity (%RH)"), c->humidity, c->field == COND_HUMIDITY, 0);
    draw_input(y++, display_label, c->display, c->field == COND_DISPLAY, 0);
    return y;
}

int conditions_sets(int y, int foot, const struct conditions *c, const struct session *ses)
{
    const struct verify_data *v = &ses->verify;
    int cols = draw_cols();
    if (y < foot)
        y = draw_wrap(y, foot, 1, CR_LABEL, _("Weight sets (R111 class, calibration due):"));
    for (int i = 0; i < v->n_sets && y < foot; i++, y++) {
        const struct verify_set_row *w = &v->sets[i];
        char line[160];
        snprintf(line, sizeof line, "%-14s %-4s %s %s", w->code, w->cls, w->due[0] ? w->due : "?",
                 w->expired ? _("EXPIRED") : "");
        draw_text(y, 2, cols - 3,
                  strcmp(w->code, c->set) == 0 ? CR_SELECTED
                  : w->expired                 ? CR_OUT_OF_TOLERANCE
                                               : CR_NORMAL,
                  line, 0);
    }
    return y;
}
