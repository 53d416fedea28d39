/* Modbus RTU meters (protocols.md f; Modbus over serial line V1.02 §2.5.1,
 * application protocol V1.1b3 §6.3, §6.4, §7):
 *
 *   request   addr fc start_hi start_lo qty_hi qty_lo crc_lo crc_hi
 *   response  addr fc bytecount reg0_hi reg0_lo ... crc_lo crc_hi
 *   exception addr fc|0x80 code crc_lo crc_hi
 *
 * Frames are delimited on the wire by 3.5 character times of silence; a
 * byte stream (a capture, a pipe) has no timing, so a frame is found where
 * one of the layouts above has a CRC that checks.  What a response means
 * depends on the registers asked for: the parser remembers the last request
 * it saw or built, and looks the register up in the model's map below.
 *
 * Byte/word order, scale and the 0/1-based offset are per-device facts, never
 * guessed: pick a model, or describe the register with options. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "devices/driver.h"
#include "devices/drv_util.h"

enum mb_type { MB_U16, MB_S16, MB_U32, MB_F32_ABCD, MB_F32_CDAB };

struct mb_reg {
    const char *model;
    const char *quantity;
    uint8_t fc;
    uint16_t addr;      /* 0-based protocol address */
    enum mb_type type;
    int decimals;       /* integers: value = raw x 10^-decimals; floats: rounded to */
    const char *unit;
};

/* Register maps, one row per quantity.  Eastron SDM72D-M / SDM230 [src:
 * user manual part 3]: FC 04, IEEE-754 floats, big-endian words (ABCD). */
static const struct mb_reg reg_map[] = {
    {"sdm", "voltage", 4, 0x0000, MB_F32_ABCD, 1, "V"},
    {"sdm", "current", 4, 0x0006, MB_F32_ABCD, 3, "A"},
    {"sdm", "power", 4, 0x000C, MB_F32_ABCD, 1, "W"},
    {"sdm", "energy", 4, 0x0156, MB_F32_ABCD, 2, "kWh"},
    /* Meters with word-swapped floats (CDAB), same addresses. */
    {"float-cdab", "voltage", 4, 0x0000, MB_F32_CDAB, 1, "V"},
    {"float-cdab", "current", 4, 0x0006, MB_F32_CDAB, 3, "A"},
    {"float-cdab", "energy", 4, 0x0156, MB_F32_CDAB, 2, "kWh"},
    /* Meters with scaled 16-bit holding registers: 0.1 V, 0.01 A, 0.01 kWh. */
    {"int-scaled", "voltage", 3, 0x0000, MB_U16, 1, "V"},
    {"int-scaled", "current", 3, 0x0001, MB_U16, 2, "A"},
    {"int-scaled", "energy", 3, 0x0002, MB_U32, 2, "kWh"},
};
#define N_REGS (sizeof reg_map / sizeof reg_map[0])

struct mb_state {
    uint8_t slave;
    const char *model;
    struct mb_reg custom;       /* register= given: this one row */
    char custom_unit[16];
    const struct mb_reg *target; /* what `read` asks for */
    int have_req;               /* the last request seen or sent */
    uint8_t req_fc;
    uint16_t req_start, req_count;
    /* The text of the last request and value decoded: a capture polls the
     * same register again and again, so it is built once. */
    uint64_t req_key;
    char req_info[READING_INFO_MAX];
    const struct mb_reg *val_reg;
    char val_info[READING_INFO_MAX];
};

static int reg_regs(enum mb_type t)
{
    return t == MB_U16 || t == MB_S16 ? 1 : 2;
}

static const char *type_name(enum mb_type t)
{
    static const char *const names[] = {"u16", "s16", "u32", "float", "float-cdab"};
    return names[t];
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 0);
    if (*s == '\0' || *end != '\0' || v > max)
        return -1;
    *out = v;
    return 0;
}

