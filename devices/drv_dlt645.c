/* DL/T 645-2007 multi-function electricity meters (多功能电能表通信协议):
 *
 *   [FE FE FE FE] 68 A0..A5 68 C L DATA(L bytes, each +33H) CS 16
 *
 * A0..A5: the meter address, 12 BCD digits, lowest byte first (AA:
 * wildcard).  C: D7 direction (1 = from the meter), D6 abnormal reply, D5
 * follow-up frames exist (有后续帧), D4..D0 function: 11H read data, 12H read
 * follow-up data (读后续数据), 13H read address.  CS: the sum of every byte
 * from the first 68H to the byte before CS, mod 256.  Multi-byte items are
 * sent low byte first; values are BCD, the sign (where there is one) in bit
 * 7 of the top byte.
 *
 * Multi-frame replies (§7.1, §7.2): a read answered with C = B1H has more
 * frames; the master asks for each with C = 12H, DATA = DI + SEQ (the frame
 * sequence number, 01H for the first follow-up, one more each time), and the
 * meter answers C = B2H (more still) or 92H (the last) with DATA = DI, the
 * next data bytes, SEQ.  The item or data block is decoded once the last
 * frame is in.
 *
 * Data identifiers DI3 DI2 DI1 DI0 (Appendix A; formats as the open
 * bobyuxinyang/dlt645_2007 parser tabulates them):
 *   00 DI2 DI1 00  energy, XXXXXX.XX, 4 bytes: DI2 00 combined active
 *                  (signed), 01 forward active, 02 reverse active, 03/04
 *                  combined reactive 1/2 (signed), 05-08 quadrant I-IV
 *                  reactive, 09/0A forward/reverse apparent; DI1 00 total,
 *                  01-3F tariff n, FF the block (total, then each tariff)
 *   02 01 DI1 00   voltage XXX.X V, 2 bytes; DI1 01-03 phase A-C, FF block
 *   02 02 DI1 00   current XXX.XXX A, 3 bytes, signed
 *   02 03 DI1 00   active power XX.XXXX kW, 3 bytes, signed; DI1 00 total,
 *                  01-03 phase A-C, FF block (total, A, B, C)
 *   02 04 DI1 00   reactive power XX.XXXX kvar (as 0203)
 *   02 05 DI1 00   apparent power XX.XXXX kVA (as 0203)
 *   02 06 DI1 00   power factor X.XXX, 2 bytes, signed (as 0203)
 * In a data block an item the meter does not have (a phase of a
 * single-phase meter) is sent as FF bytes: such an item reads as absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "devices/driver.h"
#include "devices/drv_util.h"

#define DLT_MAX_DATA 200      /* L at most 200 when reading */
#define DLT_MAX_BLOCK 1024    /* a reply joined over follow-up frames */

/* What an identifier names. */
struct di_info {
    int item_bytes, decimals, sign;
    const char *unit;
    int block;        /* DI1 = FF: several items */
    int first;        /* the first item's DI1 (00 total, 01 phase A) */
    const char *what; /* "voltage", "active power", "combined active" */
    int energy;       /* names read "<what> total energy", "... tariff n energy" */
};

