/* DL/T 645-2007 multi-function electricity meters (protocols.md g):
 *
 *   [FE FE FE FE] 68 A0..A5 68 C L DATA(L bytes, each +33H) CS 16
 *
 * A0..A5: the meter address, 12 BCD digits, lowest byte first (AA: wildcard).
 * C: D7 direction (1 = from the meter), D6 abnormal reply, D5 more frames,
 * D4..D0 function (11H read data, 13H read address).  CS: the sum of every
 * byte from the first 68H to the byte before CS, mod 256.  Multi-byte items
 * are sent low byte first; values are BCD. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "devices/driver.h"
#include "devices/drv_util.h"

struct di_row {
    uint32_t di;
    const char *quantity;  /* option quantity= */
    const char *name;
    int bytes;             /* BCD bytes of the value */
    int decimals;
    int sign;              /* 1: bit 7 of the top byte is the sign */
    const char *unit;
};

/* Data identifiers.  Formats: 00010000 and 02010100 [src examples]; the
 * others [unconfirmed; protocols.md g]. */
static const struct di_row di_table[] = {
    {0x00000000, "energy", "combined active total energy", 4, 2, 1, "kWh"},
    {0x00010000, "forward-energy", "forward active total energy", 4, 2, 0, "kWh"},
    {0x00020000, "reverse-energy", "reverse active total energy", 4, 2, 0, "kWh"},
    {0x02010100, "voltage-a", "phase A voltage", 2, 1, 0, "V"},
    {0x02010200, "voltage-b", "phase B voltage", 2, 1, 0, "V"},
    {0x02010300, "voltage-c", "phase C voltage", 2, 1, 0, "V"},
    {0x02020100, "current-a", "phase A current", 3, 3, 1, "A"},
    {0x02020200, "current-b", "phase B current", 3, 3, 1, "A"},
    {0x02020300, "current-c", "phase C current", 3, 3, 1, "A"},
    {0x02030000, "power", "total active power", 3, 4, 1, "kW"},
};
#define N_DI (sizeof di_table / sizeof di_table[0])

struct dlt_state {
    uint8_t addr[6];        /* wire order, low byte first */
    const struct di_row *target;
};

static const struct di_row *di_find(uint32_t di)
{
    for (size_t i = 0; i < N_DI; i++)
        if (di_table[i].di == di)
            return &di_table[i];
    return NULL;
}

static int state_new(void **state, const struct driver_opt *opts, size_t n)
{
    struct dlt_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    memset(st->addr, 0xAA, sizeof st->addr);
    st->target = &di_table[0];
    int rc = SC_OK;
    for (size_t i = 0; i < n && rc == SC_OK; i++) {
        const char *k = opts[i].key, *v = opts[i].value;
        if (strcmp(k, "address") == 0) {
            /* 12 digits as printed on the meter, most significant first. */
            if (strlen(v) != 12 || strspn(v, "0123456789") != 12) {
                rc = sc_error_set(SC_ERR_ARG, "dlt645-2007: address=%s: want 12 digits", v);
                break;
            }
            for (int b = 0; b < 6; b++)
                st->addr[b] = (uint8_t)((v[10 - 2 * b] - '0') << 4 | (v[11 - 2 * b] - '0'));
        } else if (strcmp(k, "quantity") == 0) {
            st->target = NULL;
            for (size_t d = 0; d < N_DI; d++)
                if (strcmp(di_table[d].quantity, v) == 0)
                    st->target = &di_table[d];
            if (st->target == NULL)
                rc = sc_error_set(SC_ERR_ARG, "dlt645-2007: quantity=%s: unknown (see --help)", v);
        } else {
            rc = sc_error_set(SC_ERR_ARG, "dlt645-2007: unknown option '%s'", k);
        }
    }
    if (rc < 0) {
        free(st);
        return rc;
    }
    *state = st;
    return SC_OK;
}

static void state_free(void *state)
{
    free(state);
}

