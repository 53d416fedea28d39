#include "core/visit.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/day.h"
#include "core/error.h"
#include "core/names.h"
#include "core/utf8.h"

/* ---- names ---- */

static const char *const ghost_ids[VISIT_GHOST_COUNT] = {
    [VISIT_GHOST_NOT_RUN] = "not-run",
    [VISIT_GHOST_CLEAR] = "clear",
    [VISIT_GHOST_SUSPECT] = "suspect",
    [VISIT_GHOST_DEVICE_SEEN] = "device-seen",
};

const char *visit_ghost_id(enum visit_ghost g)
{
    return (unsigned)g < VISIT_GHOST_COUNT ? ghost_ids[g] : "?";
}

int visit_ghost_parse(const char *text, enum visit_ghost *out)
{
    int i = names_index(ghost_ids, VISIT_GHOST_COUNT, text);
    if (i < 0)
        return sc_error_set(SC_ERR_PARSE, "'%s': no such cheating-scale result", text ? text : "");
    *out = (enum visit_ghost)i;
    return 0;
}

/* ---- the checklist ---- */

void visit_clear(struct visit *v)
{
    memset(v, 0, sizeof *v);
}

int visit_answered(const struct visit *v)
{
    int n = 0;
    for (int i = 0; i < CHECK_ITEM_COUNT; i++)
        n += v->answers[i] != ANSWER_NONE;
    return n;
}

int visit_complete(const struct visit *v)
{
    return visit_answered(v) == CHECK_ITEM_COUNT;
}

int visit_failures(const struct visit *v)
{
    int n = 0;
    for (int i = 0; i < CHECK_ITEM_COUNT; i++)
        n += checklist_answer_failed(v->answers[i]) != 0;
    return n;
}

/* What the re-weighs say of the re-weigh item: failed when a captured one
 * failed, passed when every judged one passed, nothing when none was
 * judged (outside the table is no verdict). */
static enum checklist_answer reweighs_say(const struct visit *v)
{
    int judged = 0, failed = 0;
    for (int i = 0; i < v->n_reweigh; i++) {
        const struct visit_reweigh *w = &v->reweigh[i];
        if (!w->captured)
            continue;
        judged += w->verdict == REWEIGH_PASS || w->verdict == REWEIGH_FAIL;
        failed += w->verdict == REWEIGH_FAIL;
    }
    return failed ? ANSWER_FAIL : judged ? ANSWER_PASS : ANSWER_NONE;
}

int visit_answer(struct visit *v, enum checklist_item item, enum checklist_answer a)
{
    if ((unsigned)item >= CHECK_ITEM_COUNT || !checklist_answer_valid(item, a))
        return sc_error_set(SC_ERR_ARG, "'%s' is no answer to this item", checklist_answer_id(a));
    /* The re-weigh item (复秤) is answered by re-weighing, not by a key: a
     * pass or a failure is what the re-weighs say; not applicable only
     * when none was judged, with a note saying why. */
    if (item == CHECK_REWEIGH) {
        enum checklist_answer said = reweighs_say(v);
        if (a == ANSWER_NA && said != ANSWER_NONE)
            return sc_error_set(SC_ERR_ARG, "the goods were re-weighed: the item is %s",
                                checklist_answer_id(said));
        if (a == ANSWER_NA && v->notes[item][0] == '\0')
            return sc_error_set(SC_ERR_ARG, "n/a needs a note saying why there was no re-weigh");
        if (a != ANSWER_NA && a != said)
            return sc_error_set(SC_ERR_ARG, "the re-weigh item is answered by a re-weigh");
    }
    v->answers[item] = a;
    if (!checklist_answer_failed(a))
        memset(v->deadlines[item], 0, sizeof v->deadlines[item]);
    return 0;
}

int visit_set_deadline(struct visit *v, enum checklist_item item, const char *date)
{
    if ((unsigned)item >= CHECK_ITEM_COUNT)
        return sc_error_set(SC_ERR_ARG, "no such checklist item");
    day_t d;
    if (date[0] != '\0' && (strlen(date) != 10 || day_parse(date, &d) < 0))
        return sc_error_set(SC_ERR_PARSE, "'%s' is not a date (YYYY-MM-DD)", date);
    if (date[0] != '\0' && !checklist_answer_failed(v->answers[item]))
        return sc_error_set(SC_ERR_ARG, "a correction deadline needs a failed item");
    memset(v->deadlines[item], 0, sizeof v->deadlines[item]);
    memcpy(v->deadlines[item], date, strlen(date));
    return 0;
}