static int state_new(void **state, const struct driver_opt *opts, size_t n)
{
    struct mb_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    st->slave = 1;
    st->model = reg_map[0].model; /* sdm (a row's pointer: lookup compares them) */
    const char *quantity = NULL;
    int custom = 0, decimals_given = 0;
    st->custom = (struct mb_reg){"custom", "value", 4, 0, MB_F32_ABCD, 0, ""};
    int rc = SC_OK;
    for (size_t i = 0; i < n && rc == SC_OK; i++) {
        const char *k = opts[i].key, *v = opts[i].value;
        unsigned long u = 0;
        if (strcmp(k, "slave") == 0) {
            if (parse_uint(v, 247, &u) < 0 || u == 0)
                rc = sc_error_set(SC_ERR_ARG, "modbus-rtu: slave=%s: want 1-247", v);
            st->slave = (uint8_t)u;
        } else if (strcmp(k, "model") == 0) {
            int found = 0;
            for (size_t r = 0; r < N_REGS; r++)
                if (strcmp(reg_map[r].model, v) == 0) {
                    st->model = reg_map[r].model;
                    found = 1;
                }
            if (!found)
                rc = sc_error_set(SC_ERR_ARG, "modbus-rtu: model=%s: want sdm, float-cdab or int-scaled", v);
        } else if (strcmp(k, "quantity") == 0) {
            quantity = v;
        } else if (strcmp(k, "register") == 0) {
            if (parse_uint(v, 0xFFFF, &u) < 0)
                rc = sc_error_set(SC_ERR_ARG, "modbus-rtu: register=%s: want 0-0xFFFF (0-based)", v);
            st->custom.addr = (uint16_t)u;
            custom = 1;
        } else if (strcmp(k, "fc") == 0) {
            if (strcmp(v, "3") != 0 && strcmp(v, "4") != 0)
                rc = sc_error_set(SC_ERR_ARG, "modbus-rtu: fc=%s: want 3 or 4", v);
            st->custom.fc = (uint8_t)(v[0] - '0');
            custom = 1;
        } else if (strcmp(k, "type") == 0) {
            int t = -1;
            for (int j = 0; j <= MB_F32_CDAB; j++)
                if (strcmp(type_name((enum mb_type)j), v) == 0)
                    t = j;
            if (t < 0)
                rc = sc_error_set(SC_ERR_ARG, "modbus-rtu: type=%s: want u16, s16, u32, float or float-cdab", v);
            else
                st->custom.type = (enum mb_type)t;
            custom = 1;
        } else if (strcmp(k, "decimals") == 0) {
            if (parse_uint(v, 9, &u) < 0)
                rc = sc_error_set(SC_ERR_ARG, "modbus-rtu: decimals=%s: want 0-9", v);
            st->custom.decimals = (int)u;
            custom = 1;
            decimals_given = 1;
        } else if (strcmp(k, "unit") == 0) {
            if (strlen(v) >= sizeof st->custom_unit)
                rc = sc_error_set(SC_ERR_ARG, "modbus-rtu: unit=%s: at most %zu characters", v,
                                  sizeof st->custom_unit - 1);
            snprintf(st->custom_unit, sizeof st->custom_unit, "%s", v);
            st->custom.unit = st->custom_unit;
            custom = 1;
        } else {
            rc = sc_error_set(SC_ERR_ARG, "modbus-rtu: unknown option '%s'", k);
        }
    }
    if (rc == SC_OK && custom && !decimals_given) {
        /* A register's scale is a fact of the meter, never a default: an
         * integer 770 may be 770 V, 77.0 V or 7.70 A. */
        rc = sc_error_set(SC_ERR_ARG, "modbus-rtu: register=0x%04X needs decimals=N: the value is the "
                          "register times 10^-N (decimals=0 for whole units; floats are rounded to N)",
                          (unsigned)st->custom.addr);
    }
    if (rc == SC_OK && custom) {
        st->model = "custom";
        st->target = &st->custom;
    } else if (rc == SC_OK) {
        for (size_t r = 0; r < N_REGS && st->target == NULL; r++)
            if (strcmp(reg_map[r].model, st->model) == 0 &&
                (quantity == NULL || strcmp(reg_map[r].quantity, quantity) == 0))
                st->target = &reg_map[r];
        if (st->target == NULL)
            rc = sc_error_set(SC_ERR_ARG, "modbus-rtu: model %s has no quantity '%s'", st->model,
                              quantity);
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

static int crc_ok(const uint8_t *buf, size_t n)
{
    return drv_crc16_modbus(buf, n) == 0; /* over the frame with its CRC: 0 */
}

static const char *exception_text(uint8_t code)
{
    switch (code) {
    case 0x01: return "illegal function";
    case 0x02: return "illegal data address";
    case 0x03: return "illegal data value";
    case 0x04: return "server device failure";
    case 0x05: return "acknowledge";
    case 0x06: return "server device busy";
    case 0x08: return "memory parity error";
    case 0x0A: return "gateway path unavailable";
    case 0x0B: return "gateway target device failed to respond";
    default: return "unknown exception";
    }
}

/* The register row a response of fc with bytecount bc answers. */
static const struct mb_reg *lookup(const struct mb_state *st, uint8_t fc, size_t bc)
{
    if (st->have_req && st->req_fc == fc && (size_t)st->req_count * 2 == bc) {
        if (st->target == &st->custom && st->custom.addr == st->req_start && st->custom.fc == fc)
            return &st->custom;
        for (size_t r = 0; r < N_REGS; r++) /* st->model is a row's own pointer */
            if (reg_map[r].model == st->model && reg_map[r].fc == fc && reg_map[r].addr == st->req_start)
                return &reg_map[r];
        return NULL;
    }
    /* No request seen: the configured quantity, if the shape fits. */
    if (st->target->fc == fc && (size_t)reg_regs(st->target->type) * 2 == bc)
        return st->target;
    return NULL;
}

static const double pow10_table[10] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

static void put_fc(struct reading *r, uint8_t fc)
{
    static const char hex[] = "0123456789ABCDEF";
    r->reply[0] = hex[fc >> 4];
    r->reply[1] = hex[fc & 15];
    r->reply[2] = '\0';
}

static void decode_value(const struct mb_reg *reg, const uint8_t *d, struct reading *r)
{
    uint32_t w0 = (uint32_t)(d[0] << 8 | d[1]);
    struct decimal v = {0, reg->decimals};
    switch (reg->type) {
    case MB_U16:
        v.mant = w0;
        break;
    case MB_S16:
        v.mant = (int16_t)w0;
        break;
    case MB_U32:
        v.mant = (int64_t)(w0 << 16 | (uint32_t)(d[2] << 8 | d[3]));
        break;
    case MB_F32_ABCD:
    case MB_F32_CDAB: {
        uint32_t w1 = (uint32_t)(d[2] << 8 | d[3]);
        uint32_t bits = reg->type == MB_F32_ABCD ? (w0 << 16 | w1) : (w1 << 16 | w0);
        float f;
        memcpy(&f, &bits, sizeof f);
        /* The meter sends a binary float; it becomes an exact decimal at the
         * register's resolution here, once (round half away from zero). */
        double scaled = (double)f * pow10_table[reg->decimals];
        if (!isfinite(scaled) || fabs(scaled) > 9e15) {
            reading_set_bad(r, "modbus-rtu: register value is not a finite number in range");
            return;
        }
        v.mant = llround(scaled);
        break;
    }
    }
    reading_set_decimal(r, v);
    READING_SET(r, unit, reg->unit);
    r->stable = true; /* a meter value has no motion */
    r->stable_reported = true;
}

/* The length of a frame whose layout and CRC hold at buf[0..len) when it is
 * exactly n bytes: a request (8), an exception (5), a response (5 + bc). */
static int fits(const uint8_t *buf, size_t n)
{
    if (n < 5 || buf[0] > 247)
        return 0;
    uint8_t fc = buf[1];
    if (fc & 0x80)
        return n == 5 && (fc & 0x7F) != 0 && (fc & 0x7F) <= 0x2B && crc_ok(buf, 5);
    if (fc != 3 && fc != 4)
        return 0;
    if (n == 8)
        return crc_ok(buf, 8);
    size_t bc = buf[2];
    return bc % 2 == 0 && bc > 0 && bc <= 250 && n == 5 + bc && crc_ok(buf, n);
}

/* Whether buf[0..len) is whole frames and nothing else, at most depth of
 * them; *first gets the first frame's length. */
static int splits(const uint8_t *buf, size_t len, int depth, size_t *first)
{
    if (len == 0)
        return 1;
    if (depth == 0 || len < 5)
        return 0;
    size_t cand[3] = {5, 8, len >= 3 ? 5 + (size_t)buf[2] : 0};
    for (int i = 0; i < 3; i++) {
        size_t k = cand[i], rest;
        if (k == 0 || k > len || !fits(buf, k) || (i == 2 && k == 8))
            continue;
        if (splits(buf + k, len - k, depth - 1, &rest)) {
            *first = k;
            return 1;
        }
    }
    return 0;
}

/* Decodes the frame of exactly n bytes at buf (fits() holds). */
static void decode_frame(struct mb_state *st, const uint8_t *buf, size_t n, struct reading *out)
{
    uint8_t addr = buf[0], fc = buf[1];
    if (fc & 0x80) {
        uint8_t base = fc & 0x7F;
        out->kind = READING_REJECT;
        out->status = READING_STATUS_ERROR;
        put_fc(out, base);
        snprintf(out->info, sizeof out->info, "exception %02X to function %02X: %s", buf[2], base,
                 exception_text(buf[2]));
        return;
    }
    put_fc(out, fc);
    if (n == 8) {
        uint16_t start = (uint16_t)(buf[2] << 8 | buf[3]), qty = (uint16_t)(buf[4] << 8 | buf[5]);
        out->kind = READING_REQUEST;
        uint64_t key = (uint64_t)1 << 48 | (uint64_t)fc << 40 | (uint64_t)start << 24 | (uint64_t)qty << 8 | addr;
        if (st->req_key != key) {
            size_t k = 0;
            char *in = st->req_info;
            size_t sz = sizeof st->req_info;
            drv_cat(in, sz, &k, fc == 3 ? "read holding registers 0x" : "read input registers 0x");
            drv_cat_hex(in, sz, &k, start, 4);
            drv_cat(in, sz, &k, " x");
            drv_cat_uint(in, sz, &k, qty);
            drv_cat(in, sz, &k, " from slave ");
            drv_cat_uint(in, sz, &k, addr);
            st->req_key = key;
        }
        memcpy(out->info, st->req_info, sizeof out->info);
        st->have_req = 1;
        st->req_fc = fc;
        st->req_start = start;
        st->req_count = qty;
        return;
    }
    size_t bc = buf[2];
    out->kind = READING_VALUE;
    const struct mb_reg *reg = lookup(st, fc, bc);
    if (reg != NULL) {
        decode_value(reg, buf + 3, out);
        if (out->kind == READING_VALUE) {
            if (st->val_reg != reg) {
                size_t k = 0;
                char *in = st->val_info;
                drv_cat(in, sizeof st->val_info, &k, reg->model);
                drv_cat(in, sizeof st->val_info, &k, " ");
                drv_cat(in, sizeof st->val_info, &k, reg->quantity);
                drv_cat(in, sizeof st->val_info, &k, " 0x");
                drv_cat_hex(in, sizeof st->val_info, &k, reg->addr, 4);
                st->val_reg = reg;
            }
            memcpy(out->info, st->val_info, sizeof out->info);
        }
    } else {
        /* No map row: the first register as it is. */
        struct decimal v = {(int64_t)(buf[3] << 8 | buf[4]), 0};
        reading_set_decimal(out, v);
        snprintf(out->info, sizeof out->info, "%zu register%s, no map row: first as u16", bc / 2,
                 bc == 2 ? "" : "s");
        out->stable_reported = false;
    }
}

/* at_end: buf[0..len) ends at a silence of 3.5 characters (Modbus over
 * serial line V1.02 §2.5.1.1: frames are separated by at least 3.5
 * character times of silence), or at the end of a capture.  Between two
 * silences there are whole frames and nothing else (a reader late to the
 * line may find two); anything else is one bad frame, even when its first
 * bytes would pass for a frame by their CRC.  Without at_end (a stream with
 * no timing: a capture, a pipe) frames are found by their layout and CRC. */
static enum frame_result frame(void *state, const uint8_t *buf, size_t len, bool at_end,
                               size_t *used, struct reading *out)
{
    struct mb_state *st = state;
    if (at_end) {
        size_t first = 0;
        if (len <= 2 * 256 && splits(buf, len, 8, &first)) {
            decode_frame(st, buf, first, out);
            *used = first;
            return FRAME_OK;
        }
        size_t pre = len >= 8 && fits(buf, 8) ? 8 : len >= 5 && fits(buf, 5) ? 5 : 0;
        if (pre == 0 && len >= 3 && buf[2] % 2 == 0 && 5 + (size_t)buf[2] < len && fits(buf, 5 + (size_t)buf[2]))
            pre = 5 + (size_t)buf[2];
        /* Skipped as one: the parser reports the bytes and this reason. */
        READING_SET(out, info, pre ? "not whole frames up to a silence: the first bytes pass, so bytes too many"
                                   : "not whole frames with a valid CRC up to a silence");
        *used = len;
        return FRAME_INVALID;
    }
    if (len < 2)
        return FRAME_NEED_MORE;
    uint8_t addr = buf[0], fc = buf[1];
    if (addr > 247) {
        *used = 1;
        return FRAME_INVALID;
    }
    if (fc & 0x80) {
        /* Exception: addr fc|0x80 code crc */
        uint8_t base = fc & 0x7F;
        if (base == 0 || base > 0x2B) {
            *used = 1;
            return FRAME_INVALID;
        }
        if (len < 5)
            return FRAME_NEED_MORE;
        if (!crc_ok(buf, 5)) {
            READING_SET(out, info, "CRC mismatch");
            *used = 1;
            return FRAME_INVALID;
        }
        decode_frame(st, buf, 5, out);
        *used = 5;
        return FRAME_OK;
    }
    if (fc != 3 && fc != 4) {
        *used = 1;
        return FRAME_INVALID;
    }
    /* A response (addr fc bc data crc) when it is all here and its CRC
     * holds, else a request (8 bytes): of two readings of the same bytes the
     * longer, complete frame wins (a reply whose first 8 bytes happen to
     * pass a request's CRC stays a reply). */
    size_t bc = len >= 3 ? buf[2] : 0, total = 5 + bc;
    int resp_shape = len >= 3 && bc % 2 == 0 && bc > 0 && bc <= 250;
    if (resp_shape && len >= total && crc_ok(buf, total)) {
        decode_frame(st, buf, total, out);
        *used = total;
        return FRAME_OK;
    }
    if (len >= 8 && crc_ok(buf, 8)) {
        decode_frame(st, buf, 8, out);
        *used = 8;
        return FRAME_OK;
    }
    int need_more = len < 8 || (resp_shape && len < total) || len < 3;
    if (need_more)
        return FRAME_NEED_MORE;
    READING_SET(out, info, "no frame with a valid CRC");
    *used = 1;
    return FRAME_INVALID;
}

static int command(void *state, enum driver_request req, uint8_t *buf, size_t size)
{
    struct mb_state *st = state;
    if (req != DRIVER_REQ_STABLE && req != DRIVER_REQ_IMMEDIATE)
        return sc_error_set(SC_ERR_UNSUPPORTED, "modbus-rtu: only reads");
    if (size < 8)
        return sc_error_set(SC_ERR_RANGE, "command buffer too small");
    const struct mb_reg *t = st->target;
    uint16_t qty = (uint16_t)reg_regs(t->type);
    buf[0] = st->slave;
    buf[1] = t->fc;
    buf[2] = (uint8_t)(t->addr >> 8);
    buf[3] = (uint8_t)t->addr;
    buf[4] = (uint8_t)(qty >> 8);
    buf[5] = (uint8_t)qty;
    uint16_t crc = drv_crc16_modbus(buf, 6);
    buf[6] = (uint8_t)crc;
    buf[7] = (uint8_t)(crc >> 8);
    st->have_req = 1;
    st->req_fc = t->fc;
    st->req_start = t->addr;
    st->req_count = qty;
    return 8;
}

static const struct decimal *value_of(const struct meter_values *v, const char *quantity)
{
    if (strcmp(quantity, "voltage") == 0)
        return &v->voltage;
    if (strcmp(quantity, "current") == 0)
        return &v->current;
    if (strcmp(quantity, "power") == 0)
        return &v->power;
    if (strcmp(quantity, "energy") == 0)
        return &v->energy;
    return NULL;
}

/* The register words of one row for value d. */
static int encode_value(const struct mb_reg *reg, struct decimal d, uint8_t *out)
{
    int64_t raw;
    if (reg->type == MB_F32_ABCD || reg->type == MB_F32_CDAB) {
        double x = (double)d.mant;
        for (int i = 0; i < d.scale; i++)
            x /= 10;
        float f = (float)x;
        uint32_t bits;
        memcpy(&bits, &f, sizeof bits);
        uint32_t w0 = bits >> 16, w1 = bits & 0xFFFF;
        if (reg->type == MB_F32_CDAB) {
            uint32_t t = w0;
            w0 = w1;
            w1 = t;
        }
        out[0] = (uint8_t)(w0 >> 8);
        out[1] = (uint8_t)w0;
        out[2] = (uint8_t)(w1 >> 8);
        out[3] = (uint8_t)w1;
        return 4;
    }
    if (decimal_rescale(d, reg->decimals, &raw) < 0) {
        /* more digits than the register keeps: cut, as a meter would */
        raw = d.mant;
        for (int s = d.scale; s > reg->decimals; s--)
            raw /= 10;
    }
    if (reg->type == MB_U32) {
        out[0] = (uint8_t)(raw >> 24);
        out[1] = (uint8_t)(raw >> 16);
        out[2] = (uint8_t)(raw >> 8);
        out[3] = (uint8_t)raw;
        return 4;
    }
    out[0] = (uint8_t)(raw >> 8);
    out[1] = (uint8_t)raw;
    return 2;
}

static size_t put_crc(uint8_t *f, size_t n)
{
    uint16_t crc = drv_crc16_modbus(f, n);
    f[n] = (uint8_t)crc;
    f[n + 1] = (uint8_t)(crc >> 8);
    return n + 2;
}

static enum frame_result serve(void *state, const uint8_t *buf, size_t len,
                               const struct meter_values *values, size_t *used, uint8_t *reply,
                               size_t *reply_len)
{
    struct mb_state *st = state;
    *reply_len = 0;
    if (len < 8)
        return FRAME_NEED_MORE;
    if (!crc_ok(buf, 8)) {
        *used = 1; /* a slave ignores a frame with a bad CRC */
        return FRAME_INVALID;
    }
    *used = 8;
    if (buf[0] != st->slave)
        return FRAME_OK; /* another slave's */
    uint8_t fc = buf[1];
    uint16_t start = (uint16_t)(buf[2] << 8 | buf[3]), qty = (uint16_t)(buf[4] << 8 | buf[5]);
    reply[0] = st->slave;
    if (fc != 3 && fc != 4) {
        reply[1] = fc | 0x80;
        reply[2] = 0x01; /* illegal function */
        *reply_len = put_crc(reply, 3);
        return FRAME_OK;
    }
    /* Fill the asked range from the rows that start in it; a range that
     * starts or ends inside nothing known is an illegal data address. */
    uint8_t data[250];
    size_t filled = 0;
    if (qty == 0 || qty > 125) {
        reply[1] = fc | 0x80;
        reply[2] = 0x03;
        *reply_len = put_crc(reply, 3);
        return FRAME_OK;
    }
    while (filled < (size_t)qty * 2) {
        uint16_t addr = (uint16_t)(start + filled / 2);
        const struct mb_reg *row = NULL;
        if (st->target == &st->custom && st->custom.fc == fc && st->custom.addr == addr)
            row = &st->custom;
        for (size_t r = 0; r < N_REGS && row == NULL; r++)
            if (strcmp(reg_map[r].model, st->model) == 0 && reg_map[r].fc == fc && reg_map[r].addr == addr)
                row = &reg_map[r];
        const struct decimal *v = row ? value_of(values, row->quantity) : NULL;
        if (row == NULL || filled + (size_t)reg_regs(row->type) * 2 > (size_t)qty * 2) {
            reply[1] = fc | 0x80;
            reply[2] = 0x02; /* illegal data address */
            *reply_len = put_crc(reply, 3);
            return FRAME_OK;
        }
        struct decimal zero = {0, 0};
        filled += (size_t)encode_value(row, v ? *v : zero, data + filled);
    }
    reply[1] = fc;
    reply[2] = (uint8_t)filled;
    memcpy(reply + 3, data, filled);
    *reply_len = put_crc(reply, 3 + filled);
    return FRAME_OK;
}

const struct driver driver_modbus_rtu = {
    .name = "modbus-rtu",
    .maker = "Modbus meters (Eastron SDM and others)",
    .description = "Modbus RTU FC 03/04, CRC-16/MODBUS, exceptions; register maps per model",
    .serialcomm = "9600/8e1",
    .flags = DRIVER_COMMANDS | DRIVER_BINARY | DRIVER_SILENCE,
    .max_frame = 256,
    .options_help = "slave=N (1-247)  model=sdm|float-cdab|int-scaled  "
                    "quantity=voltage|current|power|energy; or one register of your own: "
                    "register=0xNNNN (0-based)  fc=3|4  type=u16|s16|u32|float|float-cdab  "
                    "decimals=N (required: value = register x 10^-N; floats rounded to N)  unit=U",
    .state_new = state_new,
    .state_free = state_free,
    .frame = frame,
    .command = command,
    .serve = serve,
};
