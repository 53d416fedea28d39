#include "db/zone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    return sc_error_set(SC_ERR_ARG, "the setting %s is '%s', a time zone this machine does not "
                        "know: legal dates would be wrong (set it with: stallcheck settings set %s "
                        "Asia/Shanghai)", ZONE_SETTING, unknown, ZONE_SETTING);
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

int zone_date_of(const char *utc, char *buf, size_t size)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int y, mo, d, h = 0, mi = 0, s = 0, used = 0;
    size_t n = utc ? strlen(utc) : 0;
    if (n == 10 ? sscanf(utc, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3
                : sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &s, &used) != 6)
        return sc_error_set(SC_ERR_PARSE, "'%s' is not a UTC timestamp", utc ? utc : "");
    if ((size_t)used != n || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return sc_error_set(SC_ERR_PARSE, "'%s' is not a UTC timestamp", utc);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    return zone_date(timegm(&tm), buf, size);
}
