/* Colour roles in one table (ncdu's X-macro): a screen asks for a role, never
 * for a colour pair.  High-contrast pairs for glare; a monochrome fallback
 * (bold, reverse, underline) when the terminal has no colours or NO_COLOR is
 * set (https://no-color.org). */
#ifndef STALLCHECK_TUI_COLOR_H
#define STALLCHECK_TUI_COLOR_H

/* X(ROLE, foreground, background, monochrome attributes) */
#define TUI_ROLE_LIST(X) \
    X(NORMAL,           COLOR_WHITE,  COLOR_BLACK, A_NORMAL) \
    X(TITLE,            COLOR_BLACK,  COLOR_CYAN,  A_REVERSE) \
    X(KEY,              COLOR_BLACK,  COLOR_WHITE, A_REVERSE) \
    X(KEY_LABEL,        COLOR_WHITE,  COLOR_BLACK, A_NORMAL) \
    X(SELECTED,         COLOR_BLACK,  COLOR_YELLOW, A_REVERSE) \
    X(INPUT,            COLOR_WHITE,  COLOR_BLUE,  A_UNDERLINE) \
    X(LABEL,            COLOR_CYAN,   COLOR_BLACK, A_NORMAL) \
    X(WITHIN_TOLERANCE, COLOR_GREEN,  COLOR_BLACK, A_BOLD) \
    X(OUT_OF_TOLERANCE, COLOR_WHITE,  COLOR_RED,   A_REVERSE | A_BOLD) \
    X(UNSTABLE,         COLOR_YELLOW, COLOR_BLACK, A_DIM) \
    X(STABLE,           COLOR_GREEN,  COLOR_BLACK, A_BOLD) \
    X(OFFLINE,          COLOR_WHITE,  COLOR_MAGENTA, A_REVERSE) \
    X(WARNING,          COLOR_YELLOW, COLOR_BLACK, A_BOLD) \
    X(ERROR,            COLOR_WHITE,  COLOR_RED,   A_REVERSE | A_BOLD) \
    X(RED_LIST,         COLOR_RED,    COLOR_BLACK, A_BOLD) \
    X(BLACK_LIST,       COLOR_WHITE,  COLOR_BLACK, A_REVERSE) \
    X(DIM,              COLOR_WHITE,  COLOR_BLACK, A_DIM)

enum tui_role {
#define TUI_ROLE_ENUM(name, fg, bg, mono) CR_##name,
    TUI_ROLE_LIST(TUI_ROLE_ENUM)
#undef TUI_ROLE_ENUM
    CR_COUNT
};

/* After initscr: colours when the terminal has them and NO_COLOR is unset
 * (or empty), else the monochrome attributes. */
void color_init(void);

/* The curses attributes of a role (an attr_t; int to keep curses out of
 * headers screens include). */
int color_attr(enum tui_role role);

/* Whether colours are in use (0 under NO_COLOR or a mono terminal). */
int color_enabled(void);

#endif
