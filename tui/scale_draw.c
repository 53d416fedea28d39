#include "tui/scale_screen.h"

#include <stdio.h>

#include "tui/draw.h"
#include "tui/i18n.h"
#include "tui/scale_view.h"

void scale_draw_panel(const struct tui_scale *sc, int y, int rows, const char *label)
{
    int cols = draw_cols();
    char line[160];
    snprintf(line, sizeof line, "%s: %s", label, sc->name[0] ? sc->name : _("none"));
    draw_text(y, 1, cols - 2, CR_LABEL, line, 0);
    if (rows < 2)
        return;
    if (!sc->configured) {
        draw_text(y + 1, 1, cols - 2, CR_OFFLINE, _("No scale configured"), 0);
        return;
    }
    if (!sc->online) {
        snprintf(line, sizeof line, "%s: %s", _("OFFLINE"), sc->error[0] ? sc->error : "");
        draw_text(y + 1, 1, cols - 2, CR_OFFLINE, line, 0);
        if (rows > 2)
            draw_text(y + 2, 1, cols - 2, CR_WARNING, _("Check the cable, then 4 to retry"), 0);
        return;
    }
    struct scale_view v;
    scale_view(&sc->last, &v);
    int w = draw_text(y + 1, 1, v.tag ? cols - 14 : cols - 2, v.role, v.text, 0);
    if (v.tag)
        draw_text(y + 1, 2 + w, cols - 3 - w, v.tag_role, v.tag, 0);
}

void scale_draw(const void *state, const struct session *ses, int foot)
{
    const struct scale_state *s = state;
    draw_title(_("Scale"), ses);
    int y = draw_top() + 1;
    const char *label = s->which == SCALE_STALL ? _("Stall's scale") : _("Reference scale");
    scale_draw_panel(&ses->scales[s->which], y, foot - y, label);
    if (y + 4 < foot)
        draw_text(y + 4, 1, draw_cols() - 2, CR_DIM,
                  _("3 switches between the stall's and the reference scale"), 0);
}
