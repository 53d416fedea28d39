#include "tui/team.h"

#include <stdio.h>

#include "tui/draw.h"
#include "tui/i18n.h"

void team_draw(const void *state, const struct session *ses, int foot)
{
    const struct team_state *s = state;
    int y = draw_top(), cols = draw_cols();
    if (s->day) {
        draw_title(_("stallcheck: the day's team"), ses);
        draw_textf(y++, 1, cols - 2, CR_WITHIN_TOLERANCE, "%s %s", _("Signed in:"),
                   ses->officer_name);
        y = draw_wrap(y, foot, 1, CR_NORMAL,
                      _("Now the second officer: enforcement needs two, and both are named on "
                        "every inspection today."));
    } else {
        draw_title(s->slot == 1 ? _("Swap the 1st officer") : _("Swap the 2nd officer"), ses);
        const char *now = s->slot == 1 ? ses->officer_name : ses->officer2_name;
        draw_textf(y++, 1, cols - 2, CR_NORMAL, "%s %s", _("Now:"), now[0] ? now : "-");
        y = draw_wrap(y, foot, 1, CR_NORMAL,
                      _("The officer taking over types their own badge and PIN."));
    }
    y++;
    int yb = y, yp = y + 1;
    if (ses->demo.badge2[0] != '\0' && s->day && foot - 1 > yp)
        draw_textf(foot - 1, 1, cols - 2, CR_WARNING, _("Demo: badge %s, PIN %s"),
                   ses->demo.badge2, ses->demo.pin);
    draw_input(yb, _("Badge"), s->badge, s->field == 0, 0);
    draw_input(yp, _("PIN"), s->pin, s->field == 1, 1);
}

void lock_draw(const void *state, const struct session *ses, int foot)
{
    const struct lock_state *s = state;
    draw_title(_("Locked"), ses);
    int y = draw_top(), cols = draw_cols();
    char why[256];
    lock_why(s, ses, why, sizeof why);
    y = draw_wrap(y, foot, 1, CR_NORMAL, why);
    y++;
    const char *names[2] = {ses->officer_name, ses->officer2_name};
    for (int i = 0; i < 2 && y < foot; i++) {
        if (names[i][0] == '\0')
            continue;
        draw_textf(y++, 0, cols, i == s->who ? CR_SELECTED : CR_NORMAL, "%s %s",
                   i == s->who ? ">" : " ", names[i]);
    }
    if (y + 1 < foot)
        draw_input(y + 1, _("PIN"), s->pin, 1, 1);
}
