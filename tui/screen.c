#include "tui/screen.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tui/text.h"

struct tui_effect *reaction_effect(struct tui_reaction *rx, enum tui_effect_kind kind)
{
    struct tui_effect *e =
        rx->n_effects < TUI_MAX_EFFECTS ? &rx->effects[rx->n_effects++] : &rx->dropped;
    memset(e, 0, sizeof *e);
    e->kind = kind;
    return e;
}

void reaction_effect_stall(struct tui_reaction *rx, enum tui_effect_kind kind, const char *code)
{
    struct tui_effect *e = reaction_effect(rx, kind);
    text_copy(e->stall, sizeof e->stall, code);
}

struct tui_effect *reaction_effect_who(struct tui_reaction *rx, enum tui_effect_kind kind,
                                      const char *badge, const char *pin)
{
    struct tui_effect *e = reaction_effect(rx, kind);
    text_copy(e->who.badge, sizeof e->who.badge, badge);
    text_copy(e->who.pin, sizeof e->who.pin, pin);
    return e;
}

void reaction_push(struct tui_reaction *rx, enum tui_screen_id screen)
{
    rx->flags |= RX_PUSH | RX_REDRAW;
    rx->screen = screen;
}

int reaction_scale_key(struct tui_reaction *rx, enum tui_action action, int scale)
{
    if (action == ACT_RETRY)
        reaction_effect(rx, EFF_DEVICE_RETRY)->scale = scale;
    else if (action == ACT_ZERO)
        reaction_effect(rx, EFF_DEVICE_ZERO)->scale = scale;
    else
        return 0;
    return 1;
}

enum screen_line screen_line_key(char *line, int *typing, enum tui_action action)
{
    if (action == ACT_ERASE) {
        text_backspace(line);
        return LINE_ERASED;
    }
    if (action != ACT_BACK)
        return LINE_OTHER;
    *typing = 0;
    line[0] = '\0';
    return LINE_LEFT;
}

void session_set_message(struct session *ses, const char *text, int error)
{
    snprintf(ses->message, sizeof ses->message, "%s", text);
    ses->message_is_error = error;
}

void session_message(struct session *ses, int error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ses->message, sizeof ses->message, fmt, ap);
    va_end(ap);
    ses->message_is_error = error;
}
