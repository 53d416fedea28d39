#include "devices/stability.h"

#include <string.h>

#include "core/error.h"

#define STABILITY_DEFAULT_WINDOW 5

void stability_init(struct stability *s, int window, const struct decimal *d)
{
    memset(s, 0, sizeof *s);
    s->window = window > 0 ? (window > STABILITY_MAX_WINDOW ? STABILITY_MAX_WINDOW : window)
                           : STABILITY_DEFAULT_WINDOW;
    if (d != NULL) {
        s->have_d = true;
        s->d = *d;
    }
}

int stability_set(struct stability *s, const char *key, const char *value)
{
    if (strcmp(key, "window") == 0) {
        int n = 0;
        for (const char *p = value; *p; p++) {
            if (*p < '0' || *p > '9' || n > STABILITY_MAX_WINDOW)
                return sc_error_set(SC_ERR_ARG, "window=%s: want 1-%d readings", value,
                                    STABILITY_MAX_WINDOW);
            n = n * 10 + (*p - '0');
        }
        if (n < 1 || n > STABILITY_MAX_WINDOW)
            return sc_error_set(SC_ERR_ARG, "window=%s: want 1-%d readings", value, STABILITY_MAX_WINDOW);
        s->window = n;
        stability_reset(s);
        return SC_OK;
    }
    if (strcmp(key, "d") == 0) {
        struct decimal d;
        if (decimal_parse(value, &d, NULL) < 0 || d.mant < 0)
            return sc_error_set(SC_ERR_ARG, "d=%s: want a decimal >= 0 in the reading's unit", value);
        s->have_d = true;
        s->d = d;
        return SC_OK;
    }
    return sc_error_set(SC_ERR_ARG, "unknown stability option '%s'", key);
}

void stability_reset(struct stability *s)
{
    s->count = 0;
    s->head = 0;
    s->unit[0] = '\0';
}

/* a - b at a common scale, saturating instead of overflowing. */
static int within(struct decimal a, struct decimal b, struct decimal d)
{
    int scale = a.scale > b.scale ? a.scale : b.scale;
    if (d.scale > scale)
        scale = d.scale;
    int64_t x, y, z;
    if (decimal_rescale(a, scale, &x) < 0 || decimal_rescale(b, scale, &y) < 0 ||
        decimal_rescale(d, scale, &z) < 0)
        return 0;
    if ((x > 0 && y < 0 && x > INT64_MAX + y) || (x < 0 && y > 0 && x < INT64_MIN + y))
        return 0;
    int64_t diff = x - y;
    if (diff < 0)
        diff = -diff;
    return diff <= z;
}

bool stability_update(struct stability *s, struct reading *r)
{
    if (r->stable_reported)
        return r->stable;
    if (!(r->kind == READING_VALUE && r->status == READING_STATUS_OK && r->has_value)) {
        stability_reset(s);
        r->stable = false;
        return false;
    }
    if (s->count > 0 && strcmp(s->unit, r->unit) != 0)
        stability_reset(s);
    memcpy(s->unit, r->unit, sizeof s->unit);
    s->ring[s->head] = r->value;
    s->head = (s->head + 1) % s->window;
    if (s->count < s->window)
        s->count++;
    /* d: given, or one step of the last digit printed. */
    struct decimal d = s->have_d ? s->d : (struct decimal){1, r->value.scale};
    bool stable = s->count == s->window;
    for (int i = 0; stable && i < s->count; i++)
        for (int j = i + 1; stable && j < s->count; j++)
            stable = within(s->ring[i], s->ring[j], d);
    r->stable = stable;
    return stable;
}
