#include "db/zone.h"

#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>

#include "core/error.h"

/* Zones with a fixed offset and no summer time, for machines without
 * tzdata.  POSIX TZ strings: the offset is west of UTC, so UTC+8 is "-8". */
static const struct {
    const char *name, *rule;
} builtin[] = {
    {"Asia/Shanghai", "CST-8"},
    {"Asia/Chongqing", "CST-8"},
    {"Asia/Harbin", "CST-8"},
    {"Asia/Urumqi", "<+06>-6"},
    {"Asia/Hong_Kong", "HKT-8"},
    {"Asia/Macau", "CST-8"},
    {"Asia/Taipei", "CST-8"},
    {"UTC", "UTC0"},
    {"Etc/UTC", "UTC0"},
};

static void offsets_forget(void);

static char zone[64] = ZONE_DEFAULT;
static char unknown[64] = ""; /* a setting not known here, for zone_check */
static char rule[80] = ""; /* the TZ value used; "" = not resolved yet */

static int known_file(const char *name)
{
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
    return access(path, R_OK) == 0;
}

static int resolve(const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    if (n == 0 || n >= sizeof zone || name[0] == '/' || strstr(name, "..") != NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '/' || c == '_' || c == '-' || c == '+'))
            return -1;
    }
    if (known_file(name)) {
        snprintf(out, size, ":%s", name);
        return 0;
    }
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (strcmp(builtin[i].name, name) == 0) {
            snprintf(out, size, "%s", builtin[i].rule);
            return 0;
        }
    return -1;
}

int zone_set(const char *name)
{
    char r[sizeof rule];
    if (name == NULL || resolve(name, r, sizeof r) < 0)
        return sc_error_set(SC_ERR_ARG, "'%s' is not a time zone this machine knows (an IANA name "
                            "such as Asia/Shanghai)", name ? name : "");
    snprintf(zone, sizeof zone, "%s", name);
    snprintf(rule, sizeof rule, "%s", r);
    offsets_forget();
    return SC_OK;
}

int zone_known(const char *name)
{
    char r[sizeof rule];
    return name != NULL && resolve(name, r, sizeof r) == 0;
}

const char *zone_name(void)
{
    return zone;
}

int zone_use(const char *setting)
{
    unknown[0] = '\0';
    if (setting != NULL && setting[0] != '\0') {
        if (zone_set(setting) == SC_OK)
            return SC_OK;
        snprintf(unknown, sizeof unknown, "%s", setting);
        zone_set(ZONE_DEFAULT);
        return zone_check();
    }
    return zone_set(ZONE_DEFAULT);
}

int zone_check(void)
{
    if (unknown[0] == '\0')
        return SC_OK;
    return sc_error_set(SC_ERR_ARG, gettext("the setting %s is '%s', a time zone this machine "
                                            "does not know: legal dates would be wrong (set it "
                                            "with: stallcheck settings set %s Asia/Shanghai)"),
                        ZONE_SETTING, unknown, ZONE_SETTING);
}

/* localtime_r in our zone: TZ is switched for the call and put back (the
 * process has one thread that reads the clock). */
static int local_tm(time_t t, struct tm *out)
{
    if (rule[0] == '\0' && zone_set(zone) < 0)
        return SC_ERR_ARG;
    const char *old = getenv("TZ");
    char saved[256];
    int had = old != NULL;
    if (had)
        snprintf(saved, sizeof saved, "%s", old);
    setenv("TZ", rule, 1);
    tzset();
    struct tm *r = localtime_r(&t, out);
    if (had)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    return r ? SC_OK : sc_error_set(SC_ERR_RANGE, "no local time for that moment");
}

int zone_date(time_t t, char *buf, size_t size)
{
    struct tm tm;
    int rc = local_tm(t, &tm);
    if (rc < 0)
        return rc;
    snprintf(buf, size, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return SC_OK;
}

/* A UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" (or a bare date, midnight UTC) as
 * the moment it names; SC_ERR_PARSE for anything else (core/day.h). */
static int parse_utc(const char *utc, time_t *out)
{
    int64_t s = 0;
    int rc = day_parse_utc(utc, &s);
    *out = (time_t)s;
    return rc;
}

int zone_date_of(const char *utc, char *buf, size_t size)
{
    time_t t;
    int rc = parse_utc(utc, &t);
    return rc < 0 ? rc : zone_date(t, buf, size);
}

/* Seconds east of UTC at moment t in our zone. */
static int offset_at(time_t t, long *off)
{
    struct tm tm;
    int rc = local_tm(t, &tm);
    if (rc == SC_OK)
        *off = tm.tm_gmtoff;
    return rc;
}

/* Each UTC day's offset, remembered: a district's lists read the legal day
 * of every inspection, and local_tm switches TZ twice a call.  An entry
 * holds the offset at the day's first and last second; when they are equal
 * the offset held all day (zones change it at most twice a year, never
 * there and back within a day). */
static struct day_offset {
    day_t day;
    long first, last;
    int valid;
} offsets[1024];

static void offsets_forget(void)
{
    memset(offsets, 0, sizeof offsets);
}

static int day_offset(day_t utc_day, const struct day_offset **out)
{
    struct day_offset *e = &offsets[(uint32_t)utc_day % (sizeof offsets / sizeof offsets[0])];
    if (!e->valid || e->day != utc_day) {
        time_t t0 = (time_t)utc_day * 86400;
        int rc = offset_at(t0, &e->first);
        if (rc == SC_OK)
            rc = offset_at(t0 + 86399, &e->last);
        if (rc < 0) {
            e->valid = 0;
            return rc;
        }
        e->day = utc_day;
        e->valid = 1;
    }
    *out = e;
    return SC_OK;
}

/* The floor of a / 86400 (moments before 1970 too). */
static day_t day_floor(time_t a)
{
    return (day_t)(a >= 0 ? a / 86400 : -((-a + 86399) / 86400));
}

int zone_day_of(const char *utc, day_t *out)
{
    time_t t;
    int rc = parse_utc(utc, &t);
    if (rc < 0)
        return rc;
    const struct day_offset *e;
    if ((rc = day_offset(day_floor(t), &e)) < 0)
        return rc;
    long off = e->first;
    if (e->first != e->last && (rc = offset_at(t, &off)) < 0) /* a change that day */
        return rc;
    *out = day_floor(t + off);
    return SC_OK;
}

int zone_day_start(day_t day, char *buf, size_t size)
{
    /* The first moment whose legal day is day: local midnight, found by
     * taking the offset where it lands (twice, for a change near it); a
     * zone that skips midnight starts the day at the change. */
    time_t local = (time_t)day * 86400, t = local;
    long off = 0;
    for (int i = 0; i < 2; i++) {
        int rc = offset_at(t, &off);
        if (rc < 0)
            return rc;
        t = local - off;
    }
    day_t d;
    char probe[32];
    struct tm tm;
    for (int i = 0; i < 2; i++) {
        gmtime_r(&t, &tm);
        strftime(probe, sizeof probe, "%Y-%m-%dT%H:%M:%SZ", &tm);
        if (zone_day_of(probe, &d) < 0)
            return SC_ERR_RANGE;
        if (d >= day)
            break;
        t += 3600; /* midnight skipped: the day starts an hour on */
    }
    snprintf(buf, size, "%s", probe);
    return SC_OK;
}
