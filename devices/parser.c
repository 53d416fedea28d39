#include "devices/parser.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

struct parser {
    const struct driver *drv;
    void *state;
    uint8_t *buf;
    size_t len, cap;
    size_t pos;        /* bytes before pos are consumed */
    size_t skipped;    /* bytes skipped since the last frame (resynchronising) */
    uint8_t skip_raw[READING_RAW_MAX];
    struct reading held;   /* a frame found after skipped bytes: reported next */
    int have_held;
    char reason[READING_INFO_MAX]; /* why the first skipped byte was skipped */
};

int parser_new(const struct driver *drv, const struct driver_opt *opts, size_t n_opts,
               struct parser **out)
{
    struct parser *p = calloc(1, sizeof *p);
    if (p == NULL)
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    p->drv = drv;
    if (drv->state_new != NULL) {
        int rc = drv->state_new(&p->state, opts, n_opts);
        if (rc < 0) {
            free(p);
            return rc;
        }
    } else if (n_opts > 0) {
        free(p);
        return sc_error_set(SC_ERR_ARG, "%s: takes no option '%s'", drv->name, opts[0].key);
    }
    *out = p;
    return SC_OK;
}

void parser_free(struct parser *p)
{
    if (p == NULL)
        return;
    if (p->drv->state_free != NULL)
        p->drv->state_free(p->state);
    free(p->buf);
    free(p);
}

int parser_feed(struct parser *p, const uint8_t *bytes, size_t len)
{
    if (len == 0)
        return SC_OK;
    /* Compact first, so the buffer stays near max_frame. */
    if (p->pos > 0) {
        memmove(p->buf, p->buf + p->pos, p->len - p->pos);
        p->len -= p->pos;
        p->pos = 0;
    }
    if (p->len + len > p->cap) {
        size_t cap = p->cap ? p->cap : 256;
        while (cap < p->len + len)
            cap *= 2;
        uint8_t *nb = realloc(p->buf, cap);
        if (nb == NULL)
            return sc_error_set(SC_ERR_NOMEM, "out of memory");
        p->buf = nb;
        p->cap = cap;
    }
    memcpy(p->buf + p->len, bytes, len);
    p->len += len;
    return SC_OK;
}

static void skip_bytes(struct parser *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p->skipped < READING_RAW_MAX)
            p->skip_raw[p->skipped] = p->buf[p->pos + i];
        p->skipped++;
    }
    p->pos += n;
}

/* The skipped bytes as one READING_BAD reading. */
static void report_skipped(struct parser *p, struct reading *out)
{
    reading_clear(out);
    if (p->reason[0])
        reading_set_bad(out, "%zu byte%s skipped: %.60s", p->skipped,
                        p->skipped == 1 ? "" : "s", p->reason);
    else
        reading_set_bad(out, "%zu byte%s skipped: no %s frame", p->skipped,
                        p->skipped == 1 ? "" : "s", p->drv->name);
    reading_set_raw(out, p->skip_raw, p->skipped < READING_RAW_MAX ? p->skipped : READING_RAW_MAX);
    out->raw_len = p->skipped;
    p->skipped = 0;
}

static int next(struct parser *p, struct reading *out, bool at_end)
{
    if (p->have_held) {
        *out = p->held;
        p->have_held = 0;
        return 1;
    }
    while (p->pos < p->len) {
        size_t avail = p->len - p->pos, used = 0;
        struct reading r;
        reading_clear(&r);
        enum frame_result fr = p->drv->frame(p->state, p->buf + p->pos, avail, at_end, &used, &r);
        if (fr == FRAME_NEED_MORE) {
            /* A frame can be no longer than max_frame: past that, the start
             * was wrong; skip a byte (guards a driver that keeps asking). */
            if (avail < p->drv->max_frame && !at_end)
                return 0;
            fr = FRAME_INVALID;
            used = 1;
        }
        if (used == 0 || used > avail)
            used = 1;
        if (fr == FRAME_INVALID) {
            if (p->skipped == 0)
                memcpy(p->reason, r.info, sizeof p->reason);
            skip_bytes(p, used);
            continue;
        }
        if (r.raw_len == 0)
            reading_set_raw(&r, p->buf + p->pos, used);
        p->pos += used;
        if (p->skipped > 0) {
            p->held = r;
            p->have_held = 1;
            report_skipped(p, out);
            return 1;
        }
        *out = r;
        return 1;
    }
    if (at_end && p->skipped > 0) {
        report_skipped(p, out);
        return 1;
    }
    return 0;
}

int parser_next(struct parser *p, struct reading *out)
{
    return next(p, out, false);
}

int parser_flush(struct parser *p, struct reading *out)
{
    return next(p, out, true);
}

size_t parser_pending(const struct parser *p)
{
    return p->skipped + (p->len - p->pos);
}

void parser_reset(struct parser *p)
{
    p->len = p->pos = 0;
    p->skipped = 0;
    p->have_held = 0;
}

const struct driver *parser_driver(const struct parser *p)
{
    return p->drv;
}

void *parser_state(struct parser *p)
{
    return p->state;
}