static void addr_text(const uint8_t *a, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    for (int b = 0; b < 6; b++) {
        out[10 - 2 * b] = hex[a[b] >> 4];
        out[11 - 2 * b] = hex[a[b] & 15];
    }
    out[12] = '\0';
}

static const char *err_text(uint8_t err)
{
    /* ERR bits [unconfirmed bit list]: the lowest set bit names it. */
    static const char *const bits[] = {"other error", "no requested data", "password error / unauthorised",
                                       "baud rate cannot be changed", "too many year time zones",
                                       "too many daily periods", "too many tariffs"};
    for (int b = 0; b < 7; b++)
        if (err & (1u << b))
            return bits[b];
    return "error";
}

static void decode(struct dlt_state *st, const uint8_t *f, size_t dlen, struct reading *r)
{
    (void)st;
    uint8_t c = f[8];
    const uint8_t *raw = f + 10;
    uint8_t d[256];
    for (size_t i = 0; i < dlen; i++)
        d[i] = (uint8_t)(raw[i] - 0x33);
    char addr[13];
    addr_text(f + 1, addr);
    unsigned func = c & 0x1F;
    snprintf(r->reply, sizeof r->reply, "%02X", c);
    uint32_t di = dlen >= 4 ? (uint32_t)d[3] << 24 | (uint32_t)d[2] << 16 | (uint32_t)d[1] << 8 | d[0] : 0;
    if (!(c & 0x80)) {
        r->kind = READING_REQUEST;
        if (func == 0x11 && dlen >= 4) {
            const struct di_row *row = di_find(di);
            snprintf(r->info, sizeof r->info, "read %08X (%s) from %s", (unsigned)di,
                     row ? row->name : "unknown item", addr);
        } else if (func == 0x13) {
            snprintf(r->info, sizeof r->info, "read address (%s)", addr);
        } else {
            snprintf(r->info, sizeof r->info, "function %02X to %s", func, addr);
        }
        return;
    }
    if (c & 0x40) {
        r->kind = READING_REJECT;
        r->status = READING_STATUS_ERROR;
        snprintf(r->info, sizeof r->info, "meter %s: abnormal reply, ERR 0x%02X: %s", addr,
                 dlen ? d[0] : 0, dlen ? err_text(d[0]) : "no error byte");
        return;
    }
    if (func == 0x13) {
        r->kind = READING_INFO;
        char a[13];
        if (dlen == 6) {
            addr_text(d, a);
            snprintf(r->info, sizeof r->info, "address %s", a);
        } else {
            snprintf(r->info, sizeof r->info, "address reply of %zu bytes", dlen);
        }
        return;
    }
    if (func != 0x11 || dlen < 4) {
        r->kind = READING_INFO;
        snprintf(r->info, sizeof r->info, "meter %s: function %02X, %zu data bytes", addr, func, dlen);
        return;
    }
    const struct di_row *row = di_find(di);
    if (row == NULL || dlen != (size_t)(4 + row->bytes)) {
        r->kind = READING_INFO;
        snprintf(r->info, sizeof r->info, "meter %s: item %08X%s, %zu value bytes", addr, (unsigned)di,
                 row ? " with an unexpected length" : " not in the table", dlen - 4);
        return;
    }
    /* The value: BCD, low byte first; the sign in bit 7 of the top byte. */
    int64_t v = 0;
    int negative = 0;
    for (int i = row->bytes - 1; i >= 0; i--) {
        uint8_t b = d[4 + i];
        if (i == row->bytes - 1 && row->sign) {
            negative = (b & 0x80) != 0;
            b &= 0x7F;
        }
        if ((b >> 4) > 9 || (b & 15) > 9) {
            reading_set_bad(r, "dlt645-2007: %08X: byte %02X is not BCD", (unsigned)di, b);
            return;
        }
        v = v * 100 + (b >> 4) * 10 + (b & 15);
    }
    struct decimal val = {negative ? -v : v, row->decimals};
    reading_set_decimal(r, val);
    snprintf(r->unit, sizeof r->unit, "%s", row->unit);
    snprintf(r->info, sizeof r->info, "meter %s: %s", addr, row->name);
    r->stable = true;
    r->stable_reported = true;
}

