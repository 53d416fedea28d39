#include "tui/draw.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "tui/i18n.h"
#include "tui/text.h"
#include "tui/trace.h"

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

/* Where the focused input wants the cursor (draw_input), placed once the
 * whole screen is drawn: a later draw would move it. */
static int cursor_y = -1, cursor_x;

int draw_text(int y, int x, int cols, enum tui_role role, const char *text, int pad)
{
    if (y < 0 || y >= LINES || x >= COLS || cols <= 0)
        return 0;
    if (x + cols > COLS)
        cols = COLS - x;
    char buf[1024];
    /* Never cut silently: a text that does not fit ends in the mark. */
    int used = utf8_fit(text, cols, buf, sizeof buf, UTF8_ELLIPSIS | (pad ? UTF8_PAD : 0));
    if (trace_on() && utf8_width(text) > cols)
        trace_line("cut %d %d %s", y, x, buf);
    attrset((attr_t)color_attr(role));
    mvaddstr(y, x, buf);
    attrset(A_NORMAL);
    return used;
}

int draw_wrap(int y, int foot, int x, enum tui_role role, const char *text)
{
    int cols = COLS - x - 1;
    while (*text != '\0' && y < foot && cols > 0) {
        size_t next, n = text_wrap(text, cols, &next);
        char line[1024];
        snprintf(line, sizeof line, "%.*s", (int)n, text);
        if (y == foot - 1 && text[next] != '\0')
            draw_text(y++, x, cols, role, text, 0); /* the last row there is: marked */
        else
            draw_text(y++, x, cols, role, line, 0);
        if (next == 0)
            break;
        text += next;
    }
    return y;
}

int draw_fields(int y, int foot, int x, enum tui_role role, const char *text)
{
    int cols = COLS - x - 1;
    while (*text != '\0' && y < foot && cols > 0) {
        char line[1024];
        size_t next;
        text_fields(text, cols, line, sizeof line, &next);
        /* The last row there is: the rest drawn there, marked if cut. */
        int last = y == foot - 1 && text[next] != '\0';
        draw_text(y++, x, cols, role, last ? text : line, 0);
        if (next == 0)
            break;
        text += next;
    }
    return y;
}

int draw_wrap_rows(int x, const char *text)
{
    int cols = COLS - x - 1, rows = 0;
    while (*text != '\0' && cols > 0) {
        size_t next;
        text_wrap(text, cols, &next);
        rows++;
        if (next == 0)
            break;
        text += next;
    }
    return rows;
}

void draw_cursor_reset(void)
{
    cursor_y = -1;
}

void draw_cursor_place(void)
{
    if (cursor_y < 0) {
        curs_set(0);
        return;
    }
    move(cursor_y, cursor_x);
    curs_set(1);
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
    /* The field with the cursor is marked ">" and its label lit. */
    draw_text(y, 0, 1, CR_SELECTED, focused ? ">" : " ", 0);
    if (!focused)
        draw_text(y, 0, 1, CR_NORMAL, " ", 0);
    int w = draw_text(y, 1, COLS - 2, focused ? CR_SELECTED : CR_LABEL, lab, 0);
    char shown[512];
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
    /* Keep the end of a long value in view, where the typing is: whole
     * characters dropped from the front, and a mark that some are. */
    const char *p = utf8_tail(shown, room - 1);
    char view[520];
    snprintf(view, sizeof view, "%s%s", p != shown ? "~" : "", p);
    draw_text(y, 1 + w, room, focused ? CR_INPUT : CR_NORMAL, view, focused);
    if (focused) {
        cursor_y = y;
        cursor_x = 1 + w + utf8_width(view);
        if (cursor_x >= COLS)
            cursor_x = COLS - 1;
    }
}

void draw_title(const char *title_in, const struct session *ses)
{
    draw_text(0, 0, COLS, CR_TITLE, "", 1);
    /* A title of fields ("M001-055-S1  Step 12/56  repeatability 1/3")
     * closes up to one space between them before anything is cut. */
    char title[512];
    size_t next;
    text_fields(title_in, COLS - 1, title, sizeof title, &next);
    if (title_in[next] != '\0')
        snprintf(title, sizeof title, "%s", title_in);
    char right[160] = "";
    /* Who is signed in: the team's badges, or the one officer by name. */
    if (ses != NULL && ses->badge2[0] != '\0')
        snprintf(right, sizeof right, " %s+%s ", ses->badge, ses->badge2);
    else if (ses != NULL && ses->officer_name[0] != '\0')
        snprintf(right, sizeof right, " %s ", ses->officer_name);
    /* The title first: when both do not fit, the officer's name gives
     * way to the badge alone, then to nothing. */
    if (ses != NULL && ses->badge2[0] == '\0' && utf8_width(title) + utf8_width(right) + 1 > COLS)
        snprintf(right, sizeof right, " %s ", ses->badge);
    int rw = utf8_width(right);
    if (rw > COLS / 2 || utf8_width(title) + rw + 1 > COLS)
        rw = 0;
    draw_text(0, 1, COLS - 1 - rw, CR_TITLE, title, 0);
    if (rw > 0)
        draw_text(0, COLS - rw, rw, CR_TITLE, right, 0);
}

