/* The main loop's hands: performs the screens' effects against the database
 * and the devices, and turns device input into reading events.  All SQL goes
 * through db/, every port through devices/; the screens never see either. */
#ifndef STALLCHECK_TUI_BACKEND_H
#define STALLCHECK_TUI_BACKEND_H

#include <poll.h>

#include "tui/screen.h"

struct tui_options {
    const char *db_path;
    const char *lang;
    const char *scale_conn[SCALE_COUNT]; /* connection strings; NULL: from the registry */
    const char *market;                  /* the market to work in; NULL: the first */
    int draw_stalls;                     /* stalls a draw picks; 0: 5 */
    const char *demo_badge, *demo_pin, *demo_stall;
};

struct backend;

/* Opens the database (and finds any unfinished inspection: ses->draft). */
int backend_open(const struct tui_options *opt, struct session *ses, struct backend **out);
void backend_close(struct backend *be);

/* Performs one effect; 0 or SC_ERR_* (sc_error_message says why, and the
 * backend has put a message for the status line in ses->message). */
int backend_perform(struct backend *be, struct session *ses, const struct tui_effect *eff);

/* The device fds to poll (at most max), and the poll timeout it needs (ms,
 * -1 none) to request the next reading. */
int backend_fds(struct backend *be, struct pollfd *fds, int max, int *timeout_ms);
/* After poll: reads the devices, updates ses->scales, and writes up to max
 * events (EV_READING, EV_DEVICE) into out.  Returns their count. */
int backend_poll(struct backend *be, struct session *ses, const struct pollfd *fds, int nfds,
                 struct tui_event *out, int max);

/* Leaving a stall card: a visit with nothing in it is dropped; one with
 * answers stays as a draft, offered again when the stall is picked. */
void backend_leave_stall(struct backend *be, struct session *ses);

/* For tui/verify_backend.c: opens conn on scale `which` unless the command
 * line gave that scale; and the database's path. */
int backend_use_scale(struct backend *be, struct session *ses, int which, const char *conn);
const char *backend_db_path(const struct backend *be);

#endif