static enum frame_result frame(void *state, const uint8_t *buf, size_t len, bool at_end,
                               size_t *used, struct reading *out)
{
    size_t p = 0;
    while (p < len && buf[p] == 0xFE)   /* wake-up preamble, 0-4 bytes */
        p++;
    if (p == len)
        return at_end ? (*used = len, FRAME_INVALID) : FRAME_NEED_MORE;
    if (buf[p] != 0x68) {
        const uint8_t *next = memchr(buf + p, 0x68, len - p);
        size_t skip = next ? (size_t)(next - buf) : len;
        /* Keep FE bytes right before the 68 as the next frame's preamble. */
        while (skip > 0 && skip < len && buf[skip - 1] == 0xFE)
            skip--;
        *used = skip > 0 ? skip : 1;
        return FRAME_INVALID;
    }
    if (len < p + 10)
        return at_end ? (*used = p + 1, FRAME_INVALID) : FRAME_NEED_MORE;
    if (buf[p + 7] != 0x68) {
        *used = p + 1;
        return FRAME_INVALID;
    }
    size_t L = buf[p + 9];
    size_t total = p + 12 + L;
    if (len < total)
        return at_end ? (*used = p + 1, FRAME_INVALID) : FRAME_NEED_MORE;
    if (buf[total - 1] != 0x16) {
        snprintf(out->info, sizeof out->info, "no end byte 16H");
        *used = p + 1;
        return FRAME_INVALID;
    }
    uint8_t cs = 0;
    for (size_t i = p; i < p + 10 + L; i++)
        cs = (uint8_t)(cs + buf[i]);
    *used = total;
    if (cs != buf[p + 10 + L]) {
        reading_set_bad(out, "dlt645-2007: CS 0x%02X, want 0x%02X", buf[p + 10 + L], cs);
        return FRAME_OK;
    }
    decode(state, buf + p, L, out);
    return FRAME_OK;
}

static int put_frame(const struct dlt_state *st, const uint8_t *addr, uint8_t c, const uint8_t *data,
                     size_t dlen, uint8_t *buf, size_t size)
{
    (void)st;
    size_t n = 4 + 12 + dlen;
    if (size < n)
        return sc_error_set(SC_ERR_RANGE, "command buffer too small");
    memset(buf, 0xFE, 4);
    uint8_t *f = buf + 4;
    f[0] = 0x68;
    memcpy(f + 1, addr, 6);
    f[7] = 0x68;
    f[8] = c;
    f[9] = (uint8_t)dlen;
    for (size_t i = 0; i < dlen; i++)
        f[10 + i] = (uint8_t)(data[i] + 0x33);
    uint8_t cs = 0;
    for (size_t i = 0; i < 10 + dlen; i++)
        cs = (uint8_t)(cs + f[i]);
    f[10 + dlen] = cs;
    f[11 + dlen] = 0x16;
    return (int)n;
}

static int command(void *state, enum driver_request req, uint8_t *buf, size_t size)
{
    struct dlt_state *st = state;
    if (req == DRIVER_REQ_STABLE || req == DRIVER_REQ_IMMEDIATE) {
        uint32_t di = st->target->di;
        uint8_t data[4] = {(uint8_t)di, (uint8_t)(di >> 8), (uint8_t)(di >> 16), (uint8_t)(di >> 24)};
        return put_frame(st, st->addr, 0x11, data, 4, buf, size);
    }
    if (req == DRIVER_REQ_IDENTIFY || req == DRIVER_REQ_SERIAL) {
        static const uint8_t wildcard[6] = {0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA};
        return put_frame(st, wildcard, 0x13, NULL, 0, buf, size);
    }
    return sc_error_set(SC_ERR_UNSUPPORTED, "dlt645-2007: only reads data and the address");
}