static const char *translate(const char *msgid)
{
    return gettext(msgid);
}

/* A key's name on screen: the arrow keys' in the screen's language (a
 * word: "Left/Right" read as English on a Chinese screen); F-keys, Enter,
 * Esc and the rest as printed on the keycaps. */
static const char *key_shown(int key, char *buf, size_t size)
{
    static const char *const words[] = {N_("Up"), N_("Down"), N_("Left"), N_("Right")};
    keys_key_name(key, buf, size);
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(buf, words[i]) == 0) {
            snprintf(buf, size, "%s", _(words[i]));
            break;
        }
    return buf;
}

/* Lays the help items out in rows of width cols: each key in reverse video,
 * a space, its label; a space between items (the reverse video sets each
 * key apart).  Keys in a row with the
 * same label are one item ("Left/Right Category").  Returns the rows
 * needed, drawing them from row y when draw is set. */
static int help_layout(const enum tui_scope *scopes, int typing, int y, int draw)
{
    const char *labels[32];
    int keys[32];
    size_t n = keys_help_items(scopes, typing, translate, labels, keys, 32);
    int row = 0, x = 0;
    for (size_t i = 0; i < n; i++) {
        char kname[48] = "";
        size_t j = i;
        for (; j < n && strcmp(labels[j], labels[i]) == 0; j++) {
            char one[16];
            size_t len = strlen(kname);
            snprintf(kname + len, sizeof kname - len, "%s%s", j > i ? "/" : "",
                     key_shown(keys[j], one, sizeof one));
        }
        int kw = utf8_width(kname), w = kw + 1 + utf8_width(labels[i]);
        if (x > 0 && x + w > COLS) {
            row++;
            x = 0;
        }
        if (draw) {
            draw_text(y + row, x, COLS - x, CR_KEY, kname, 0);
            draw_text(y + row, x + kw + 1, COLS - x - kw - 1, CR_KEY_LABEL, labels[i], 0);
        }
        x += w + 1;
        i = j - 1;
    }
    return row + 1;
}

int draw_footer(const struct session *ses, const enum tui_scope *scopes, int typing)
{
    draw_cursor_reset();
    int rows = help_layout(scopes, typing, 0, 0);
    if (rows > 3)
        rows = 3;
    int y = LINES - rows;
    for (int r = y; r < LINES; r++) {
        move(r, 0);
        clrtoeol();
    }
    help_layout(scopes, typing, y, 1);
    if (ses == NULL || ses->message[0] == '\0')
        return y - 1;
    /* The status message, wrapped over up to three rows: never cut. */
    const char *msg = _(ses->message);
    int n = draw_wrap_rows(0, msg);
    if (n < 1)
        n = 1;
    if (n > 3)
        n = 3;
    int status = y - n;
    for (int r = status; r < y; r++) {
        move(r, 0);
        clrtoeol();
    }
    draw_wrap(status, y, 0, ses->message_is_error ? CR_ERROR : CR_WARNING, msg);
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

struct help_view {
    int y0, scroll, foot;
};

static void help_line(int line, enum tui_scope scope, const struct tui_key_row *row, void *arg)
{
    const struct help_view *v = arg;
    int y = v->y0 + line - v->scroll;
    if (line < v->scroll || y >= v->foot)
        return;
    if (row == NULL) {
        draw_text(y, 0, COLS, CR_LABEL, _(keys_scope_label(scope)), 0);
        return;
    }
    char kname[16];
    key_shown(row->key, kname, sizeof kname);
    draw_text(y, 2, 10, CR_KEY, kname, 0);
    draw_text(y, 12, COLS - 12, CR_NORMAL, _(keys_action_label(row->action)), 0);
}

void draw_help(int scroll, int foot)
{
    struct help_view v = {draw_top(), scroll, foot};
    keys_help_lines(help_line, &v);
}
