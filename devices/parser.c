#include "devices/parser.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define MAX_SILENCES 32   /* silences marked and not yet parsed up to */
#define MAX_PARTS 255     /* readings one frame may give (a data block) */

struct parser {
    const struct driver *drv;
    void *state;
    uint8_t *buf;
    uint8_t *orig;     /* 7-bit protocols: the bytes as received (buf has bit 7
                          stripped): readings keep these as their raw bytes */
    size_t len, cap;
    size_t pos;        /* bytes before pos are consumed */
    size_t skipped;    /* bytes skipped since the last frame (resynchronising) */
    uint8_t skip_raw[READING_RAW_MAX];
    struct reading held;   /* a frame found after skipped bytes: reported next */
    int have_held;
    unsigned parts;        /* readings given from the frame at pos so far */
    uint8_t mask;          /* 0x7F for 7-bit protocols, else 0xFF */
    int by_silence;        /* frames end only where silences were marked */
    size_t silence[MAX_SILENCES];  /* offsets into buf, ascending */
    size_t n_silence;
    char reason[READING_INFO_MAX]; /* why the first skipped byte was skipped */
};

int parser_new(const struct driver *drv, const struct driver_opt *opts, size_t n_opts,
               struct parser **out)
{
    struct parser *p = calloc(1, sizeof *p);
    if (p == NULL)
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    p->drv = drv;
    p->mask = (drv->flags & DRIVER_7BIT) ? 0x7F : 0xFF;
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
    free(p->orig);
    free(p);
}

int parser_feed(struct parser *p, const uint8_t *bytes, size_t len)
{
    if (len == 0)
        return SC_OK;
    /* Compact first, so the buffer stays near max_frame. */
    if (p->pos > 0) {
        memmove(p->buf, p->buf + p->pos, p->len - p->pos);
        if (p->orig != NULL)
            memmove(p->orig, p->orig + p->pos, p->len - p->pos);
        p->len -= p->pos;
        for (size_t i = 0; i < p->n_silence; i++)
            p->silence[i] -= p->pos;
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
        if (p->mask != 0xFF) {
            uint8_t *no = realloc(p->orig, cap);
            if (no == NULL)
                return sc_error_set(SC_ERR_NOMEM, "out of memory");
            p->orig = no;
        }
        p->cap = cap;
    }
    if (p->mask == 0xFF) {
        memcpy(p->buf + p->len, bytes, len);
    } else {
        /* A 7E1 device read at 8N1 puts its parity bit in bit 7: the
         * characters are the low 7 bits (one AND a byte, vectorised). */
        uint8_t *dst = p->buf + p->len;
        for (size_t i = 0; i < len; i++)
            dst[i] = bytes[i] & 0x7F;
        memcpy(p->orig + p->len, bytes, len);
    }
    p->len += len;
    return SC_OK;
}

void parser_by_silence(struct parser *p, bool on)
{
    p->by_silence = on;
    p->n_silence = 0;
}

void parser_silence(struct parser *p)
{
    if (!p->by_silence || p->len == p->pos)
        return;
    if (p->n_silence > 0 && p->silence[p->n_silence - 1] == p->len)
        return;
    if (p->n_silence == MAX_SILENCES) {
        /* Nobody parsed for 32 silences: the oldest two chunks become one
         * (the frames in it are still found; only their edges are lost). */
        memmove(p->silence, p->silence + 1, (MAX_SILENCES - 1) * sizeof p->silence[0]);
        p->n_silence--;
    }
    p->silence[p->n_silence++] = p->len;
}

/* The bytes at pos as they came off the line. */
static const uint8_t *raw_at(const struct parser *p)
{
    return (p->orig != NULL ? p->orig : p->buf) + p->pos;
}

static void skip_bytes(struct parser *p, size_t n)
{
    const uint8_t *raw = raw_at(p);
    if (p->skipped < READING_RAW_MAX) {
        size_t k = READING_RAW_MAX - p->skipped < n ? READING_RAW_MAX - p->skipped : n;
        memcpy(p->skip_raw + p->skipped, raw, k);
    }
    p->skipped += n;
    p->pos += n;
}

