#include "core/rules.h"

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

static const char *const severity_names[RULES_SEVERITY_COUNT] = {"minor", "major", "serious"};

/* The plain integer keys: one row each, with the range a value may take. */
struct int_key {
    const char *section, *key;
    size_t offset;
    int min, max;
};

#define K(sec, key, field, lo, hi) {sec, key, offsetof(struct rules, field), lo, hi}
static const struct int_key int_keys[] = {
    K("score", "base", base, 1, 1000),
    K("score", "window_months", window_months, 1, 120),
    K("grade", "red", grade_red, 0, 1000),
    K("grade", "green", grade_green, 0, 1000),
    K("grade", "yellow", grade_yellow, 0, 1000),
    K("black", "months", black_months, 0, 120),
    K("black", "below", black_below, 0, 1000),
    K("red", "months", red_months, 1, 120),
    K("red", "min_inspections", red_min_inspections, 1, 1000),
    K("red", "min_score", red_min_score, 0, 1000),
    K("followup", "deadline_days", followup_deadline_days, 0, 3650),
    K("followup", "unfixed_deduction", followup_unfixed_deduction, 0, 1000),
    K("followup", "black_after", followup_black_after, 0, 1000),
    K("fairscale", "short_deduction", fairscale_short_deduction, 0, 1000),
    K("fairscale", "black_after", fairscale_black_after, 0, 1000),
    K("fairscale", "compensation_multiple", fairscale_compensation_multiple, 1, 100),
    K("market", "rectify_percent", market_rectify_percent, 0, 100),
    K("market", "suspend_percent", market_suspend_percent, 0, 100),
};
#undef K
#define N_INT_KEYS (sizeof int_keys / sizeof int_keys[0])

static int *field(struct rules *r, size_t offset)
{
    return (int *)((char *)r + offset);
}

static int field_get(const struct rules *r, size_t offset)
{
    return *(const int *)((const char *)r + offset);
}

/* The defaults; data/rules.ini gives the source of each. */
void rules_default(struct rules *r)
{
    memset(r, 0, sizeof *r);
    r->base = 100;
    r->window_months = 12;
    r->grade_red = 90;
    r->grade_green = 80;
    r->grade_yellow = 60;
    r->deduct_severity[SEVERITY_MINOR] = 5;
    r->deduct_severity[SEVERITY_MAJOR] = 10;
    r->deduct_severity[SEVERITY_SERIOUS] = 40;
    r->black_severity[SEVERITY_MINOR] = 0;
    r->black_severity[SEVERITY_MAJOR] = 0;
    r->black_severity[SEVERITY_SERIOUS] = 1;
    for (int i = 0; i < CHECK_ITEM_COUNT; i++) {
        r->deduct_item[i] = -1;
        r->black_item[i] = -1;
    }
    r->black_months = 12;
    r->black_below = 60;
    r->red_months = 3;
    r->red_min_inspections = 2;
    r->red_min_score = 90;
    r->followup_deadline_days = 0;
    r->followup_unfixed_deduction = 10;
    r->followup_black_after = 2;
    r->fairscale_short_deduction = 10;
    r->fairscale_black_after = 3;
    r->fairscale_compensation_multiple = 2;
    r->market_rectify_percent = 20;
    r->market_suspend_percent = 30;
}

/* A whole decimal number and nothing else: "12" yes, "12x", "1e3", "" no. */
static int parse_int(const char *value, int min, int max, int *out)
{
    const char *p = value;
    long v = 0;
    int neg = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    if (*p == '\0')
        return sc_error_set(SC_ERR_PARSE, "'%s' is not a whole number", value);
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return sc_error_set(SC_ERR_PARSE, "'%s' is not a whole number", value);
        v = v * 10 + (*p - '0');
        if (v > INT_MAX)
            return sc_error_set(SC_ERR_RANGE, "%s is out of range %d..%d", value, min, max);
    }
    if (neg)
        v = -v;
    if (v < min || v > max)
        return sc_error_set(SC_ERR_RANGE, "%s is out of range %d..%d", value, min, max);
    *out = (int)v;
    return 0;
}

static int parse_bool(const char *value, int *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcmp(value, yes[i]) == 0)
            return *out = 1, 0;
        if (strcmp(value, no[i]) == 0)
            return *out = 0, 0;
    }
    return sc_error_set(SC_ERR_PARSE, "'%s' is not yes or no", value);
}

static int severity_index(const char *key)
{
    for (int s = 0; s < RULES_SEVERITY_COUNT; s++)
        if (strcmp(severity_names[s], key) == 0)
            return s;
    return -1;
}

int rules_set(struct rules *r, const char *section, const char *key, const char *value)
{
    for (size_t i = 0; i < N_INT_KEYS; i++)
        if (strcmp(int_keys[i].section, section) == 0 && strcmp(int_keys[i].key, key) == 0)
            return parse_int(value, int_keys[i].min, int_keys[i].max,
                             field(r, int_keys[i].offset));
    int is_deduction = strcmp(section, "deduction") == 0;
    if (is_deduction || strcmp(section, "black") == 0) {
        /* A severity name or a checklist item id (core/checklist.h). */
        int s = severity_index(key);
        const struct checklist_item_info *item = checklist_item_by_id(key);
        int *slot = NULL;
        if (s >= 0)
            slot = is_deduction ? &r->deduct_severity[s] : &r->black_severity[s];
        else if (item != NULL)
            slot = is_deduction ? &r->deduct_item[item->item] : &r->black_item[item->item];
        else
            return sc_error_set(SC_ERR_NOTFOUND,
                                "[%s] %s: neither a severity (minor, major, serious) nor "
                                "a checklist item id", section, key);
        return is_deduction ? parse_int(value, 0, 1000, slot) : parse_bool(value, slot);
    }
    static const char *const sections[] = {"score", "grade", "deduction", "black", "red",
                                           "followup", "fairscale", "market"};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (strcmp(sections[i], section) == 0)
            return sc_error_set(SC_ERR_NOTFOUND, "[%s] has no key '%s'", section, key);
    return sc_error_set(SC_ERR_NOTFOUND, "no section [%s]", section);
}