static int di_describe(uint32_t di, struct di_info *d)
{
    unsigned d3 = di >> 24, d2 = (di >> 16) & 0xFF, d1 = (di >> 8) & 0xFF, d0 = di & 0xFF;
    memset(d, 0, sizeof *d);
    if (d0 != 0)
        return -1;
    if (d3 == 0x00) {
        static const char *const fam[] = {"combined active", "forward active", "reverse active",
                                          "combined reactive 1", "combined reactive 2",
                                          "quadrant I reactive", "quadrant II reactive",
                                          "quadrant III reactive", "quadrant IV reactive",
                                          "forward apparent", "reverse apparent"};
        if (d2 > 0x0A || (d1 > 0x3F && d1 != 0xFF))
            return -1;
        d->item_bytes = 4;
        d->decimals = 2;
        d->sign = d2 == 0x00 || d2 == 0x03 || d2 == 0x04;
        d->unit = d2 <= 0x02 ? "kWh" : d2 <= 0x08 ? "kvarh" : "kVAh";
        d->what = fam[d2];
        d->energy = 1;
        d->block = d1 == 0xFF;
        d->first = d->block ? 0 : (int)d1;
        return 0;
    }
    if (d3 != 0x02)
        return -1;
    int phases_only = 0;
    switch (d2) {
    case 0x01: d->item_bytes = 2; d->decimals = 1; d->unit = "V"; d->what = "voltage"; phases_only = 1; break;
    case 0x02: d->item_bytes = 3; d->decimals = 3; d->sign = 1; d->unit = "A"; d->what = "current"; phases_only = 1; break;
    case 0x03: d->item_bytes = 3; d->decimals = 4; d->sign = 1; d->unit = "kW"; d->what = "active power"; break;
    case 0x04: d->item_bytes = 3; d->decimals = 4; d->sign = 1; d->unit = "kvar"; d->what = "reactive power"; break;
    case 0x05: d->item_bytes = 3; d->decimals = 4; d->sign = 1; d->unit = "kVA"; d->what = "apparent power"; break;
    case 0x06: d->item_bytes = 2; d->decimals = 3; d->sign = 1; d->unit = ""; d->what = "power factor"; break;
    default: return -1;
    }
    if (d1 == 0xFF) {
        d->block = 1;
        d->first = phases_only ? 1 : 0;
    } else if (d1 <= 0x03 && !(phases_only && d1 == 0)) {
        d->first = (int)d1;
    } else {
        return -1;
    }
    return 0;
}

/* Items in a block of len value bytes (energy blocks: total + tariffs). */
static int di_items(const struct di_info *d, size_t len)
{
    if (!d->block)
        return 1;
    if (d->energy)
        return (int)(len / (size_t)d->item_bytes);
    return d->first == 1 ? 3 : 4;
}

/* The name of item k of the identifier: "phase B voltage", "total active
 * power", "forward active tariff 2 energy". */
static void item_name(const struct di_info *d, int k, char *out, size_t size)
{
    int idx = d->first + k;
    size_t n = 0;
    out[0] = '\0';
    if (d->energy) {
        drv_cat(out, size, &n, d->what);
        if (idx == 0) {
            drv_cat(out, size, &n, " total energy");
        } else {
            drv_cat(out, size, &n, " tariff ");
            drv_cat_uint(out, size, &n, (unsigned)idx);
            drv_cat(out, size, &n, " energy");
        }
    } else if (idx == 0) {
        drv_cat(out, size, &n, "total ");
        drv_cat(out, size, &n, d->what);
    } else {
        char phase[9] = "phase A ";
        phase[6] = (char)('A' + idx - 1);
        drv_cat(out, size, &n, phase);
        drv_cat(out, size, &n, d->what);
    }
}

/* The quantity= names, for read. */
static const struct {
    const char *quantity;
    uint32_t di;
} quantities[] = {
    {"energy", 0x00000000},         {"forward-energy", 0x00010000},
    {"reverse-energy", 0x00020000}, {"reactive-energy", 0x00030000},
    {"energy-tariffs", 0x0000FF00}, {"voltage-a", 0x02010100},
    {"voltage-b", 0x02010200},      {"voltage-c", 0x02010300},
    {"voltages", 0x0201FF00},       {"current-a", 0x02020100},
    {"current-b", 0x02020200},      {"current-c", 0x02020300},
    {"currents", 0x0202FF00},       {"power", 0x02030000},
    {"power-a", 0x02030100},        {"power-b", 0x02030200},
    {"power-c", 0x02030300},        {"powers", 0x0203FF00},
    {"reactive-power", 0x02040000}, {"apparent-power", 0x02050000},
    {"power-factor", 0x02060000},   {"power-factors", 0x0206FF00},
};
#define N_QUANTITIES (sizeof quantities / sizeof quantities[0])

