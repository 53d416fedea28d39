#include <stdio.h>
#include <string.h>

#include "tui/conditions.h"
#include "tui/draw.h"
#include "tui/i18n.h"

/* The set chosen, below its field: which of the sets it is, its OIML R111
 * class and its own calibration's due date, so Up/Down reads as a list
 * without taking a row per set. */
static int set_detail(int y, int foot, const struct conditions *c, const struct session *ses)
{
    const struct verify_data *v = &ses->verify;
    for (int i = 0; i < v->n_sets; i++) {
        const struct verify_set_row *w = &v->sets[i];
        if (strcmp(w->code, c->set) != 0)
            continue;
        char due[96], line[200];
        snprintf(due, sizeof due, _("R111 %s, due %s"), w->cls, w->due[0] ? w->due : "?");
        snprintf(line, sizeof line, "%d/%d  %s%s%s", i + 1, v->n_sets, due,
                 w->expired ? "  " : "", w->expired ? _("EXPIRED") : "");
        return draw_fields(y, foot, 2, w->expired ? CR_OUT_OF_TOLERANCE : CR_DIM, line);
    }
    /* A code typed that is not one of the sets known here. */
    if (c->set[0] != '\0')
        return draw_fields(y, foot, 2, CR_WARNING, _("not a weight set known here"));
    return draw_fields(y, foot, 2, CR_WARNING, _("no weight set known here"));
}

int conditions_draw(int y, int foot, const struct conditions *c, const struct session *ses,
                    const char *display_label)
{
    draw_input(y++, _("Weight set (Up/Down)"), c->set, c->field == COND_SET, 0);
    if (y < foot)
        y = set_detail(y, foot, c, ses);
    draw_input(y++, _("Room temperature (deg C)"), c->temp, c->field == COND_TEMP, 0);
    draw_input(y++, _("Relative humidity (%RH)"), c->humidity, c->field == COND_HUMIDITY, 0);
    draw_input(y++, display_label, c->display, c->field == COND_DISPLAY, 0);
    return y;
}
