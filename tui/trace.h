/* $STALLCHECK_TRACE: a file that gets timing lines from the TUI (the wall
 * time of each screen's first draw, each effect's duration, memory), for
 * bench/tui.sh.  Off unless the variable is set; never the terminal. */
#ifndef STALLCHECK_TUI_TRACE_H
#define STALLCHECK_TUI_TRACE_H

void trace_open(void);
/* Writes the peak memory (VmHWM) and closes. */
void trace_close(void);
int trace_on(void);
/* Milliseconds of wall-clock time (CLOCK_REALTIME: the bench compares it
 * with `date`). */
double trace_now_ms(void);
/* One line; a no-op when tracing is off. */
void trace_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "rss-kb WHAT N": the resident memory now (VmRSS). */
void trace_rss(const char *what);

#endif