struct dlt_state {
    uint8_t addr[6];        /* wire order, low byte first */
    uint32_t target;        /* the DI `read` asks for */
    /* A reply over several frames, being joined. */
    uint32_t acc_di;
    uint8_t acc[DLT_MAX_BLOCK];
    size_t acc_len;
    int acc_open;           /* a B1/B2 came: follow-ups expected */
    unsigned next_seq;      /* SEQ of the next follow-up request */
    int asked_seq;          /* the SEQ last asked (request seen or built), -1 none */
    /* A frame read as several readings (FRAME_PART). */
    int part;
    uint32_t part_key;
    /* The frame being read part by part, decoded once: its bytes (to know
     * it again when the parser comes back for the next part), the value
     * bytes and what they are. */
    uint8_t part_frame[4 + 12 + 255];
    size_t part_len;
    uint32_t part_di;
    const uint8_t *part_v;
    size_t part_vlen;
    uint8_t part_c;
    uint8_t dbuf[256 + 8];  /* DATA less 33H */
    /* The last identifier described and its items' names (a capture reads
     * the same ones again and again). */
    struct di_slot {
        uint32_t di;
        int used;
        struct di_info d;
        char names[8][48];
        uint8_t named;      /* bit k: names[k] is built */
    } slot[4];
    unsigned next_slot;
    struct di_slot *cur;    /* the slot describe() gave last */
    /* The last address printed (decoding a capture repeats it). */
    uint8_t addr_wire[6];
    char addr_txt[13];
    /* The device side (sim): a reply being sent in several frames. */
    uint8_t out[DLT_MAX_BLOCK];
    size_t out_len, out_pos;
    uint32_t out_di;
    unsigned out_seq;
};

static int state_new(void **state, const struct driver_opt *opts, size_t n)
{
    struct dlt_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    memset(st->addr, 0xAA, sizeof st->addr);
    st->target = 0x00000000;
    st->asked_seq = -1;
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
            size_t q = 0;
            while (q < N_QUANTITIES && strcmp(quantities[q].quantity, v) != 0)
                q++;
            if (q == N_QUANTITIES)
                rc = sc_error_set(SC_ERR_ARG, "dlt645-2007: quantity=%s: unknown (stallcheck read --list)", v);
            else
                st->target = quantities[q].di;
        } else if (strcmp(k, "di") == 0) {
            char *end;
            unsigned long di = strtoul(v, &end, 16);
            struct di_info d;
            if (strlen(v) != 8 || *end != '\0' || di_describe((uint32_t)di, &d) < 0)
                rc = sc_error_set(SC_ERR_ARG, "dlt645-2007: di=%s: want 8 hex digits of an identifier "
                                  "we decode (00xxxx00 energy, 0201-0206xx00)", v);
            else
                st->target = (uint32_t)di;
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

/* di_describe and item_name through the state's cache: a capture reads
 * a few identifiers again and again. */
static const struct di_info *describe(struct dlt_state *st, uint32_t di)
{
    for (int i = 0; i < 4; i++)
        if (st->slot[i].used && st->slot[i].di == di)
            return &(st->cur = &st->slot[i])->d;
    struct di_info d;
    if (di_describe(di, &d) < 0)
        return NULL;
    struct di_slot *sl = &st->slot[st->next_slot++ % 4];
    sl->di = di;
    sl->used = 1;
    sl->d = d;
    sl->named = 0;
    st->cur = sl;
    return &sl->d;
}

/* Item k's name of the identifier describe() gave last. */
static const char *name_of(struct dlt_state *st, int k)
{
    struct di_slot *sl = st->cur;
    if (k >= 8) {
        static char spare[48]; /* tariffs beyond the 7th: not cached */
        item_name(&sl->d, k, spare, sizeof spare);
        return spare;
    }
    if (!(sl->named & (1u << k))) {
        item_name(&sl->d, k, sl->names[k], sizeof sl->names[k]);
        sl->named |= (uint8_t)(1u << k);
    }
    return sl->names[k];
}

/* The sum of n bytes mod 256, eight at a time (16-bit lanes: a frame of at
 * most 271 bytes cannot overflow one). */
static uint8_t byte_sum(const uint8_t *b, size_t n)
{
    uint64_t acc = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, b + i, 8);
        acc += (x & 0x00FF00FF00FF00FFull) + ((x >> 8) & 0x00FF00FF00FF00FFull);
    }
    unsigned sum = (unsigned)((acc & 0xFFFF) + ((acc >> 16) & 0xFFFF) + ((acc >> 32) & 0xFFFF) + (acc >> 48));
    for (; i < n; i++)
        sum += b[i];
    return (uint8_t)sum;
}

/* out[i] = in[i] - 33H for n bytes, eight at a time (bytewise subtraction
 * with no borrow between bytes); out has room for n rounded up to 8. */
