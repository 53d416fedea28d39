#include "tui/draw.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "tui/i18n.h"
#include "tui/text.h"

int draw_cols(void)
{
    return COLS;
}

int draw_rows(void)
{
    return LINES;
}

int draw_top(void)
{
    return 1;
}

int draw_text(int y, int x, int cols, enum tui_role role, const char *text, int pad)
{
    if (y < 0 || y >= LINES || x >= COLS || cols <= 0)
        return 0;
    if (x + cols > COLS)
        cols = COLS - x;
    char buf[1024];
    int used = utf8_fit(text, cols, buf, sizeof buf, pad ? UTF8_PAD : 0);
    attrset((attr_t)color_attr(role));
    mvaddstr(y, x, buf);
    attrset(A_NORMAL);
    return used;
}

int draw_textf(int y, int x, int cols, enum tui_role role, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return draw_text(y, x, cols, role, buf, 0);
}

void draw_field(int y, const char *label, const char *value, enum tui_role role)
{
    char lab[128];
    snprintf(lab, sizeof lab, "%s: ", label);
    int w = draw_text(y, 1, COLS - 2, CR_LABEL, lab, 0);
    draw_text(y, 1 + w, COLS - 2 - w, role, value, 0);
}

void draw_input(int y, const char *label, const char *value, int focused, int secret)
{
    char lab[128];
    snprintf(lab, sizeof lab, "%s: ", label);
    int w = draw_text(y, 1, COLS - 2, focused ? CR_NORMAL : CR_LABEL, lab, 0);
    char shown[128];
    if (secret) {
        size_t n = strlen(value);
        if (n >= sizeof shown)
            n = sizeof shown - 1;
        memset(shown, '*', n);
        shown[n] = '\0';
    } else {
        snprintf(shown, sizeof shown, "%s", value);
    }
    int room = COLS - 2 - w;
    /* Keep the end of a long value in view: that is where the typing is. */
    const char *p = shown;
    while (utf8_width(p) >= room && *p != '\0')
        p++;
    int used = draw_text(y, 1 + w, room, focused ? CR_INPUT : CR_NORMAL, p, focused);
    (void)used;
    if (focused) {
        move(y, 1 + w + utf8_width(p));
        curs_set(1);
    }
}

void draw_title(const char *title, const struct session *ses)
{
    draw_text(0, 0, COLS, CR_TITLE, "", 1);
    char right[160] = "";
    if (ses != NULL && ses->officer_name[0] != '\0')
        snprintf(right, sizeof right, " %s ", ses->officer_name);
    int rw = utf8_width(right);
    if (rw > COLS / 2)
        rw = 0;
    draw_text(0, 1, COLS - 1 - rw, CR_TITLE, title, 0);
    if (rw > 0)
        draw_text(0, COLS - rw, rw, CR_TITLE, right, 0);
}

static const char *translate(const char *msgid)
{
    return gettext(msgid);
}

/* Lays the help items out in rows of width cols; returns the rows needed,
 * drawing them from row y when draw is set. */
static int help_layout(const enum tui_scope *scopes, int typing, int y, int draw)
{
    const char *labels[32];
    int keys[32];
    size_t n = keys_help_items(scopes, typing, translate, labels, keys, 32);
    int row = 0, x = 0;
    for (size_t i = 0; i < n; i++) {
        char kname[16];
        keys_key_name(keys[i], kname, sizeof kname);
        int w = utf8_width(kname) + utf8_width(labels[i]) + 1;
        if (x > 0 && x + w > COLS) {
            row++;
            x = 0;
        }
        if (draw) {
            draw_text(y + row, x, COLS - x, CR_KEY, kname, 0);
            draw_text(y + row, x + utf8_width(kname), COLS - x - utf8_width(kname),
                      CR_KEY_LABEL, labels[i], 0);
        }
        x += w + 1;
    }
    return row + 1;
}

int draw_footer(const struct session *ses, const enum tui_scope *scopes, int typing)
{
    int rows = help_layout(scopes, typing, 0, 0);
    if (rows > 3)
        rows = 3;
    int y = LINES - rows;
    for (int r = y; r < LINES; r++) {
        move(r, 0);
        clrtoeol();
    }
    help_layout(scopes, typing, y, 1);
    int status = y - 1;
    move(status, 0);
    clrtoeol();
    if (ses != NULL && ses->message[0] != '\0')
        draw_text(status, 0, COLS, ses->message_is_error ? CR_ERROR : CR_WARNING,
                  _(ses->message), 0);
    return status;
}

void draw_too_small(void)
{
    erase();
    /* Two short lines that fit even a tiny window. */
    draw_text(0, 0, COLS, CR_ERROR, _("Terminal too small"), 0);
    draw_textf(1, 0, COLS, CR_NORMAL, _("need %dx%d, have %dx%d"), DRAW_MIN_COLS,
               DRAW_MIN_ROWS, COLS, LINES);
}

static int help_lines(int y0, int scroll, int foot, int draw)
{
    size_t n;
    const struct tui_key_row *t = keys_table(&n);
    int line = 0;
    for (int s = 0; s < SCOPE_COUNT; s++) {
        int header = 0;
        for (size_t i = 0; i < n; i++) {
            if ((int)t[i].scope != s)
                continue;
            if (!header) {
                if (draw && line >= scroll && y0 + line - scroll < foot)
                    draw_text(y0 + line - scroll, 0, COLS, CR_LABEL,
                              _(keys_scope_label((enum tui_scope)s)), 0);
                line++;
                header = 1;
            }
            char kname[16];
            keys_key_name(t[i].key, kname, sizeof kname);
            /* Enter and KEY_ENTER are one key to the officer: list it once. */
            if (i > 0 && t[i - 1].scope == t[i].scope && t[i - 1].action == t[i].action) {
                char prev[16];
                if (strcmp(keys_key_name(t[i - 1].key, prev, sizeof prev), kname) == 0)
                    continue;
            }
            if (draw && line >= scroll && y0 + line - scroll < foot) {
                int y = y0 + line - scroll;
                draw_text(y, 2, 10, CR_KEY, kname, 0);
                draw_text(y, 12, COLS - 12, CR_NORMAL, _(keys_action_label(t[i].action)), 0);
            }
            line++;
        }
    }
    return line;
}

int draw_help_lines(void)
{
    return help_lines(0, 0, 0, 0);
}

void draw_help(int scroll, int foot)
{
    help_lines(draw_top(), scroll, foot, 1);
}
