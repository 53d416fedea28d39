/* Legal dates.  A date that carries law — the verification date (检定日期)
 * and its validity (有效期至), a due or overdue verification, a weight set's
 * calibration expiry, a correction deadline (限期整改) — is the calendar date
 * where the bureau is: at 04:38 in Beijing on 7 December it is 7 December,
 * although UTC still says the 6th.  Timestamps stay UTC (db_now); dates are
 * local to the bureau's time zone, the setting "timezone" (an IANA
 * name, default Asia/Shanghai), which db_open reads and hands to zone_use.
 * This module knows zones only, not the database.
 *
 * The zone is process-wide (one database per process).  The conversion
 * uses the C library's tz database (Debian's tzdata); a few zones a
 * Chinese bureau may use have a built-in POSIX rule when tzdata is
 * missing (China has kept UTC+8 without summer time since 1991). */
#ifndef STALLCHECK_DB_ZONE_H
#define STALLCHECK_DB_ZONE_H

#include <stddef.h>
#include <time.h>

#include "core/day.h"

#define ZONE_DEFAULT "Asia/Shanghai"
#define ZONE_SETTING "timezone"

/* Chooses the zone; SC_ERR_ARG for a name that is not a zone this machine
 * knows (not in the tz database and without a built-in rule). */
int zone_set(const char *name);
/* Whether name is a zone zone_set would take (nothing changes). */
int zone_known(const char *name);
const char *zone_name(void);

/* The zone a database's setting names (NULL or "" when unset: the
 * default).  A setting this machine does not know leaves the default in
 * use and is remembered: zone_check() then refuses (db_open still opens,
 * so the setting can be corrected with `stallcheck settings`). */
int zone_use(const char *setting);

/* SC_OK when the bureau's zone is in use; SC_ERR_ARG naming the setting
 * when it is not (writers of legal dates call this first). */
int zone_check(void);

/* The legal date of a moment, "YYYY-MM-DD" (size >= 11). */
int zone_date(time_t t, char *buf, size_t size);

/* The legal date of a UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" (or of a bare
 * date, taken as midnight UTC).  SC_ERR_PARSE for anything else. */
int zone_date_of(const char *utc, char *buf, size_t size);

/* The same as a day: the day an inspection started at utc counts on for
 * its score, its deadlines and its list (an inspection at 00:30 in Beijing
 * on 1 June, 16:30 UTC on 31 May, is on 1 June).  Cheap enough to call for
 * every record of a district. */
int zone_day_of(const char *utc, day_t *out);

/* The first moment of a legal day as a UTC timestamp (size >= 21), for
 * comparing stored timestamps with a span of days: "2026-06-01" in Beijing
 * starts at "2026-05-31T16:00:00Z". */
int zone_day_start(day_t day, char *buf, size_t size);

#endif
