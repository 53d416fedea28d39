/* The main loop without a terminal: the screen stack, keys dispatched
 * through the key table, a code typed by a barcode scanner, the idle lock
 * and the "terminal too small" gate.  tui/app.c feeds it what curses reads
 * (keys, the terminal's size, the monotonic time) and draws what it says;
 * the unit tests feed it the same and look at the database (tig's headless
 * TIG_SCRIPT mode, STYLE.md 3).  No curses here. */
#ifndef STALLCHECK_TUI_LOOP_H
#define STALLCHECK_TUI_LOOP_H

#include <poll.h>
#include <stdint.h>

#include "tui/fx.h"
#include "tui/screen.h"

struct loop;

/* The scales and the database (fx_open); the sign-in screen on top. */
int loop_open(const struct tui_options *opt, struct loop **out);
void loop_close(struct loop *l);

/* A key: a character (is_code 0; '\n' for Enter) or a curses key code
 * (is_code 1; KEY_ENTER counts as '\n').  now_ms: the monotonic clock,
 * for the idle lock. */
void loop_key(struct loop *l, int key, int is_code, int64_t now_ms);
/* The terminal's size now (at start and after every resize).  Below
 * DRAW_MIN_COLS x DRAW_MIN_ROWS no key but quit acts: the screen behind the
 * "too small" message is not seen, so nothing may happen on it. */
void loop_resize(struct loop *l, int cols, int rows);
int loop_too_small(const struct loop *l);

/* The scales' descriptors to poll; *timeout_ms lowered to the next thing
 * the loop waits for (a scale's request, the idle lock). */
int loop_fds(struct loop *l, struct pollfd *fds, int max, int *timeout_ms, int64_t now_ms);
/* Reads the scales and hands their events to the screen on top; locks
 * the handheld when it has been idle for the lock time. */
void loop_poll(struct loop *l, int64_t now_ms);

/* The screen on top and its state, for drawing. */
enum tui_screen_id loop_top(const struct loop *l, const void **state);
const struct session *loop_session(const struct loop *l);
struct session *loop_session_mut(struct loop *l);
/* Something changed since the last loop_drawn(). */
int loop_dirty(const struct loop *l);
void loop_drawn(struct loop *l);
int loop_quit(const struct loop *l);

#endif