/* The skipped bytes as one READING_BAD reading. */
static void report_skipped(struct parser *p, struct reading *out)
{
    reading_clear(out);
    if (p->reason[0])
        reading_set_bad(out, "%zu byte%s skipped: %.76s", p->skipped,
                        p->skipped == 1 ? "" : "s", p->reason);
    else
        reading_set_bad(out, "%zu byte%s skipped: no %s frame", p->skipped,
                        p->skipped == 1 ? "" : "s", p->drv->name);
    reading_set_raw(out, p->skip_raw, p->skipped < READING_RAW_MAX ? p->skipped : READING_RAW_MAX);
    out->raw_len = p->skipped;
    p->skipped = 0;
}

/* Drops silences the parse has passed. */
static void pass_silences(struct parser *p)
{
    size_t k = 0;
    while (k < p->n_silence && p->silence[k] <= p->pos)
        k++;
    if (k > 0) {
        memmove(p->silence, p->silence + k, (p->n_silence - k) * sizeof p->silence[0]);
        p->n_silence -= k;
    }
}

static int next(struct parser *p, struct reading *out, bool at_end)
{
    if (p->have_held) {
        *out = p->held;
        p->have_held = 0;
        return 1;
    }
    for (;;) {
        size_t end = p->len;
        bool chunk_end = at_end;
        if (p->by_silence) {
            /* Only up to the next silence: what came after it waits for
             * its own silence, unless no more bytes will come at all. */
            pass_silences(p);
            if (p->n_silence > 0) {
                end = p->silence[0];
                chunk_end = true;
            } else if (!at_end) {
                break;
            }
        }
        if (p->pos >= end)
            break;
        size_t avail = end - p->pos, used = 0;
        reading_clear(out);
        enum frame_result fr = p->drv->frame(p->state, p->buf + p->pos, avail, chunk_end, &used, out);
        if (fr == FRAME_NEED_MORE) {
            /* A frame can be no longer than max_frame: past that, the start
             * was wrong; skip a byte (guards a driver that keeps asking). */
            if (avail < p->drv->max_frame && !chunk_end)
                return 0;
            fr = FRAME_INVALID;
            used = 1;
        }
        if (used == 0 || used > avail)
            used = 1;
        if (fr == FRAME_INVALID) {
            if (p->skipped == 0)
                memcpy(p->reason, out->info, sizeof p->reason);
            skip_bytes(p, used);
            p->parts = 0;
            /* Framed by silence: bytes up to a silence that made no frame
             * are reported now, not when the next frame comes. */
            if (p->by_silence && chunk_end && p->pos >= end && p->n_silence > 0) {
                report_skipped(p, out);
                return 1;
            }
            continue;
        }
        if (out->raw_len == 0)
            reading_set_raw(out, raw_at(p), used);
        /* A pound or an ounce is printed as the device sent it and refused
         * here, for every driver alike: no mass is ever made of it. */
        reading_refuse_unlawful_unit(out);
        if (fr == FRAME_PART && ++p->parts < MAX_PARTS) {
            /* More readings from these bytes: stay on the frame. */
        } else {
            p->parts = 0;
            p->pos += used;
        }
        if (p->skipped > 0) {
            p->held = *out;
            p->have_held = 1;
            report_skipped(p, out);
        }
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

size_t parser_unbounded(const struct parser *p)
{
    size_t from = p->n_silence > 0 ? p->silence[p->n_silence - 1] : p->pos;
    return from < p->len ? p->len - from : 0;
}

void parser_reset(struct parser *p)
{
    p->len = p->pos = 0;
    p->skipped = 0;
    p->have_held = 0;
    p->parts = 0;
    p->n_silence = 0;
}

const struct driver *parser_driver(const struct parser *p)
{
    return p->drv;
}

void *parser_state(struct parser *p)
{
    return p->state;
}
