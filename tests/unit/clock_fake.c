/* The unit tests' clock (see clock_fake.h). */
#include "tests/unit/clock_fake.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/clock.h"

static time_t fixed = (time_t)-1;

void test_clock_set(const char *utc)
{
    if (utc == NULL) {
        fixed = (time_t)-1;
        return;
    }
    struct tm tm = {0};
    const char *end = strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (end == NULL || *end != '\0') {
        fprintf(stderr, "test_clock_set: '%s' is not YYYY-MM-DDTHH:MM:SSZ\n", utc);
        abort();
    }
    fixed = timegm(&tm);
}

time_t sc_clock_now(void)
{
    return fixed != (time_t)-1 ? fixed : time(NULL);
}