/* ---- re-weighs ---- */

int visit_reweigh_judge(struct visit_reweigh *w, const struct reweigh_input *in,
                        enum reweigh_at where, struct reweigh_verdict *out)
{
    struct reweigh_input judged = *in;
    judged.method = reweigh_at_method(where);
    struct reweigh_verdict vd;
    int rc = reweigh_judge(&judged, &vd);
    if (rc < 0)
        return rc;
    w->category = vd.cat;
    w->declared_ug = in->charged_ug;
    w->unit_price_fen = in->price_fen_per_kg;
    w->measured_ug = in->measured_ug;
    w->captured = 1;
    w->verdict = vd.outcome;
    w->allowed_ug = vd.outcome == REWEIGH_OUTSIDE ? 0 : vd.allowed_ug;
    w->shortfall_ug = vd.shortfall_ug;
    w->money_short_fen = vd.has_money ? vd.money_short_fen : 0;
    w->method = where;
    if (out != NULL)
        *out = vd;
    return 0;
}

void visit_reweigh_answer(struct visit *v)
{
    enum checklist_answer said = reweighs_say(v);
    if (said != ANSWER_NONE)
        visit_answer(v, CHECK_REWEIGH, said);
}

/* ---- the cheating-scale check ---- */

void visit_ghost_position(const struct visit_ghost_check *g, int *round, enum ghost_phase *phase,
                          int *load)
{
    int per_round = 2 * (g->nloads > 0 ? g->nloads : 1);
    int k = g->n_obs % per_round;
    *round = g->n_obs / per_round + 1;
    *phase = k < per_round / 2 ? GHOST_BEFORE : GHOST_AFTER;
    *load = k % (per_round / 2);
}

int visit_ghost_record(struct visit *v, int64_t stall_ug, int64_t reference_ug)
{
    struct visit_ghost_check *g = &v->ghost;
    if (g->nloads <= 0 || g->nloads > 3)
        return sc_error_set(SC_ERR_RANGE, "the check's loads are not set");
    if (g->n_obs >= VISIT_GHOST_MAX_OBS)
        return sc_error_set(SC_ERR_RANGE, "no room for more observations");
    struct ghost_obs *o = &g->obs[g->n_obs];
    memset(o, 0, sizeof *o);
    visit_ghost_position(g, &o->round, &o->phase, &o->load);
    o->stall_ug = stall_ug;
    o->reference_ug = reference_ug;
    g->n_obs++;
    return 0;
}

void visit_ghost_fill(const struct visit *v, struct ghost_check *c)
{
    c->n_obs = (size_t)v->ghost.n_obs;
    memcpy(c->obs, v->ghost.obs, (size_t)v->ghost.n_obs * sizeof c->obs[0]);
}

static void set_note(struct visit *v, enum checklist_item item, const char *text)
{
    memset(v->notes[item], 0, VISIT_NOTE_MAX);
    utf8_copy(v->notes[item], VISIT_NOTE_MAX, text);
}

int visit_ghost_conclude(struct visit *v, const struct ghost_verdict *vd)
{
    if (vd->outcome == GHOST_INCOMPLETE)
        return sc_error_set(SC_ERR_AGAIN, "not enough rounds for a verdict");
    int suspect = vd->outcome == GHOST_SUSPECT;
    v->ghost.result = suspect ? VISIT_GHOST_SUSPECT : VISIT_GHOST_CLEAR;
    visit_answer(v, CHECK_CHEATING_DEVICE, suspect ? ANSWER_FAIL : ANSWER_PASS);
    if (suspect)
        set_note(v, CHECK_CHEATING_DEVICE, vd->reason);
    return 0;
}

void visit_ghost_device_seen(struct visit *v)
{
    v->ghost.result = VISIT_GHOST_DEVICE_SEEN;
    visit_answer(v, CHECK_CHEATING_DEVICE, ANSWER_FAIL);
}

