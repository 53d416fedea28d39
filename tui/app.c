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
#include "tui/loop.h"
#include "tui/trace.h"

static int drawn[SCR_COUNT];

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The status and key lines from the screen's row, then the screen above
 * them. */
static void draw_screen(const struct loop *l)
{
    const void *st;
    enum tui_screen_id id = loop_top(l, &st);
    const struct session *ses = loop_session(l);
    int foot = draw_footer(ses, screen_keys(id, st), screen_takes_text(id, st));
    screen_ops(id)->draw(st, ses, foot);
    draw_cursor_place();
}

static void redraw(struct loop *l)
{
    /* Under $STALLCHECK_TRACE each frame is marked, so the cuts it logs
     * (draw_text) are told apart from an earlier frame's. */
    if (trace_on())
        trace_line("frame %d", (int)loop_top(l, NULL));
    erase();
    curs_set(0);
    if (loop_too_small(l))
        draw_too_small();
    else
        draw_screen(l);
    refresh();
    loop_drawn(l);
    enum tui_screen_id id = loop_top(l, NULL);
    if (trace_on() && !drawn[id]) {
        /* Wall-clock time, so the bench can subtract its launch time. */
        drawn[id] = 1;
        trace_line("drawn %d %.3f", (int)id, trace_now_ms());
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
static int step(struct loop *l)
{
    struct pollfd fds[8];
    fds[0].fd = 0;
    fds[0].events = POLLIN;
    int timeout = -1;
    int n = 1 + loop_fds(l, fds + 1, 7, &timeout, now_ms());
    if (poll(fds, (nfds_t)n, timeout) < 0 && errno != EINTR)
        return -1;
    /* The terminal is gone (hung up, closed) and no SIGHUP came, as when
     * the shell that owns it lives on: end, rather than wake at once for
     * ever on a terminal that will never send a key.  Every answer is
     * already in its draft. */
    if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
        return -1;
    loop_poll(l, now_ms());
    /* Read every key waiting (a scanner types fast); KEY_RESIZE comes
     * through here too, once: the size is told to the loop, which redraws. */
    wint_t wc;
    int kr;
    while ((kr = get_wch(&wc)) != ERR) {
        if (kr == KEY_CODE_YES && wc == KEY_RESIZE) {
            loop_resize(l, COLS, LINES);
            continue;
        }
        loop_key(l, (int)wc, kr == KEY_CODE_YES, now_ms());
        if (loop_quit(l))
            break;
    }
    return 0;
}

int app_run(const struct tui_options *opt)
{
    if (!isatty(0) || !isatty(1))
        return sc_error_set(SC_ERR_UNSUPPORTED, "the TUI needs a terminal");
    trace_open();
    struct loop *l;
    int rc = loop_open(opt, &l);
    if (rc < 0)
        return rc;
    if ((rc = curses_start()) < 0) {
        loop_close(l);
        return rc;
    }
    loop_resize(l, COLS, LINES);
    while (!loop_quit(l) && !stop_signal) {
        if (loop_dirty(l))
            redraw(l);
        if (step(l) < 0)
            break;
    }
    curses_end();
    loop_close(l);
    trace_close();
    return 0;
}