static const struct decimal *value_of(const struct meter_values *v, const char *quantity)
{
    if (strncmp(quantity, "voltage", 7) == 0)
        return &v->voltage;
    if (strncmp(quantity, "current", 7) == 0)
        return &v->current;
    if (strcmp(quantity, "power") == 0)
        return &v->power;
    return &v->energy;
}

static enum frame_result serve(void *state, const uint8_t *buf, size_t len,
                               const struct meter_values *values, size_t *used, uint8_t *reply,
                               size_t *reply_len)
{
    struct dlt_state *st = state;
    *reply_len = 0;
    struct reading r;
    reading_clear(&r);
    enum frame_result fr = frame(state, buf, len, false, used, &r);
    if (fr != FRAME_OK)
        return fr;
    if (r.kind != READING_REQUEST)
        return FRAME_OK; /* a meter ignores a bad CS and other meters' replies */
    size_t p = 0;
    while (buf[p] == 0xFE)
        p++;
    const uint8_t *f = buf + p;
    uint8_t c = f[8];
    size_t L = f[9];
    /* Ours: our address, or the AA wildcard bytes. */
    for (int i = 0; i < 6; i++)
        if (f[1 + i] != 0xAA && f[1 + i] != st->addr[i])
            return FRAME_OK;
    uint8_t data[64];
    size_t dlen = 0;
    uint8_t rc = 0;
    if (c == 0x13) {
        memcpy(data, st->addr, 6);
        dlen = 6;
        rc = 0x93;
    } else if (c == 0x11 && L >= 4) {
        uint8_t di[4];
        for (int i = 0; i < 4; i++)
            di[i] = (uint8_t)(f[10 + i] - 0x33);
        uint32_t id = (uint32_t)di[3] << 24 | (uint32_t)di[2] << 16 | (uint32_t)di[1] << 8 | di[0];
        const struct di_row *row = di_find(id);
        if (row == NULL) {
            data[0] = 0x02; /* no requested data */
            dlen = 1;
            rc = 0xD1;
        } else {
            struct decimal v = *value_of(values, row->quantity);
            int64_t raw;
            if (decimal_rescale(v, row->decimals, &raw) < 0) {
                raw = v.mant;
                for (int s = v.scale; s > row->decimals; s--)
                    raw /= 10;
            }
            int negative = raw < 0;
            if (negative)
                raw = -raw;
            memcpy(data, di, 4);
            for (int i = 0; i < row->bytes; i++) {
                data[4 + i] = (uint8_t)((raw / 10 % 10) << 4 | raw % 10);
                raw /= 100;
            }
            if (negative && row->sign)
                data[4 + row->bytes - 1] |= 0x80;
            dlen = 4 + (size_t)row->bytes;
            rc = 0x91;
        }
    } else {
        data[0] = 0x01; /* other error */
        dlen = 1;
        rc = (uint8_t)(0xC0 | (c & 0x1F));
    }
    int n = put_frame(st, st->addr, rc, data, dlen, reply, 300);
    if (n < 0)
        return FRAME_OK;
    /* Replies carry no preamble here (meters may send 0-4 FE). */
    memmove(reply, reply + 4, (size_t)n - 4);
    *reply_len = (size_t)n - 4;
    return FRAME_OK;
}

const struct driver driver_dlt645 = {
    .name = "dlt645-2007",
    .maker = "Chinese electricity meters (DL/T 645-2007)",
    .description = "DL/T 645-2007: read data 11H (energy, voltages, currents, power), read address 13H",
    .serialcomm = "2400/8e1",
    .flags = DRIVER_COMMANDS | DRIVER_BINARY,
    .max_frame = 4 + 12 + 255,
    .options_help = "address=NNNNNNNNNNNN quantity=energy|forward-energy|reverse-energy|voltage-a|"
                    "voltage-b|voltage-c|current-a|current-b|current-c|power",
    .state_new = state_new,
    .state_free = state_free,
    .frame = frame,
    .command = command,
    .serve = serve,
};