/* ---- the text form: writing ---- */

struct out {
    char *buf;
    size_t size, len;
    int overflow;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->overflow || o->len + n + 1 > o->size) {
        o->overflow = 1;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static void put_line(struct out *o, const char *key, const char *value)
{
    put(o, key, strlen(key));
    put(o, " ", 1);
    for (const char *p = value; *p != '\0'; p++) {
        if (*p == '\n')
            put(o, "\\n", 2);
        else if (*p == '\\')
            put(o, "\\\\", 2);
        else if (*p == '\r')
            put(o, "\\r", 2);
        else
            put(o, p, 1);
    }
    put(o, "\n", 1);
}

static void put_int(struct out *o, const char *key, int64_t n)
{
    char num[24];
    snprintf(num, sizeof num, "%" PRId64, n);
    put_line(o, key, num);
}

static void put_hex(struct out *o, const char *key, const unsigned char *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char hex[2 * VISIT_RAW_MAX + 1];
    for (size_t i = 0; i < n && i < VISIT_RAW_MAX; i++) {
        hex[2 * i] = digits[b[i] >> 4];
        hex[2 * i + 1] = digits[b[i] & 15];
    }
    hex[2 * (n < VISIT_RAW_MAX ? n : VISIT_RAW_MAX)] = '\0';
    put_line(o, key, hex);
}

static void put_checklist(struct out *o, const struct visit *v)
{
    size_t n;
    const struct checklist_item_info *items = checklist_items(&n);
    for (size_t i = 0; i < n; i++) {
        if (v->answers[i] == ANSWER_NONE && v->notes[i][0] == '\0' && v->deadlines[i][0] == '\0')
            continue;
        char key[64];
        snprintf(key, sizeof key, "answer.%s", items[i].id);
        put_line(o, key, checklist_answer_id(v->answers[i]));
        if (v->notes[i][0] != '\0') {
            snprintf(key, sizeof key, "note.%s", items[i].id);
            put_line(o, key, v->notes[i]);
        }
        if (v->deadlines[i][0] != '\0') {
            snprintf(key, sizeof key, "deadline.%s", items[i].id);
            put_line(o, key, v->deadlines[i]);
        }
    }
}

static void put_reweigh(struct out *o, int index, const struct visit_reweigh *w)
{
    const struct reweigh_category_info *cat = reweigh_category_info(w->category);
    put_int(o, "rw", index + 1);
    put_line(o, "rw.goods", w->goods);
    put_line(o, "rw.category", cat != NULL ? cat->id : "");
    put_int(o, "rw.declared_ug", w->declared_ug);
    put_int(o, "rw.price_fen", w->unit_price_fen);
    put_int(o, "rw.measured_ug", w->measured_ug);
    put_int(o, "rw.captured", w->captured != 0);
    put_line(o, "rw.verdict", reweigh_outcome_id(w->verdict));
    put_int(o, "rw.allowed_ug", w->allowed_ug);
    put_int(o, "rw.shortfall_ug", w->shortfall_ug);
    put_int(o, "rw.money_short_fen", w->money_short_fen);
    put_line(o, "rw.method", reweigh_at_id(w->method));
    put_line(o, "rw.reference", w->reference);
    put_int(o, "rw.read", w->has_reading != 0);
    const struct visit_reading *r = &w->reading;
    put_hex(o, "rw.raw", r->raw, r->raw_len);
    put_line(o, "rw.value", r->value);
    put_line(o, "rw.unit", r->unit);
    put_line(o, "rw.driver", r->driver);
    put_line(o, "rw.instrument", r->instrument);
    put_line(o, "rw.taken_at", r->taken_at);
    put_int(o, "rw.stable", r->stable != 0);
}

static void put_ghost(struct out *o, const struct visit_ghost_check *g)
{
    put_line(o, "ghost.result", visit_ghost_id(g->result));
    if (g->nloads > 0) {
        char line[96];
        int n = snprintf(line, sizeof line, "%d", g->nloads);
        for (int i = 0; i < g->nloads && i < 3; i++)
            n += snprintf(line + n, sizeof line - (size_t)n, " %" PRId64, g->loads_ug[i]);
        put_line(o, "ghost.loads", line);
    }
    put_int(o, "ghost.vendor_turn", g->vendor_turn != 0);
    for (int i = 0; i < g->n_obs && i < VISIT_GHOST_MAX_OBS; i++) {
        const struct ghost_obs *ob = &g->obs[i];
        char line[96];
        snprintf(line, sizeof line, "%d %d %d %" PRId64 " %" PRId64, ob->load, (int)ob->phase,
                 ob->round, ob->stall_ug, ob->reference_ug);
        put_line(o, "ghost.obs", line);
    }
}

int visit_encode(const struct visit *v, char *buf, size_t size)
{
    struct out o = {buf, size, 0, 0};
    if (size > 0)
        buf[0] = '\0';
    put_line(&o, "visit", "2");
    put_line(&o, "id", v->id);
    put_line(&o, "stall", v->stall);
    put_line(&o, "market", v->market);
    put_line(&o, "officer1", v->officer1);
    put_line(&o, "officer2", v->officer2);
    put_line(&o, "draw", v->draw);
    put_line(&o, "started", v->started_at);
    put_line(&o, "ended", v->ended_at);
    put_line(&o, "place", v->place);
    put_line(&o, "visit.note", v->note);
    put_checklist(&o, v);
    for (int r = 0; r < v->n_reweigh && r < VISIT_MAX_REWEIGH; r++)
        put_reweigh(&o, r, &v->reweigh[r]);
    put_ghost(&o, &v->ghost);
    put_line(&o, "end", "1");
    if (o.overflow)
        return sc_error_set(SC_ERR_RANGE, "visit text needs more than %zu bytes", size);
    return (int)o.len;
}

/* ---- the text form: reading ---- */

static void unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r != '\0'; r++) {
        if (*r == '\\' && r[1] != '\0') {
            r++;
            *w++ = *r == 'n' ? '\n' : *r == 'r' ? '\r' : *r;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

/* A repeated key replaces the value whole: nothing of a longer earlier
 * value stays behind the NUL (visits are compared whole). */
static void copy(char *dst, size_t size, const char *src)
{
    memset(dst, 0, size);
    utf8_copy(dst, size, src);
}

/* A whole decimal integer, nothing around it, INT64_MIN to INT64_MAX. */
static int parse_i64(const char *s, int64_t *out)
{
    int neg = *s == '-';
    const char *p = s + neg;
    if (*p < '0' || *p > '9')
        return -1;
    uint64_t n = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned digit = (unsigned)(*p - '0');
        if (n > (limit - digit) / 10)
            return -1;
        n = n * 10 + digit;
    }
    if (*p != '\0')
        return -1;
    *out = neg ? (int64_t)(0 - n) : (int64_t)n;
    return 0;
}

static int parse_flag(const char *s, int *out)
{
    if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0)
        return -1;
    *out = s[0] == '1';
    return 0;
}

