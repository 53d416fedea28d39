#include "tui/visit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

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

struct out {
    char *buf;
    size_t size, len;
    int overflow;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->size) {
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

int visit_encode(const struct visit *v, char *buf, size_t size)
{
    struct out o = {buf, size, 0, 0};
    if (size > 0)
        buf[0] = '\0';
    put_line(&o, "visit", "1");
    put_line(&o, "id", v->id);
    put_line(&o, "stall", v->stall);
    put_line(&o, "market", v->market);
    put_line(&o, "officer1", v->officer1);
    put_line(&o, "officer2", v->officer2);
    put_line(&o, "draw", v->draw);
    put_line(&o, "started", v->started_at);
    size_t n;
    const struct checklist_item_info *items = checklist_items(&n);
    for (size_t i = 0; i < n; i++) {
        if (v->answers[i] == ANSWER_NONE && v->notes[i][0] == '\0' &&
            v->deadlines[i][0] == '\0')
            continue;
        char key[64];
        snprintf(key, sizeof key, "answer.%s", items[i].id);
        put_line(&o, key, checklist_answer_id(v->answers[i]));
        if (v->notes[i][0] != '\0') {
            snprintf(key, sizeof key, "note.%s", items[i].id);
            put_line(&o, key, v->notes[i]);
        }
        if (v->deadlines[i][0] != '\0') {
            snprintf(key, sizeof key, "deadline.%s", items[i].id);
            put_line(&o, key, v->deadlines[i]);
        }
    }
    for (int r = 0; r < v->n_reweigh; r++) {
        const struct visit_reweigh *w = &v->reweigh[r];
        char line[400];
        /* One line per re-weigh; the raw reading last, as it may hold spaces. */
        snprintf(line, sizeof line,
                 "%s %" PRId64 " %" PRId64 " %" PRId64 " %d %d %" PRId64 " %" PRId64 " %" PRId64
                 " %s %s",
                 w->category[0] ? w->category : "-", w->declared_ug, w->unit_price_fen,
                 w->measured_ug, w->captured, w->verdict, w->allowed_ug, w->shortfall_ug,
                 w->money_short_fen, w->frame[0] ? w->frame : "-", w->raw);
        put_line(&o, "reweigh", line);
    }
    put_int(&o, "ghost", v->ghost_done);
    put_line(&o, "end", "1");
    if (o.overflow)
        return sc_error_set(SC_ERR_RANGE, "visit text needs more than %zu bytes", size);
    return (int)o.len;
}

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

/* A repeated key replaces the value whole: nothing of the longer earlier
 * value stays behind the NUL (the struct is compared whole in tests). */
static void copy(char *dst, size_t size, const char *src)
{
    memset(dst, 0, size);
    snprintf(dst, size, "%s", src);
}

int visit_decode(const char *text, struct visit *v)
{
    visit_clear(v);
    int lineno = 0, saw_end = 0;
    while (text != NULL && *text != '\0') {
        lineno++;
        const char *nl = strchr(text, '\n');
        size_t len = nl != NULL ? (size_t)(nl - text) : strlen(text);
        char line[512];
        if (len >= sizeof line)
            return sc_error_set(SC_ERR_PARSE, "visit line %d: too long", lineno);
        memcpy(line, text, len);
        line[len] = '\0';
        text += len + (nl != NULL);
        char *sp = strchr(line, ' ');
        if (sp == NULL)
            return sc_error_set(SC_ERR_PARSE, "visit line %d: no value", lineno);
        *sp = '\0';
        char *key = line, *val = sp + 1;
        unescape(val);
        if (strcmp(key, "id") == 0)
            copy(v->id, sizeof v->id, val);
        else if (strcmp(key, "stall") == 0)
            copy(v->stall, sizeof v->stall, val);
        else if (strcmp(key, "market") == 0)
            copy(v->market, sizeof v->market, val);
        else if (strcmp(key, "officer1") == 0)
            copy(v->officer1, sizeof v->officer1, val);
        else if (strcmp(key, "officer2") == 0)
            copy(v->officer2, sizeof v->officer2, val);
        else if (strcmp(key, "draw") == 0)
            copy(v->draw, sizeof v->draw, val);
        else if (strcmp(key, "started") == 0)
            copy(v->started_at, sizeof v->started_at, val);
        else if (strncmp(key, "answer.", 7) == 0 || strncmp(key, "note.", 5) == 0 ||
                 strncmp(key, "deadline.", 9) == 0) {
            const char *id = strchr(key, '.') + 1;
            const struct checklist_item_info *it = checklist_item_by_id(id);
            if (it == NULL)
                continue; /* an item this build does not know */
            if (key[0] == 'a') {
                enum checklist_answer a = checklist_answer_from_id(val);
                if (a == ANSWER_NONE && strcmp(val, "none") != 0)
                    return sc_error_set(SC_ERR_PARSE, "visit line %d: answer '%s'", lineno, val);
                if (a != ANSWER_NONE && !checklist_answer_valid(it->item, a))
                    return sc_error_set(SC_ERR_PARSE, "visit line %d: '%s' is no answer to %s",
                                        lineno, val, id);
                v->answers[it->item] = a;
            } else if (key[0] == 'n') {
                copy(v->notes[it->item], sizeof v->notes[0], val);
            } else {
                copy(v->deadlines[it->item], sizeof v->deadlines[0], val);
            }
        } else if (strcmp(key, "reweigh") == 0) {
            if (v->n_reweigh >= VISIT_MAX_REWEIGH)
                return sc_error_set(SC_ERR_PARSE, "visit line %d: too many re-weighs", lineno);
            struct visit_reweigh *w = &v->reweigh[v->n_reweigh];
            int used = 0;
            char cat[24], frame[97];
            if (sscanf(val,
                       "%23s %" SCNd64 " %" SCNd64 " %" SCNd64 " %d %d %" SCNd64 " %" SCNd64
                       " %" SCNd64 " %96s%n",
                       cat, &w->declared_ug, &w->unit_price_fen, &w->measured_ug, &w->captured,
                       &w->verdict, &w->allowed_ug, &w->shortfall_ug, &w->money_short_fen,
                       frame, &used) != 10)
                return sc_error_set(SC_ERR_PARSE, "visit line %d: bad re-weigh", lineno);
            if (w->verdict < VERDICT_NONE || w->verdict > VERDICT_OUTSIDE)
                return sc_error_set(SC_ERR_PARSE, "visit line %d: bad verdict", lineno);
            copy(w->category, sizeof w->category, strcmp(cat, "-") == 0 ? "" : cat);
            copy(w->frame, sizeof w->frame, strcmp(frame, "-") == 0 ? "" : frame);
            const char *raw = val + used;
            if (*raw == ' ')
                raw++;
            copy(w->raw, sizeof w->raw, raw);
            v->n_reweigh++;
        } else if (strcmp(key, "ghost") == 0) {
            v->ghost_done = atoi(val);
            if (v->ghost_done < 0 || v->ghost_done > 2)
                return sc_error_set(SC_ERR_PARSE, "visit line %d: bad ghost", lineno);
        } else if (strcmp(key, "end") == 0) {
            saw_end = 1;
        }
    }
    /* A draft is written whole in one transaction, so a missing end line
     * means a text that was never ours. */
    if (!saw_end)
        return sc_error_set(SC_ERR_PARSE, "visit: no end line");
    if (v->id[0] == '\0' || v->stall[0] == '\0')
        return sc_error_set(SC_ERR_PARSE, "visit: no id or stall");
    return 0;
}
