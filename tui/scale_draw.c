#include "tui/scale_screen.h"

#include <stdio.h>

#include "tui/draw.h"
#include "tui/i18n.h"
#include "tui/scale_view.h"

int scale_draw_panel(const struct tui_scale *sc, int y, int rows, const char *label)
{
    int cols = draw_cols();
    char line[256];
    /* Online, the protocol is enough; offline, the port too (which cable),
     * and why, wrapped over the rows there are: never cut. */
    const char *name = sc->online && sc->driver[0] ? sc->driver : sc->name;
    snprintf(line, sizeof line, "%s: %s", label, name[0] ? name : _("none"));
    draw_text(y, 1, cols - 2, CR_LABEL, line, 0);
    if (rows < 2)
        return 1;
    if (!sc->configured) {
        draw_text(y + 1, 1, cols - 2, CR_OFFLINE, _("No scale configured"), 0);
        return 2;
    }
    if (!sc->online) {
        snprintf(line, sizeof line, "%s: %s", _("OFFLINE"), sc->error[0] ? sc->error : "");
        int next = draw_wrap(y + 1, y + rows - (rows > 3), 1, CR_OFFLINE, line);
        if (rows > 3)
            next = draw_wrap(next, y + rows, 1, CR_WARNING, _("Check the cable, then 4 to retry"));
        return next - y;
    }
    struct scale_view v;
    scale_view(&sc->last, &v);
    int w = draw_text(y + 1, 1, v.tag ? cols - 14 : cols - 2, v.role, v.text, 0);
    if (v.tag)
        draw_text(y + 1, 2 + w, cols - 3 - w, v.tag_role, v.tag, 0);
    return 2;
}

int scale_draw_line(const struct tui_scale *sc, int y, const char *label)
{
    if (!sc->configured || !sc->online)
        return scale_draw_panel(sc, y, 2, label);
    int cols = draw_cols();
    char head[160];
    snprintf(head, sizeof head, "%s:", label);
    int x = 1 + draw_text(y, 1, cols - 2, CR_LABEL, head, 0);
    struct scale_view v;
    scale_view(&sc->last, &v);
    /* The value trimmed of the panel's leading spaces: one space apart. */
    const char *t = v.text;
    while (*t == ' ')
        t++;
    x += 1 + draw_text(y, x + 1, cols - x - 2, v.role, t, 0);
    if (v.tag && x + 1 < cols - 1)
        draw_text(y, x + 1, cols - x - 2, v.tag_role, v.tag, 0);
    return 1;
}

void scale_draw(const void *state, const struct session *ses, int foot)
{
    const struct scale_state *s = state;
    draw_title(_("Scale"), ses);
    int y = draw_top() + 1;
    const char *label = s->which == SCALE_STALL ? _("Stall's scale") : _("Reference scale");
    scale_draw_panel(&ses->scales[s->which], y, 4, label);
    if (y + 5 < foot)
        draw_wrap(y + 5, foot, 1, CR_DIM, _("3 switches between the stall's and the reference scale"));
}