static void minus33(const uint8_t *in, uint8_t *out, size_t n)
{
    const uint64_t h = 0x8080808080808080ull, y = 0x3333333333333333ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, in + i, 8);
        uint64_t z = ((x | h) - (y & ~h)) ^ ((x ^ ~y) & h);
        memcpy(out + i, &z, 8);
    }
    for (; i < n; i++)
        out[i] = (uint8_t)(in[i] - 0x33);
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
    /* ERR bits, the lowest set names it (as the open dlt645 projects list
     * them: 01 other, 02 no requested data, 04 password/unauthorised, 08
     * baud rate, 10 year zones, 20 daily periods, 40 tariffs). */
    static const char *const bits[] = {"other error", "no requested data", "password error / unauthorised",
                                       "baud rate cannot be changed", "too many year time zones",
                                       "too many daily periods", "too many tariffs"};
    for (int b = 0; b < 7; b++)
        if (err & (1u << b))
            return bits[b];
    return "error";
}

static uint32_t di_of(const uint8_t *d)
{
    return (uint32_t)d[3] << 24 | (uint32_t)d[2] << 16 | (uint32_t)d[1] << 8 | d[0];
}

/* "meter 000000000161: " into info, and returns where it ends. */
static size_t meter_prefix(struct reading *r, const char *addr)
{
    memcpy(r->info, "meter ", 6);
    memcpy(r->info + 6, addr, 12);
    memcpy(r->info + 18, ": ", 3);
    return 20;
}

/* Item k of a value block v (already less 33H) into r. */
static void decode_item(struct dlt_state *st, const struct di_info *d, const uint8_t *v, int k, int n,
                        const char *addr, struct reading *r)
{
    const uint8_t *b = v + (size_t)k * (size_t)d->item_bytes;
    size_t at = meter_prefix(r, addr);
    if (k < 8) /* a cached name: 48 bytes, terminated within */
        memcpy(r->info + at, name_of(st, k), 48);
    else
        reading_copy(r->info + at, sizeof r->info - at, name_of(st, k));
    READING_SET(r, unit, d->unit);
    if (n > 1) {
        r->part = (uint8_t)(k + 1);
        r->parts = (uint8_t)n;
    }
    int all_ff = 1;
    for (int i = 0; i < d->item_bytes; i++)
        all_ff &= b[i] == 0xFF;
    if (all_ff) {
        /* The meter has no such item (a missing phase). */
        r->status = READING_STATUS_ABSENT;
        size_t w = strlen(r->info);
        reading_copy(r->info + w, sizeof r->info - w, " (sent as FF)");
        return;
    }
    /* BCD, most significant byte last: the text straight from the digits,
     * leading zeros dropped down to one before the point. */
    int64_t val = 0;
    int negative = 0, ndig = 2 * d->item_bytes, lead = 1;
    char *t = r->text;
    for (int i = d->item_bytes - 1; i >= 0; i--) {
        uint8_t c = b[i];
        if (i == d->item_bytes - 1 && d->sign) {
            negative = (c & 0x80) != 0;
            c &= 0x7F;
        }
        unsigned hi = c >> 4, lo = c & 15;
        if (hi > 9 || lo > 9) {
            reading_set_bad(r, "dlt645-2007: %s: byte %02X is not BCD", name_of(st, k), c);
            return;
        }
        val = val * 100 + hi * 10 + lo;
        unsigned dg[2] = {hi, lo};
        for (int j = 0; j < 2; j++) {
            int left = ndig--; /* digits from this one to the end */
            if (lead && dg[j] == 0 && left > d->decimals + 1)
                continue;
            if (lead && negative)
                *t++ = '-';
            lead = 0;
            if (left == d->decimals)
                *t++ = '.';
            *t++ = (char)('0' + dg[j]);
        }
    }
    *t = '\0';
    if (negative && val == 0) /* "-0.000": the value has no sign */
        memmove(r->text, r->text + 1, strlen(r->text));
    r->value = (struct decimal){negative ? -val : val, d->decimals};
    r->has_value = true;
    r->stable = true;
    r->stable_reported = true;
}

