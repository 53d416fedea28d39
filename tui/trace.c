#include "tui/trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static FILE *out;

void trace_open(void)
{
    const char *path = getenv("STALLCHECK_TRACE");
    if (path != NULL && *path != '\0' && out == NULL)
        out = fopen(path, "w");
}

int trace_on(void)
{
    return out != NULL;
}

double trace_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void trace_line(const char *fmt, ...)
{
    if (out == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
    fflush(out);
}

static long status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[128];
    long kb = -1;
    size_t n = strlen(field);
    while (f != NULL && fgets(line, sizeof line, f) != NULL)
        if (strncmp(line, field, n) == 0)
            kb = strtol(line + n, NULL, 10);
    if (f != NULL)
        fclose(f);
    return kb;
}

void trace_rss(const char *what)
{
    if (out != NULL)
        trace_line("rss-kb %s %ld", what, status_kb("VmRSS:"));
}

void trace_close(void)
{
    if (out == NULL)
        return;
    trace_line("peak-rss-kb %ld", status_kb("VmHWM:"));
    fclose(out);
    out = NULL;
}
