#include "tui/app.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "tui/color.h"
#include "tui/draw.h"
#include "tui/i18n.h"
#include "tui/text.h"
#include "tui/trace.h"

#define STACK_MAX 16

struct app {
    struct session ses;
    struct fx *fx;
    struct scales *scales;
    enum tui_screen_id stack[STACK_MAX];
    int depth;
    int dirty;
    int quit;
    int scanning;              /* a scanner (or the officer) types a code */
    char scan[VISIT_CODE_MAX];
    void *state[SCR_COUNT];    /* each screen's state (its row's state_size) */
};

static int drawn[SCR_COUNT];

static enum tui_screen_id top(const struct app *a)
{
    return a->stack[a->depth - 1];
}

static void deliver(struct app *a, const struct tui_event *ev);

static void enter(struct app *a)
{
    struct tui_event ev = {.kind = EV_ENTER};
    deliver(a, &ev);
}

static void push(struct app *a, enum tui_screen_id id)
{
    if (a->depth >= STACK_MAX)
        return;
    a->stack[a->depth++] = id;
    screen_state_init(id, a->state[id]);
    enter(a);
}

static void pop(struct app *a)
{
    if (a->depth <= 1)
        return;
    if (top(a) == SCR_STALL)
        fx_leave_stall(&a->ses);
    a->depth--;
    enter(a);
}

static void home(struct app *a)
{
    while (a->depth > 1 && top(a) != SCR_PICK)
        pop(a);
    if (top(a) != SCR_PICK) {
        a->stack[0] = SCR_PICK;
        a->depth = 1;
        screen_state_init(SCR_PICK, a->state[SCR_PICK]);
        enter(a);
    }
}

static int signed_in(const struct app *a)
{
    return a->ses.badge[0] != '\0';
}

/* What no screen took: help, quit, back, and a scanned stall code from any
 * list. */
static void global_event(struct app *a, const struct tui_event *ev)
{
    if (ev->kind == EV_SCAN && signed_in(a)) {
        struct tui_effect eff = {.kind = EFF_LOAD_STALL};
        text_copy(eff.stall, sizeof eff.stall, ev->text);
        if (fx_perform(a->fx, &a->ses, &eff) == 0) {
            home(a);
            push(a, SCR_STALL);
        }
        a->dirty = 1;
        return;
    }
    if (ev->kind != EV_ACTION)
        return;
    switch (ev->action) {
    case ACT_HELP:
        if (top(a) != SCR_HELP)
            push(a, SCR_HELP);
        break;
    case ACT_QUIT:
        a->quit = 1;
        break;
    case ACT_LISTS:
        if (signed_in(a) && top(a) != SCR_MANAGERS)
            push(a, SCR_MANAGERS);
        break;
    case ACT_BACK:
        if (a->depth > 1 && top(a) != SCR_PICK)
            pop(a);
        else if (top(a) == SCR_RESUME)
            home(a);
        break;
    default:
        break;
    }
    a->dirty = 1;
}

static void apply(struct app *a, enum tui_screen_id from, const struct tui_event *ev,
                  const struct tui_reaction *rx)
{
    for (int i = 0; i < rx->n_effects; i++) {
        const struct tui_effect *eff = &rx->effects[i];
        double t0 = trace_on() ? trace_now_ms() : 0;
        int status = fx_perform(a->fx, &a->ses, eff);
        if (trace_on())
            trace_line("effect %d %.3f ms", (int)eff->kind, trace_now_ms() - t0);
        struct tui_event res = {.kind = EV_RESULT, .status = status, .effect = eff->kind};
        if (top(a) == from)
            deliver(a, &res);
    }
    if (rx->flags & RX_REDRAW)
        a->dirty = 1;
    if (rx->flags & RX_QUIT)
        a->quit = 1;
    if (top(a) != from)
        return; /* a result already moved on */
    if (rx->flags & RX_POP)
        pop(a);
    if (rx->flags & RX_HOME)
        home(a);
    if (rx->flags & RX_REPLACE) {
        a->depth--;
        push(a, rx->screen);
    } else if (rx->flags & RX_PUSH) {
        push(a, rx->screen);
    }
    if (rx->flags & RX_UNHANDLED)
        global_event(a, ev);
    a->dirty = 1;
}

