#include "core/day.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

/* Days from civil: shift the year to start in March so the leap day is the
 * last day of the year; then a 400-year era has a fixed 146097 days. */
day_t day_from_ymd(int year, int month, int mday)
{
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;                                   /* [0, 399] */
    int mp = (month + 9) % 12;                                 /* March = 0 */
    int doy = (153 * mp + 2) / 5 + mday - 1;                   /* [0, 365] */
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return (day_t)(era * 146097 + doe - 719468);
}

void day_to_ymd(day_t day, int *year, int *month, int *mday)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp < 10 ? mp + 3 : mp - 9;
    *year = yoe + era * 400 + (m <= 2);
    *month = m;
    *mday = d;
}

static int month_days(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

day_t day_add_months(day_t day, int n)
{
    int y, m, d;
    day_to_ymd(day, &y, &m, &d);
    int total = y * 12 + (m - 1) + n;
    int ny = total >= 0 ? total / 12 : (total - 11) / 12;
    int nm = total - ny * 12 + 1;
    int last = month_days(ny, nm);
    return day_from_ymd(ny, nm, d > last ? last : d);
}

day_t day_month_end(day_t day)
{
    int y, m, d;
    day_to_ymd(day, &y, &m, &d);
    return day_from_ymd(y, m, month_days(y, m));
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

int day_parse(const char *text, day_t *out)
{
    int y, m, d;
    if (text == NULL || strlen(text) < 10 || !digits(text, 4, &y) || text[4] != '-' ||
        !digits(text + 5, 2, &m) || text[7] != '-' || !digits(text + 8, 2, &d) ||
        (text[10] != '\0' && text[10] != 'T' && text[10] != ' '))
        return sc_error_set(SC_ERR_PARSE, "'%s': not a date (YYYY-MM-DD)", text ? text : "");
    if (m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return sc_error_set(SC_ERR_PARSE, "'%s': no such day", text);
    *out = day_from_ymd(y, m, d);
    return 0;
}

int day_parse_utc(const char *text, int64_t *seconds)
{
    size_t n = text ? strlen(text) : 0;
    day_t day;
    int h = 0, mi = 0, s = 0;
    /* Read digit by digit: every inspection's local day starts here when
     * the lists are computed. */
    if ((n != 10 && n != 20) || day_parse(text, &day) < 0 ||
        (n == 20 && (text[10] != 'T' || !digits(text + 11, 2, &h) || text[13] != ':' ||
                     !digits(text + 14, 2, &mi) || text[16] != ':' ||
                     !digits(text + 17, 2, &s) || text[19] != 'Z')) ||
        h > 23 || mi > 59 || s > 60)
        return sc_error_set(SC_ERR_PARSE, "'%s' is not a UTC timestamp", text ? text : "");
    *seconds = (int64_t)day * 86400 + h * 3600 + mi * 60 + s;
    return 0;
}

int day_parse_month(const char *text, day_t *out)
{
    int y, m;
    if (text == NULL || strlen(text) != 7 || !digits(text, 4, &y) || text[4] != '-' ||
        !digits(text + 5, 2, &m) || m < 1 || m > 12)
        return sc_error_set(SC_ERR_PARSE, "'%s': not a month (YYYY-MM)", text ? text : "");
    *out = day_from_ymd(y, m, month_days(y, m));
    return 0;
}

int day_format(day_t day, char *buf, size_t size)
{
    int y, m, d;
    day_to_ymd(day, &y, &m, &d);
    if (y < 0 || y > 9999 || size < 11)
        return snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
    /* The digits by hand: lists format a few days per stall, 100,000s. */
    char t[11] = {(char)('0' + y / 1000), (char)('0' + y / 100 % 10), (char)('0' + y / 10 % 10),
                  (char)('0' + y % 10),   '-',
                  (char)('0' + m / 10),   (char)('0' + m % 10),
                  '-',                    (char)('0' + d / 10),
                  (char)('0' + d % 10),   '\0'};
    memcpy(buf, t, sizeof t);
    return 10;
}