/* A whole item or block (v: value bytes less 33H) as reading part st->part. */
static enum frame_result decode_value(struct dlt_state *st, uint32_t di, const uint8_t *v, size_t len,
                                      const char *addr, uint32_t key, struct reading *r)
{
    const struct di_info *dp = describe(st, di);
    if (dp == NULL) {
        r->kind = READING_INFO;
        snprintf(r->info, sizeof r->info, "meter %s: item %08X not in the table, %zu value bytes", addr,
                 (unsigned)di, len);
        return FRAME_OK;
    }
    const struct di_info d = *dp;
    int n = di_items(&d, len);
    if (n < 1 || len != (size_t)n * (size_t)d.item_bytes) {
        r->kind = READING_INFO;
        snprintf(r->info, sizeof r->info, "meter %s: item %08X with %zu value bytes, want %d%s", addr,
                 (unsigned)di, len, d.item_bytes * (d.block && !d.energy ? di_items(&d, 0) : 1),
                 d.block && d.energy ? " per tariff" : "");
        return FRAME_OK;
    }
    if (st->part_key != key || st->part >= n)
        st->part = 0;
    st->part_key = key;
    decode_item(st, &d, v, st->part, n, addr, r);
    if (++st->part < n)
        return FRAME_PART;
    st->part = 0;
    return FRAME_OK;
}

/* "read 02010100 (phase A voltage) [SEQ 01] from 000000000161" */
static void request_text(struct reading *r, const char *what, uint32_t di, const char *name, int seq,
                         const char *addr)
{
    size_t k = 0, sz = sizeof r->info;
    drv_cat(r->info, sz, &k, what);
    drv_cat_hex(r->info, sz, &k, di, 8);
    drv_cat(r->info, sz, &k, " (");
    drv_cat(r->info, sz, &k, name);
    drv_cat(r->info, sz, &k, ")");
    if (seq >= 0) {
        drv_cat(r->info, sz, &k, " SEQ ");
        drv_cat_hex(r->info, sz, &k, (uint32_t)seq, 2);
    }
    drv_cat(r->info, sz, &k, " from ");
    drv_cat(r->info, sz, &k, addr);
}

/* decode_value, remembering the frame when it has more parts to give. */
static enum frame_result decode_parts(struct dlt_state *st, const uint8_t *f, uint32_t di,
                                      const uint8_t *v, size_t vlen, uint32_t key, struct reading *r)
{
    enum frame_result fr = decode_value(st, di, v, vlen, st->addr_txt, key, r);
    if (fr == FRAME_PART && st->part == 1) {
        size_t flen = 12 + (size_t)f[9];
        memcpy(st->part_frame, f, flen);
        st->part_len = flen;
        st->part_di = di;
        st->part_v = v;
        st->part_vlen = vlen;
        st->part_c = f[8];
    }
    return fr;
}

