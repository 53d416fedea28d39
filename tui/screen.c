#include "tui/screen.h"

#include <stdarg.h>
#include <stdio.h>

void reaction_effect(struct tui_reaction *rx, enum tui_effect_kind kind, int arg,
                     const char *text, const char *text2)
{
    if (rx->n_effects >= TUI_MAX_EFFECTS)
        return;
    struct tui_effect *e = &rx->effects[rx->n_effects++];
    e->kind = kind;
    e->arg = arg;
    snprintf(e->text, sizeof e->text, "%s", text != NULL ? text : "");
    snprintf(e->text2, sizeof e->text2, "%s", text2 != NULL ? text2 : "");
}

void reaction_push(struct tui_reaction *rx, enum tui_screen_id screen)
{
    rx->flags |= RX_PUSH | RX_REDRAW;
    rx->screen = screen;
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