static int hex_value(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Hex text into bytes; -1 when odd, not hex, or more than size bytes. */
static int parse_hex(const char *s, unsigned char *out, size_t size, size_t *len)
{
    size_t n = strlen(s);
    if (n % 2 != 0 || n / 2 > size)
        return -1;
    memset(out, 0, size);
    for (size_t i = 0; i < n / 2; i++) {
        int hi = hex_value(s[2 * i]), lo = hex_value(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    *len = n / 2;
    return 0;
}

struct decoder {
    struct visit *v;
    int lineno;
    struct visit_reweigh *rw;   /* the re-weigh that "rw.*" lines fill */
};

#define FIELD(type, member) offsetof(type, member), sizeof(((type *)0)->member)

static const struct text_field {
    const char *key;
    size_t off, size;
} visit_text[] = {
    {"id", FIELD(struct visit, id)},           {"stall", FIELD(struct visit, stall)},
    {"market", FIELD(struct visit, market)},   {"officer1", FIELD(struct visit, officer1)},
    {"officer2", FIELD(struct visit, officer2)}, {"draw", FIELD(struct visit, draw)},
    {"started", FIELD(struct visit, started_at)}, {"ended", FIELD(struct visit, ended_at)},
    {"place", FIELD(struct visit, place)},     {"visit.note", FIELD(struct visit, note)},
}, rw_text[] = {
    {"rw.goods", FIELD(struct visit_reweigh, goods)},
    {"rw.reference", FIELD(struct visit_reweigh, reference)},
    {"rw.value", FIELD(struct visit_reweigh, reading.value)},
    {"rw.unit", FIELD(struct visit_reweigh, reading.unit)},
    {"rw.driver", FIELD(struct visit_reweigh, reading.driver)},
    {"rw.instrument", FIELD(struct visit_reweigh, reading.instrument)},
    {"rw.taken_at", FIELD(struct visit_reweigh, reading.taken_at)},
};

static const struct {
    const char *key;
    size_t off;
} rw_ints[] = {
    {"rw.declared_ug", offsetof(struct visit_reweigh, declared_ug)},
    {"rw.price_fen", offsetof(struct visit_reweigh, unit_price_fen)},
    {"rw.measured_ug", offsetof(struct visit_reweigh, measured_ug)},
    {"rw.allowed_ug", offsetof(struct visit_reweigh, allowed_ug)},
    {"rw.shortfall_ug", offsetof(struct visit_reweigh, shortfall_ug)},
    {"rw.money_short_fen", offsetof(struct visit_reweigh, money_short_fen)},
}, rw_flags[] = {
    {"rw.captured", offsetof(struct visit_reweigh, captured)},
    {"rw.read", offsetof(struct visit_reweigh, has_reading)},
    {"rw.stable", offsetof(struct visit_reweigh, reading.stable)},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int bad(const struct decoder *d, const char *what, const char *val)
{
    return sc_error_set(SC_ERR_PARSE, "visit line %d: bad %s '%.40s'", d->lineno, what, val);
}

static int decode_checklist(struct decoder *d, const char *key, const char *val)
{
    const struct checklist_item_info *it = checklist_item_by_id(strchr(key, '.') + 1);
    if (it == NULL)
        return 0; /* an item this build does not know */
    if (key[0] == 'a') {
        enum checklist_answer a = checklist_answer_from_id(val);
        if (a == ANSWER_NONE && strcmp(val, "none") != 0)
            return bad(d, "answer", val);
        if (a != ANSWER_NONE && !checklist_answer_valid(it->item, a))
            return sc_error_set(SC_ERR_PARSE, "visit line %d: '%s' is no answer to %s",
                                d->lineno, val, it->id);
        d->v->answers[it->item] = a;
    } else if (key[0] == 'n') {
        copy(d->v->notes[it->item], VISIT_NOTE_MAX, val);
    } else {
        day_t day;
        if (val[0] != '\0' && (strlen(val) != 10 || day_parse(val, &day) < 0))
            return bad(d, "deadline", val);
        copy(d->v->deadlines[it->item], VISIT_DATE_MAX, val);
    }
    return 0;
}

/* The first text form's re-weigh: one line, "category declared price
 * measured captured verdict allowed shortfall money frame-hex raw-text",
 * the verdict 0 none, 1 pass, 2 fail, 3 outside, "-" for an empty field, the
 * raw text "value unit"; always on the reference scale. */
static int decode_reweigh_v1(struct decoder *d, const char *val)
{
    struct visit *v = d->v;
    if (v->n_reweigh >= VISIT_MAX_REWEIGH)
        return sc_error_set(SC_ERR_PARSE, "visit line %d: too many re-weighs", d->lineno);
    struct visit_reweigh *w = &v->reweigh[v->n_reweigh];
    memset(w, 0, sizeof *w);
    char cat[24], frame[97];
    int verdict, used = 0;
    int64_t declared, price, measured, allowed, shortfall, money;
    int captured;
    if (sscanf(val,
               "%23s %" SCNd64 " %" SCNd64 " %" SCNd64 " %d %d %" SCNd64 " %" SCNd64
               " %" SCNd64 " %96s%n",
               cat, &declared, &price, &measured, &captured, &verdict, &allowed, &shortfall,
               &money, frame, &used) != 10 ||
        verdict < 0 || verdict > 3)
        return sc_error_set(SC_ERR_PARSE, "visit line %d: bad re-weigh", d->lineno);
    enum reweigh_category c;
    w->category = reweigh_category_parse(cat, &c) == 0 ? c : REWEIGH_NONE;
    w->declared_ug = declared;
    w->unit_price_fen = price;
    w->measured_ug = measured;
    /* Captured without a verdict cannot be judged again here: kept typed
     * in, not captured, so the officer captures it again. */
    w->captured = captured != 0 && verdict != 0;
    w->verdict = verdict == 2 ? REWEIGH_FAIL : verdict == 3 ? REWEIGH_OUTSIDE : REWEIGH_PASS;
    w->allowed_ug = allowed;
    w->shortfall_ug = shortfall;
    w->money_short_fen = money;
    w->method = REWEIGH_AT_REFERENCE;
    const char *raw = val + used;
    if (*raw == ' ')
        raw++;
    if (*raw != '\0') {
        struct visit_reading *r = &w->reading;
        w->has_reading = 1;
        r->stable = 1; /* only a stable reading was captured */
        char value[48];
        const char *sp = strchr(raw, ' ');
        size_t vl = sp != NULL ? (size_t)(sp - raw) : strlen(raw);
        snprintf(value, sizeof value, "%.*s", (int)(vl < sizeof value ? vl : sizeof value - 1),
                 raw);
        utf8_copy(r->value, sizeof r->value, value);
        utf8_copy(r->unit, sizeof r->unit, sp != NULL ? sp + 1 : "");
        if (strcmp(frame, "-") != 0 &&
            parse_hex(frame, r->raw, sizeof r->raw, &r->raw_len) < 0)
            return bad(d, "frame", frame);
    }
    v->n_reweigh++;
    return 0;
}

static int decode_rw_field(struct decoder *d, const char *key, const char *val)
{
    struct visit_reweigh *w = d->rw;
    if (w == NULL)
        return sc_error_set(SC_ERR_PARSE, "visit line %d: %s before any rw", d->lineno, key);
    for (size_t i = 0; i < COUNT(rw_text); i++)
        if (strcmp(key, rw_text[i].key) == 0) {
            copy((char *)w + rw_text[i].off, rw_text[i].size, val);
            return 0;
        }
    for (size_t i = 0; i < COUNT(rw_ints); i++)
        if (strcmp(key, rw_ints[i].key) == 0)
            return parse_i64(val, (int64_t *)(void *)((char *)w + rw_ints[i].off)) < 0
                       ? bad(d, key, val) : 0;
    for (size_t i = 0; i < COUNT(rw_flags); i++)
        if (strcmp(key, rw_flags[i].key) == 0)
            return parse_flag(val, (int *)(void *)((char *)w + rw_flags[i].off)) < 0
                       ? bad(d, key, val) : 0;
    if (strcmp(key, "rw.category") == 0) {
        enum reweigh_category c = REWEIGH_NONE;
        if (val[0] != '\0' && reweigh_category_parse(val, &c) < 0)
            return bad(d, "category", val);
        w->category = c;
    } else if (strcmp(key, "rw.verdict") == 0) {
        if (reweigh_outcome_parse(val, &w->verdict) < 0)
            return bad(d, "verdict", val);
    } else if (strcmp(key, "rw.method") == 0) {
        if (reweigh_at_parse(val, &w->method) < 0)
            return bad(d, "method", val);
    } else if (strcmp(key, "rw.raw") == 0) {
        if (parse_hex(val, w->reading.raw, sizeof w->reading.raw, &w->reading.raw_len) < 0)
            return bad(d, "frame", val);
    }
    return 0; /* an rw field this build does not know */
}

static int decode_ghost(struct decoder *d, const char *key, const char *val)
{
    struct visit_ghost_check *g = &d->v->ghost;
    if (strcmp(key, "ghost") == 0) { /* the first form: 0 not run, 1 clear, 2 suspect */
        if (strcmp(val, "0") != 0 && strcmp(val, "1") != 0 && strcmp(val, "2") != 0)
            return bad(d, "ghost", val);
        g->result = (enum visit_ghost)(val[0] - '0');
    } else if (strcmp(key, "ghost.result") == 0) {
        if (visit_ghost_parse(val, &g->result) < 0)
            return bad(d, "ghost result", val);
    } else if (strcmp(key, "ghost.vendor_turn") == 0) {
        if (parse_flag(val, &g->vendor_turn) < 0)
            return bad(d, key, val);
    } else if (strcmp(key, "ghost.loads") == 0) {
        int n, used = 0;
        int64_t l[3] = {0, 0, 0};
        if (sscanf(val, "%d%n", &n, &used) != 1 || n < 1 || n > 3)
            return bad(d, "loads", val);
        const char *p = val + used;
        for (int i = 0; i < n; i++) {
            int k = 0;
            if (sscanf(p, " %" SCNd64 "%n", &l[i], &k) != 1 || l[i] <= 0)
                return bad(d, "loads", val);
            p += k;
        }
        if (*p != '\0')
            return bad(d, "loads", val);
        g->nloads = n;
        memcpy(g->loads_ug, l, sizeof l);
    } else if (strcmp(key, "ghost.obs") == 0) {
        if (g->n_obs >= VISIT_GHOST_MAX_OBS)
            return sc_error_set(SC_ERR_PARSE, "visit line %d: too many observations", d->lineno);
        struct ghost_obs o;
        memset(&o, 0, sizeof o);
        int phase, used = 0;
        if (sscanf(val, "%d %d %d %" SCNd64 " %" SCNd64 "%n", &o.load, &phase, &o.round,
                   &o.stall_ug, &o.reference_ug, &used) != 5 ||
            val[used] != '\0' || o.load < 0 || o.load >= GHOST_MAX_LOADS ||
            (phase != GHOST_BEFORE && phase != GHOST_AFTER) || o.round < 1)
            return bad(d, "observation", val);
        o.phase = (enum ghost_phase)phase;
        g->obs[g->n_obs++] = o;
    }
    return 0;
}

static int decode_line(struct decoder *d, char *key, char *val, int *saw_end)
{
    struct visit *v = d->v;
    for (size_t i = 0; i < COUNT(visit_text); i++)
        if (strcmp(key, visit_text[i].key) == 0) {
            copy((char *)v + visit_text[i].off, visit_text[i].size, val);
            return 0;
        }
    if (strncmp(key, "answer.", 7) == 0 || strncmp(key, "note.", 5) == 0 ||
        strncmp(key, "deadline.", 9) == 0)
        return decode_checklist(d, key, val);
    if (strcmp(key, "reweigh") == 0)
        return decode_reweigh_v1(d, val);
    if (strcmp(key, "rw") == 0) {
        int64_t n;
        if (parse_i64(val, &n) < 0 || n != v->n_reweigh + 1 || n > VISIT_MAX_REWEIGH)
            return bad(d, "re-weigh number", val);
        d->rw = &v->reweigh[v->n_reweigh++];
        memset(d->rw, 0, sizeof *d->rw);
        return 0;
    }
    if (strncmp(key, "rw.", 3) == 0)
        return decode_rw_field(d, key, val);
    if (strncmp(key, "ghost", 5) == 0)
        return decode_ghost(d, key, val);
    if (strcmp(key, "end") == 0)
        *saw_end = 1;
    return 0; /* a key this build does not know */
}

int visit_decode(const char *text, struct visit *v)
{
    visit_clear(v);
    struct decoder d = {v, 0, NULL};
    int saw_end = 0;
    while (text != NULL && *text != '\0') {
        d.lineno++;
        const char *nl = strchr(text, '\n');
        size_t len = nl != NULL ? (size_t)(nl - text) : strlen(text);
        char line[1024];
        if (len >= sizeof line)
            return sc_error_set(SC_ERR_PARSE, "visit line %d: too long", d.lineno);
        memcpy(line, text, len);
        line[len] = '\0';
        text += len + (nl != NULL);
        char *sp = strchr(line, ' ');
        if (sp == NULL)
            return sc_error_set(SC_ERR_PARSE, "visit line %d: no value", d.lineno);
        *sp = '\0';
        unescape(sp + 1);
        int rc = decode_line(&d, line, sp + 1, &saw_end);
        if (rc < 0)
            return rc;
    }
    /* A draft is written whole in one statement, so a missing end line
     * means a text that was never ours. */
    if (!saw_end)
        return sc_error_set(SC_ERR_PARSE, "visit: no end line");
    if (v->id[0] == '\0' || v->stall[0] == '\0')
        return sc_error_set(SC_ERR_PARSE, "visit: no id or stall");
    return 0;
}
