/* The unit tests' clock: every test binary links tests/unit/clock_fake.c,
 * whose sc_clock_now replaces core/clock.c's at link time (an object given
 * to the linker wins over the library's member, which is then never
 * pulled in).  The shipped binary has only the real clock. */
#ifndef STALLCHECK_TESTS_CLOCK_FAKE_H
#define STALLCHECK_TESTS_CLOCK_FAKE_H

/* Stops the clock at utc ("YYYY-MM-DDTHH:MM:SSZ"); NULL runs the real one. */
void test_clock_set(const char *utc);

#endif