static enum frame_result decode(struct dlt_state *st, const uint8_t *f, size_t dlen, uint8_t cs,
                                struct reading *r)
{
    uint8_t c = f[8];
    uint8_t *d = st->dbuf;
    minus33(f + 10, d, dlen);
    if (st->addr_txt[0] == '\0' || memcmp(st->addr_wire, f + 1, 6) != 0) {
        memcpy(st->addr_wire, f + 1, 6);
        addr_text(f + 1, st->addr_txt);
    }
    const char *addr = st->addr_txt;
    unsigned func = c & 0x1F;
    static const char hex[] = "0123456789ABCDEF";
    r->reply[0] = hex[c >> 4];
    r->reply[1] = hex[c & 15];
    r->reply[2] = '\0';
    uint32_t di = dlen >= 4 ? di_of(d) : 0;
    /* A key for FRAME_PART: the same frame if the same CS, length and DI. */
    uint32_t key = di ^ ((uint32_t)cs << 24) ^ ((uint32_t)dlen << 16) ^ c;
    if (!(c & 0x80)) {
        r->kind = READING_REQUEST;
        const char *name = dlen >= 4 && describe(st, di) != NULL ? name_of(st, 0) : "unknown item";
        if (func == 0x11 && dlen >= 4) {
            request_text(r, "read ", di, name, -1, addr);
        } else if (func == 0x12 && dlen >= 5) {
            st->asked_seq = d[4];
            request_text(r, "read follow-up ", di, name, d[4], addr);
        } else if (func == 0x13) {
            snprintf(r->info, sizeof r->info, "read address (%s)", addr);
        } else if (func == 0x01 || func == 0x02) {
            snprintf(r->info, sizeof r->info, "a DL/T 645-1997 request (control %02XH) to %s", c,
                     addr);
        } else {
            snprintf(r->info, sizeof r->info, "function %02X to %s", func, addr);
        }
        return FRAME_OK;
    }
    if (c & 0x40) {
        r->kind = READING_REJECT;
        r->status = READING_STATUS_ERROR;
        st->acc_open = 0;
        snprintf(r->info, sizeof r->info, "meter %s: abnormal reply, ERR 0x%02X: %s", addr,
                 dlen ? d[0] : 0, dlen ? err_text(d[0]) : "no error byte");
        return FRAME_OK;
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
        return FRAME_OK;
    }
    if (func == 0x01 || func == 0x02) {
        /* DL/T 645-1997's read and follow-up (its control codes 01H, 02H,
         * replies 81H, 82H, with a 2-byte DI): a meter of the older
         * protocol, whose item codes and formats differ.  Named, never
         * decoded as 2007.  (03H is left alone: 1997's re-read, but the
         * 2007 meters' security authentication.) */
        r->kind = READING_REJECT;
        r->status = READING_STATUS_ERROR;
        snprintf(r->info, sizeof r->info,
                 "meter %s: a DL/T 645-1997 reply (control %02XH): this driver reads DL/T 645-2007",
                 addr, c);
        return FRAME_OK;
    }
    if ((func != 0x11 && func != 0x12) || dlen < 4 || (func == 0x12 && dlen < 5)) {
        r->kind = READING_INFO;
        snprintf(r->info, sizeof r->info, "meter %s: function %02X, %zu data bytes", addr, func, dlen);
        return FRAME_OK;
    }
    int more = (c & 0x20) != 0;
    if (func == 0x11 && !more) /* the usual: one frame holds it all */
        return decode_parts(st, f, di, d + 4, dlen - 4, key, r);
    /* A multi-frame reply: B1 opens it, B2 and 92 carry DI, data, SEQ. */
    const uint8_t *data = d + 4;
    size_t n = dlen - 4;
    if (func == 0x12) {
        unsigned seq = d[dlen - 1];
        n--;
        if (!st->acc_open || st->acc_di != di) {
            if (st->part == 0 || st->part_key != key) {
                reading_set_bad(r, "dlt645-2007: follow-up frame SEQ %02X of %08X without the frame "
                                "before it", seq, (unsigned)di);
                st->acc_open = 0;
                return FRAME_OK;
            }
        } else if (st->part == 0 || st->part_key != key) {
            if (st->asked_seq >= 0 && seq != (unsigned)st->asked_seq) {
                reading_set_bad(r, "dlt645-2007: follow-up frame SEQ %02X, asked for %02X", seq,
                                (unsigned)st->asked_seq);
                st->acc_open = 0;
                return FRAME_OK;
            }
            if (st->acc_len + n > sizeof st->acc) {
                reading_set_bad(r, "dlt645-2007: a reply of more than %zu bytes", sizeof st->acc);
                st->acc_open = 0;
                return FRAME_OK;
            }
            memcpy(st->acc + st->acc_len, data, n);
            st->acc_len += n;
            st->next_seq = seq + 1;
        }
    } else {
        /* B1: the first frame. */
        if (n > sizeof st->acc)
            n = sizeof st->acc;
        memcpy(st->acc, data, n);
        st->acc_len = n;
        st->acc_di = di;
        st->next_seq = 1;
        st->asked_seq = -1;
    }
    if (more) {
        st->acc_open = 1;
        r->kind = READING_INFO;
        r->follow_up = true;
        snprintf(r->info, sizeof r->info, "meter %s: %08X, %zu bytes so far; follow-up frame %02X to ask for",
                 addr, (unsigned)di, st->acc_len, st->next_seq);
        return FRAME_OK;
    }
    /* 92: the last frame; the joined reply as one. */
    enum frame_result fr = decode_parts(st, f, st->acc_di, st->acc, st->acc_len, key, r);
    if (fr == FRAME_OK)
        st->acc_open = 0;
    return fr;
}

static int next_part(struct dlt_state *st, const uint8_t *f, size_t flen, struct reading *out);

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
        READING_SET(out, info, "no end byte 16H");
        *used = p + 1;
        return FRAME_INVALID;
    }
    int np = next_part(state, buf + p, 12 + L, out);
    if (np >= 0) {
        *used = total;
        return (enum frame_result)np;
    }
    uint8_t cs = byte_sum(buf + p, 10 + L);
    *used = total;
    if (cs != buf[p + 10 + L]) {
        reading_set_bad(out, "dlt645-2007: CS 0x%02X, want 0x%02X", buf[p + 10 + L], cs);
        return FRAME_OK;
    }
    return decode(state, buf + p, L, cs, out);
}