int rules_check(const struct rules *r)
{
    if (!(r->grade_yellow <= r->grade_green && r->grade_green <= r->grade_red &&
          r->grade_red <= r->base))
        return sc_error_set(SC_ERR_INCONSISTENT,
                            "[grade] must have yellow <= green <= red <= [score] base "
                            "(%d, %d, %d, %d)", r->grade_yellow, r->grade_green, r->grade_red,
                            r->base);
    if (r->black_below > r->base || r->red_min_score > r->base)
        return sc_error_set(SC_ERR_INCONSISTENT,
                            "[black] below and [red] min_score must not exceed [score] base");
    if (r->red_min_score < r->black_below)
        return sc_error_set(SC_ERR_INCONSISTENT,
                            "[red] min_score %d is below [black] below %d", r->red_min_score,
                            r->black_below);
    if (r->market_rectify_percent > r->market_suspend_percent)
        return sc_error_set(SC_ERR_INCONSISTENT,
                            "[market] rectify_percent must not exceed suspend_percent");
    return 0;
}

int rules_item_deduction(const struct rules *r, enum checklist_item item)
{
    if ((unsigned)item >= CHECK_ITEM_COUNT)
        return 0;
    if (r->deduct_item[item] >= 0)
        return r->deduct_item[item];
    return r->deduct_severity[checklist_items(NULL)[item].severity];
}

int rules_item_black(const struct rules *r, enum checklist_item item)
{
    if ((unsigned)item >= CHECK_ITEM_COUNT)
        return 0;
    if (r->black_item[item] >= 0)
        return r->black_item[item];
    return r->black_severity[checklist_items(NULL)[item].severity];
}

int rules_fairscale_owed(const struct rules *r, int64_t price_fen_per_kg, int64_t shortfall_ug,
                         int64_t *owed_fen)
{
    *owed_fen = 0;
    if (shortfall_ug <= 0 || price_fen_per_kg <= 0)
        return 0;
    /* 分/kg × µg = 10^-9 分: multiply first, divide once (exact until the
     * single rounding). */
    int64_t m = r->fairscale_compensation_multiple, p;
    if (__builtin_mul_overflow(price_fen_per_kg, shortfall_ug, &p) ||
        __builtin_mul_overflow(p, m, &p))
        return sc_error_set(SC_ERR_RANGE, "compensation: %lld 分/kg x %lld ug is too large",
                            (long long)price_fen_per_kg, (long long)shortfall_ug);
    *owed_fen = (p + 500000000) / 1000000000;
    return 0;
}

/* Appends with snprintf semantics: keeps counting past the end of buf. */
static void put(char *buf, int size, int *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void put(char *buf, int size, int *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int room = *len < size ? size - *len : 0;
    int n = vsnprintf(room > 0 ? buf + *len : NULL, (size_t)room, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len += n;
}

int rules_format(const struct rules *r, char *buf, int size)
{
    int len = 0;
    const char *section = "";
    if (size > 0)
        buf[0] = '\0';
    for (size_t i = 0; i < N_INT_KEYS; i++) {
        if (strcmp(section, int_keys[i].section) != 0) {
            section = int_keys[i].section;
            put(buf, size, &len, "[%s]\n", section);
        }
        put(buf, size, &len, "%s = %d\n", int_keys[i].key, field_get(r, int_keys[i].offset));
    }
    size_t n;
    const struct checklist_item_info *items = checklist_items(&n);
    put(buf, size, &len, "[deduction]\n");
    for (int s = 0; s < RULES_SEVERITY_COUNT; s++)
        put(buf, size, &len, "%s = %d\n", severity_names[s], r->deduct_severity[s]);
    for (size_t i = 0; i < n; i++)
        if (r->deduct_item[i] >= 0)
            put(buf, size, &len, "%s = %d\n", items[i].id, r->deduct_item[i]);
    put(buf, size, &len, "[black]\n");
    for (int s = 0; s < RULES_SEVERITY_COUNT; s++)
        put(buf, size, &len, "%s = %s\n", severity_names[s], r->black_severity[s] ? "yes" : "no");
    for (size_t i = 0; i < n; i++)
        if (r->black_item[i] >= 0)
            put(buf, size, &len, "%s = %s\n", items[i].id, r->black_item[i] ? "yes" : "no");
    return len;
}

int rules_equal(const struct rules *a, const struct rules *b)
{
    for (size_t i = 0; i < N_INT_KEYS; i++)
        if (field_get(a, int_keys[i].offset) != field_get(b, int_keys[i].offset))
            return 0;
    for (int s = 0; s < RULES_SEVERITY_COUNT; s++)
        if (a->deduct_severity[s] != b->deduct_severity[s] ||
            a->black_severity[s] != b->black_severity[s])
            return 0;
    for (int i = 0; i < CHECK_ITEM_COUNT; i++)
        if (a->deduct_item[i] != b->deduct_item[i] || a->black_item[i] != b->black_item[i])
            return 0;
    return 1;
}
