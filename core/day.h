/* Calendar days as plain integers: days since 1970-01-01 in the proleptic
 * Gregorian calendar (the civil date, no time zone).  Scores, black-list
 * periods and correction deadlines are counted in whole days and months, so
 * core needs dates without touching the clock. */
#ifndef STALLCHECK_CORE_DAY_H
#define STALLCHECK_CORE_DAY_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t day_t;

day_t day_from_ymd(int year, int month, int mday);
void day_to_ymd(day_t day, int *year, int *month, int *mday);

/* The same day of the month, n months later (n may be negative), clamped to
 * the month's last day: 2026-01-31 + 1 month = 2026-02-28. */
day_t day_add_months(day_t day, int n);

/* The last day of the month that day falls in. */
day_t day_month_end(day_t day);

/* "2026-11-25" -> day; also "2026-11-25T10:00:00..." (the date part of an
 * ISO 8601 timestamp).  SC_ERR_PARSE when not a valid date. */
int day_parse(const char *text, day_t *out);
/* A UTC timestamp "2026-11-25T10:00:00Z", or a bare date (midnight UTC),
 * as seconds since 1970-01-01 00:00 UTC; nothing else: digits where digits
 * belong, a real day, 00:00:00 to 23:59:60.  SC_ERR_PARSE otherwise. */
int day_parse_utc(const char *text, int64_t *seconds);
/* "YYYY-MM" -> the last day of that month.  SC_ERR_PARSE when invalid. */
int day_parse_month(const char *text, day_t *out);

/* "2026-11-25"; buf needs 11 bytes.  Returns chars written. */
int day_format(day_t day, char *buf, size_t size);

#endif
