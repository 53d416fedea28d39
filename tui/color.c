#include "tui/color.h"

#include <curses.h>
#include <stdlib.h>

static int enabled;

static const struct {
    short fg, bg;
    attr_t mono;
} roles[CR_COUNT] = {
#define TUI_ROLE_ROW(name, f, b, m) {f, b, m},
    TUI_ROLE_LIST(TUI_ROLE_ROW)
#undef TUI_ROLE_ROW
};

void color_init(void)
{
    const char *no = getenv("NO_COLOR");
    enabled = (no == NULL || *no == '\0') && has_colors();
    if (!enabled)
        return;
    start_color();
    for (int r = 0; r < CR_COUNT; r++)
        init_pair((short)(r + 1), roles[r].fg, roles[r].bg);
}

int color_attr(enum tui_role role)
{
    if ((unsigned)role >= CR_COUNT)
        role = CR_NORMAL;
    if (!enabled)
        return (int)roles[role].mono;
    /* Bold on the verdict roles too: they must read in sunlight. */
    attr_t extra = (role == CR_OUT_OF_TOLERANCE || role == CR_WITHIN_TOLERANCE ||
                    role == CR_ERROR || role == CR_STABLE || role == CR_TITLE)
                       ? A_BOLD
                       : A_NORMAL;
    return (int)(COLOR_PAIR(role + 1) | extra);
}

int color_enabled(void)
{
    return enabled;
}
