/* Times on screen are local, times stored are UTC ("2026-12-06T19:47:35Z",
 * db_now): an officer reads "03:47" on the morning of the 7th, not the
 * evening of the 6th.  Local is the process's time zone (the system's, or
 * TZ).  No curses. */
#ifndef STALLCHECK_TUI_WHEN_H
#define STALLCHECK_TUI_WHEN_H

#include <stddef.h>

/* A stored UTC timestamp as "YYYY-MM-DD HH:MM" local time (with_date), or
 * "HH:MM".  Text that is not such a timestamp is copied as it is (a bare
 * date stays a date). */
void when_local(const char *utc, int with_date, char *out, size_t size);

#endif
