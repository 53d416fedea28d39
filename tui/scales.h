/* The session's two scales (the stall's, the officer's reference) over
 * devices/link.h: opened from the command line or the registry's cable,
 * polled by the main loop, each reading converted and put in
 * session.scales and reported as an event.  A command-taking scale is asked
 * for a reading every 200 ms; one that says nothing for 3 s is shown
 * offline, with why. */
#ifndef STALLCHECK_TUI_SCALES_H
#define STALLCHECK_TUI_SCALES_H

#include <poll.h>

#include "devices/driver.h"
#include "tui/screen.h"

struct scales;

/* conn: the command line's connection strings (NULL or "": none; the
 * registry's cable may be used then). */
int scales_open(const char *const conn[SCALE_COUNT], struct session *ses, struct scales **out);
void scales_close(struct scales *sc);

/* Opens conn on scale `which` unless the command line gave that scale. */
int scales_use(struct scales *sc, struct session *ses, int which, const char *conn);
/* Opens the scale's connection again: 0, SC_ERR_NOTFOUND (none known), or
 * the link's error (also in ses->scales[which].error). */
int scales_retry(struct scales *sc, struct session *ses, int which);
/* Zero or tare: SC_ERR_GONE when offline, SC_ERR_UNSUPPORTED when the
 * protocol takes no commands. */
int scales_request(struct scales *sc, const struct session *ses, int which,
                   enum driver_request req);

/* The fds to poll (at most max), and the poll timeout it needs (ms, -1
 * none) to ask for the next reading. */
int scales_fds(const struct scales *sc, struct pollfd *fds, int max, int *timeout_ms);
/* After poll: reads the devices, updates ses->scales, and writes up to max
 * events (EV_READING, EV_DEVICE) into out.  Returns their count. */
int scales_poll(struct scales *sc, struct session *ses, struct tui_event *out, int max);

#endif
