/* Where "now" comes from: the system's wall clock, read in this one place.
 *
 * The shipped program has no way to set it (no environment variable, no
 * option): a sign-in lock, a record's time and the day of a draw follow the
 * real clock.  core/clock.c holds this one function and nothing else, so a
 * test binary can link its own instead (tests/unit/clock_fake.c); the shell
 * suites move the clock of the real binary with libfaketime (LD_PRELOAD),
 * as a user could only by controlling the process itself. */
#ifndef STALLCHECK_CORE_CLOCK_H
#define STALLCHECK_CORE_CLOCK_H

#include <time.h>

/* Seconds since the epoch (UTC). */
time_t sc_clock_now(void);

#endif