static void deliver(struct app *a, const struct tui_event *ev)
{
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    enum tui_screen_id id = top(a);
    screen_ops(id)->handle(a->state[id], &a->ses, ev, &rx);
    apply(a, id, ev, &rx);
}

/* A key from the terminal: text for a field, a scanned code, or an action
 * through the key table. */
static void key(struct app *a, int is_key_code, wint_t wc)
{
    int k = (int)wc;
    if (!is_key_code && (k == '\r' || k == '\n'))
        k = '\n';
    if (is_key_code && k == KEY_ENTER)
        k = '\n';
    enum tui_screen_id id = top(a);
    const enum tui_scope *scopes = screen_keys(id, a->state[id]);
    int printable = !is_key_code && k >= ' ' && k != 127;
    if (a->scanning) {
        if (!is_key_code && k == '\n') {
            a->scanning = 0;
            session_set_message(&a->ses, "", 0);
            struct tui_event ev = {.kind = EV_SCAN, .text = a->scan};
            deliver(a, &ev);
        } else if (k == 27 || (is_key_code && k == KEY_F(4))) {
            a->scanning = 0;
            session_set_message(&a->ses, "", 0);
        } else if (k == 127 || k == 8 || (is_key_code && k == KEY_BACKSPACE)) {
            text_backspace(a->scan);
        } else if (printable && k > ' ') {
            text_append(a->scan, sizeof a->scan, (unsigned)k);
        }
        if (a->scanning) {
            char msg[128];
            snprintf(msg, sizeof msg, "%s %s_", _("Code:"), a->scan);
            session_set_message(&a->ses, msg, 0);
        }
        a->dirty = 1;
        return;
    }
    a->ses.message[0] = '\0';
    if (printable && screen_takes_text(id, a->state[id])) {
        struct tui_event ev = {.kind = EV_CHAR, .ch = (unsigned)k};
        deliver(a, &ev);
        return;
    }
    enum tui_action act = is_key_code || !printable || k < 128 ? keys_lookup(scopes, k) : ACT_NONE;
    if (act != ACT_NONE) {
        struct tui_event ev = {.kind = EV_ACTION, .action = act};
        deliver(a, &ev);
        return;
    }
    /* A letter no key takes starts a code: a barcode scanner types the
     * stall code and Enter, from any list. */
    if (printable && k > ' ' && !(k >= '0' && k <= '9') && signed_in(a)) {
        a->scanning = 1;
        a->scan[0] = '\0';
        text_append(a->scan, sizeof a->scan, (unsigned)k);
        char msg[128];
        snprintf(msg, sizeof msg, "%s %s_", _("Code:"), a->scan);
        session_set_message(&a->ses, msg, 0);
        a->dirty = 1;
    }
}

/* The status and key lines from the screen's row, then the screen above
 * them. */
static void draw_screen(const struct app *a, enum tui_screen_id id)
{
    const void *st = a->state[id];
    int foot = draw_footer(&a->ses, screen_keys(id, st), screen_takes_text(id, st));
    screen_ops(id)->draw(st, &a->ses, foot);
}

static void redraw(struct app *a)
{
    erase();
    curs_set(0);
    if (COLS < DRAW_MIN_COLS || LINES < DRAW_MIN_ROWS)
        draw_too_small();
    else
        draw_screen(a, top(a));
    refresh();
    a->dirty = 0;
    if (trace_on() && !drawn[top(a)]) {
        /* Wall-clock time, so the bench can subtract its launch time. */
        drawn[top(a)] = 1;
        trace_line("drawn %d %.3f", (int)top(a), trace_now_ms());
        trace_rss("drawn");
    }
}

/* Signals: the loop notices and leaves curses cleanly. */
static volatile sig_atomic_t stop_signal;
static void on_signal(int sig)
{
    stop_signal = sig;
}

static int saved_stderr = -1;

/* Nothing on stderr while curses owns the screen: it goes to
 * $STALLCHECK_LOG, else nowhere.  Restored before any message. */