/* The next part of a frame being read part by part: the same bytes again,
 * not decoded again. */
static int next_part(struct dlt_state *st, const uint8_t *f, size_t flen, struct reading *out)
{
    if (st->part == 0 || st->part_len != flen || memcmp(st->part_frame, f, flen) != 0)
        return -1;
    static const char hex[] = "0123456789ABCDEF";
    out->reply[0] = hex[st->part_c >> 4];
    out->reply[1] = hex[st->part_c & 15];
    out->reply[2] = '\0';
    return (int)decode_value(st, st->part_di, st->part_v, st->part_vlen, st->addr_txt, st->part_key, out);
}

static int put_frame(const uint8_t *addr, uint8_t c, const uint8_t *data, size_t dlen, uint8_t *buf,
                     size_t size)
{
    size_t n = 4 + 12 + dlen;
    if (size < n || dlen > 255)
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

static void put_di(uint8_t *d, uint32_t di)
{
    d[0] = (uint8_t)di;
    d[1] = (uint8_t)(di >> 8);
    d[2] = (uint8_t)(di >> 16);
    d[3] = (uint8_t)(di >> 24);
}

static int command(void *state, enum driver_request req, uint8_t *buf, size_t size)
{
    struct dlt_state *st = state;
    uint8_t data[5];
    if (req == DRIVER_REQ_STABLE || req == DRIVER_REQ_IMMEDIATE) {
        put_di(data, st->target);
        st->acc_open = 0;
        return put_frame(st->addr, 0x11, data, 4, buf, size);
    }
    if (req == DRIVER_REQ_NEXT) {
        /* Read follow-up data: DI and SEQ (§7.2). */
        if (!st->acc_open)
            return sc_error_set(SC_ERR_UNSUPPORTED, "dlt645-2007: no multi-frame reply to continue");
        put_di(data, st->acc_di);
        data[4] = (uint8_t)st->next_seq;
        st->asked_seq = (int)(st->next_seq & 0xFF);
        return put_frame(st->addr, 0x12, data, 5, buf, size);
    }
    if (req == DRIVER_REQ_IDENTIFY || req == DRIVER_REQ_SERIAL) {
        static const uint8_t wildcard[6] = {0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA};
        return put_frame(wildcard, 0x13, NULL, 0, buf, size);
    }
    return sc_error_set(SC_ERR_UNSUPPORTED, "dlt645-2007: only reads data and the address");
}

/* ---- the device side (stallcheck sim) ---- */

/* The meter's value for item idx (its DI1) of identifier d. */
static struct decimal meter_item(const struct meter_values *m, uint32_t di, int idx)
{
    unsigned d3 = di >> 24, d2 = (di >> 16) & 0xFF;
    struct decimal zero = {0, 0}, v = zero;
    int phases = m->phases == 1 ? 1 : 3;
    if (d3 == 0x00) {
        v = d2 <= 0x01 || d2 == 0x09 ? m->energy : d2 == 0x03 || d2 == 0x05 ? m->reactive_energy : zero;
        /* Tariffs: four, the total split evenly, the rest on the last. */
        if (idx > 0) {
            int64_t q = v.mant / 4;
            v.mant = idx < 4 ? q : idx == 4 ? v.mant - 3 * q : 0;
        }
        return v;
    }
    switch (d2) {
    case 0x01: return m->voltage;
    case 0x02: return m->current;
    case 0x03: v = m->power; break;
    case 0x04: v = m->reactive_power; break;
    case 0x05: v = m->apparent_power; break;
    case 0x06: return m->power_factor;
    }
    if (idx > 0)
        v.mant /= phases; /* a phase's share of the total */
    return v;
}

/* The value bytes (not yet +33H) for identifier di into out. */
static int meter_block(const struct meter_values *m, uint32_t di, uint8_t *out, size_t size)
{
    struct di_info d;
    if (di_describe(di, &d) < 0)
        return -1;
    int n = d.block ? (d.energy ? 5 : d.first == 1 ? 3 : 4) : 1;
    if ((size_t)(n * d.item_bytes) > size)
        return -1;
    int phases = m->phases == 1 ? 1 : 3;
    for (int k = 0; k < n; k++) {
        uint8_t *b = out + k * d.item_bytes;
        int idx = d.first + k;
        if (!d.energy && idx > phases) {
            memset(b, 0xFF, (size_t)d.item_bytes); /* no such phase */
            continue;
        }
        struct decimal v = meter_item(m, di, idx);
        int64_t raw;
        if (decimal_rescale(v, d.decimals, &raw) < 0) {
            raw = v.mant;
            for (int s = v.scale; s > d.decimals; s--)
                raw /= 10;
        }
        int negative = raw < 0;
        if (negative)
            raw = -raw;
        for (int i = 0; i < d.item_bytes; i++) {
            b[i] = (uint8_t)((raw / 10 % 10) << 4 | raw % 10);
            raw /= 100;
        }
        if (negative && d.sign)
            b[d.item_bytes - 1] |= 0x80;
    }
    return n * d.item_bytes;
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
    while (fr == FRAME_PART)
        fr = frame(state, buf, len, false, used, &r);
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
    size_t limit = values->frame_limit > 0 && values->frame_limit <= DLT_MAX_DATA
                       ? (size_t)values->frame_limit : DLT_MAX_DATA;
    uint8_t data[DLT_MAX_DATA + 8];
    size_t dlen = 0;
    uint8_t rc = 0;
    uint8_t di[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4 && 10 + i < (int)(10 + L); i++)
        di[i] = (uint8_t)(f[10 + i] - 0x33);
    uint32_t id = di_of(di);
    if (c == 0x13) {
        memcpy(data, st->addr, 6);
        dlen = 6;
        rc = 0x93;
    } else if (c == 0x11 && L >= 4) {
        int n = meter_block(values, id, st->out, sizeof st->out);
        if (n < 0) {
            data[0] = 0x02; /* no requested data */
            dlen = 1;
            rc = 0xD1;
        } else {
            st->out_len = (size_t)n;
            st->out_di = id;
            st->out_seq = 0;
            size_t first = st->out_len + 4 <= limit ? st->out_len : limit - 4;
            memcpy(data, di, 4);
            memcpy(data + 4, st->out, first);
            st->out_pos = first;
            dlen = 4 + first;
            rc = st->out_pos < st->out_len ? 0xB1 : 0x91;
        }
    } else if (c == 0x12 && L >= 5) {
        if (st->out_pos >= st->out_len || id != st->out_di) {
            data[0] = 0x02;
            dlen = 1;
            rc = 0xD2;
        } else {
            unsigned seq = (uint8_t)(f[14] - 0x33);
            size_t chunk = st->out_len - st->out_pos;
            if (chunk + 5 > limit)
                chunk = limit - 5;
            memcpy(data, di, 4);
            memcpy(data + 4, st->out + st->out_pos, chunk);
            data[4 + chunk] = (uint8_t)seq;
            st->out_pos += chunk;
            dlen = 5 + chunk;
            rc = st->out_pos < st->out_len ? 0xB2 : 0x92;
        }
    } else {
        data[0] = 0x01; /* other error */
        dlen = 1;
        rc = (uint8_t)(0xC0 | (c & 0x1F));
    }
    int n = put_frame(st->addr, rc, data, dlen, reply, 300);
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
    .description = "DL/T 645-2007: read data 11H and follow-up 12H (energies, voltages, currents, "
                   "active/reactive/apparent power, power factor, data blocks), read address 13H",
    .serialcomm = "2400/8e1",
    .flags = DRIVER_COMMANDS | DRIVER_BINARY,
    .max_frame = 4 + 12 + 255,
    .options_help = "address=NNNNNNNNNNNN quantity=energy|forward-energy|reverse-energy| "
                    "reactive-energy|energy-tariffs| voltage-a|voltage-b|voltage-c|voltages| "
                    "current-a|current-b|current-c|currents| power|power-a|power-b|power-c|powers| "
                    "reactive-power|apparent-power|power-factor|power-factors "
                    "di=XXXXXXXX (any identifier of those families)",
    .state_new = state_new,
    .state_free = state_free,
    .frame = frame,
    .command = command,
    .serve = serve,
};
