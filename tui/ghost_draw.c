#include "tui/ghost_screen.h"

#include "tui/draw.h"
#include "tui/i18n.h"
#include "tui/scale_screen.h"

void ghost_draw(const struct ghost_state *s, const struct session *ses)
{
    draw_title(_("Cheating-scale check"), ses);
    int foot = draw_footer(ses, ghost_scopes(s), 0);
    int y = draw_top(), cols = draw_cols();
    draw_text(y++, 1, cols - 2, CR_NORMAL,
              _("Same goods on both scales; watch for a jump."), 0);
    scale_draw_panel(&ses->scales[SCALE_STALL], y, 2, _("Stall's scale"));
    y += 2;
    scale_draw_panel(&ses->scales[SCALE_REFERENCE], y, 2, _("Reference scale"));
    y += 2;
    const struct tui_reading *a = &ses->scales[SCALE_STALL].last;
    const struct tui_reading *b = &ses->scales[SCALE_REFERENCE].last;
    if (y < foot && ses->scales[SCALE_STALL].online && ses->scales[SCALE_REFERENCE].online &&
        a->has_value && b->has_value && a->seq && b->seq) {
        long long diff_mg = (long long)((a->ug - b->ug) / 1000);
        draw_textf(y++, 1, cols - 2, diff_mg > 0 ? CR_OUT_OF_TOLERANCE : CR_WITHIN_TOLERANCE,
                   "%s %+lld mg", _("stall - reference:"), diff_mg);
    }
}
