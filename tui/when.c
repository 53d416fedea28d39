#include "tui/when.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void when_local(const char *utc, int with_date, char *out, size_t size)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (end == NULL || *end != '\0') {
        snprintf(out, size, "%s", utc);
        return;
    }
    time_t t = timegm(&tm);
    struct tm local;
    localtime_r(&t, &local);
    strftime(out, size, with_date ? "%Y-%m-%d %H:%M" : "%H:%M", &local);
}