static void stderr_quiet(void)
{
    const char *log = getenv("STALLCHECK_LOG");
    int fd = open(log != NULL && *log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0)
        return;
    fflush(stderr);
    saved_stderr = dup(2);
    dup2(fd, 2);
    close(fd);
}

static void stderr_restore(void)
{
    if (saved_stderr < 0)
        return;
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    saved_stderr = -1;
}

static int curses_on;

static void curses_end(void)
{
    if (curses_on && !isendwin())
        endwin();
    curses_on = 0;
    stderr_restore();
}

/* The session's parts: the scales, the effects' context and each screen's
 * state. */
static int app_open(struct app *a, const struct tui_options *opt)
{
    struct session *ses = &a->ses;
    text_copy(ses->demo.badge, sizeof ses->demo.badge, opt->demo_badge ? opt->demo_badge : "");
    text_copy(ses->demo.pin, sizeof ses->demo.pin, opt->demo_pin ? opt->demo_pin : "");
    text_copy(ses->demo.stall, sizeof ses->demo.stall, opt->demo_stall ? opt->demo_stall : "");
    int rc = scales_open(opt->scale_conn, ses, &a->scales);
    if (rc < 0)
        return rc;
    if ((rc = fx_open(opt, ses, a->scales, &a->fx)) < 0)
        return rc;
    for (int id = 0; id < SCR_COUNT; id++) {
        size_t size = screen_ops((enum tui_screen_id)id)->state_size;
        if (size > 0 && (a->state[id] = calloc(1, size)) == NULL)
            return SC_ERR_NOMEM;
    }
    return 0;
}

static void app_close(struct app *a)
{
    for (int id = 0; id < SCR_COUNT; id++)
        free(a->state[id]);
    fx_close(a->fx);
    scales_close(a->scales);
}

static int curses_start(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    stderr_quiet();
    /* Whatever ends the process from here (exit() in a library), the
     * terminal comes back first. */
    atexit(curses_end);
    if (initscr() == NULL) {
        stderr_restore();
        return sc_error_set(SC_ERR_IO, "cannot start curses on this terminal");
    }
    curses_on = 1;
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(50);
    color_init();
    return 0;
}

/* Waits for the terminal or a scale, then hands on what came. */
static void step(struct app *a)
{
    struct pollfd fds[8];
    fds[0].fd = 0;
    fds[0].events = POLLIN;
    int timeout = -1;
    int n = 1 + scales_fds(a->scales, fds + 1, 7, &timeout);
    if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR) {
        a->quit = 1;
        return;
    }
    struct tui_event evs[8];
    int ne = scales_poll(a->scales, &a->ses, evs, 8);
    for (int i = 0; i < ne; i++)
        deliver(a, &evs[i]);
    /* Read every key waiting (a scanner types fast); KEY_RESIZE comes
     * through here too, once, and only redraws. */
    wint_t wc;
    int kr;
    while ((kr = get_wch(&wc)) != ERR) {
        if (kr == KEY_CODE_YES && wc == KEY_RESIZE) {
            a->dirty = 1;
            continue;
        }
        key(a, kr == KEY_CODE_YES, wc);
        if (a->quit)
            break;
    }
}

int app_run(const struct tui_options *opt)
{
    if (!isatty(0) || !isatty(1))
        return sc_error_set(SC_ERR_UNSUPPORTED, "the TUI needs a terminal");
    static struct app app; /* large: the session holds lists */
    struct app *a = &app;
    memset(a, 0, sizeof *a);
    trace_open();
    int rc = app_open(a, opt);
    if (rc == 0)
        rc = curses_start();
    if (rc < 0) {
        app_close(a);
        return rc;
    }
    a->stack[0] = SCR_SIGNIN;
    a->depth = 1;
    screen_state_init(SCR_SIGNIN, a->state[SCR_SIGNIN]);
    a->dirty = 1;
    while (!a->quit && !stop_signal) {
        if (a->dirty)
            redraw(a);
        step(a);
    }
    curses_end();
    app_close(a);
    trace_close();
    return 0;
}
