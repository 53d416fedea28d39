#include "tui/signin.h"

#include <stdio.h>

#include "tui/draw.h"
#include "tui/i18n.h"

void signin_draw(const void *state, const struct session *ses, int foot)
{
    const struct signin_state *s = state;
    draw_title(_("stallcheck: sign in"), ses);
    int y = draw_top() + 1;
    draw_text(y++, 1, draw_cols() - 2, CR_NORMAL, _("Market inspection (双随机)"), 0);
    y++;
    if (ses->demo.badge[0] != '\0' && foot - y > 4) {
        /* The demo tells a newcomer what to type. */
        char line[128];
        snprintf(line, sizeof line, _("Demo: badge %s, PIN %s"), ses->demo.badge, ses->demo.pin);
        draw_text(foot - 2, 1, draw_cols() - 2, CR_WARNING, line, 0);
    }
    /* Inputs last, so the cursor ends in the focused field. */
    draw_input(y + 2, _("PIN"), s->pin, s->field == 1, 1);
    draw_input(y, _("Badge"), s->badge, s->field == 0, 0);
    if (s->field == 1)
        draw_input(y + 2, _("PIN"), s->pin, 1, 1);
}
