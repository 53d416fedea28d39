/* The backend: the effects of the screens performed against db/ and
 * devices/.  Messages for the status line are msgids (translated when
 * drawn) or, when they carry a detail, already-formatted text. */
#include "tui/backend.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/day.h"
#include "core/error.h"
#include "core/mass.h"
#include "core/roles.h"
#include "core/rules.h"
#include "db/db.h"
#include "db/draft.h"
#include "db/draw.h"
#include "db/inspection.h"
#include "db/lists.h"
#include "db/officer.h"
#include "db/registry.h"
#include "devices/link.h"
#include "tui/i18n.h"
#include "tui/text.h"
#include "tui/trace.h"
#include "tui/verify_backend.h"

/* A command-taking scale is asked for a reading this often; one that says
 * nothing for NO_ANSWER_MS is shown offline. */
#define REQUEST_MS 200
#define NO_ANSWER_MS 3000

struct scale_link {
    struct link *link;
    char conn[256];
    int streaming;          /* the protocol sends without being asked */
    long long next_request; /* ms */
    long long last_heard;   /* ms */
    uint64_t seq;
};

struct backend {
    struct db *db;
    enum roles_role role;     /* the officer signed in (core/roles.h) */
    char own_market[48];      /* a manager's market */
    struct rules rules;
    int have_rules;
    struct tui_options opt;
    struct scale_link scales[SCALE_COUNT];
    struct verify_backend *verify;   /* metrology: the procedure in hand */
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- scales ---- */

static void scale_close(struct backend *be, struct session *ses, int which)
{
    struct scale_link *sl = &be->scales[which];
    link_close(sl->link);
    sl->link = NULL;
    ses->scales[which].online = 0;
}

static int scale_open(struct backend *be, struct session *ses, int which, const char *conn)
{
    struct scale_link *sl = &be->scales[which];
    struct tui_scale *sc = &ses->scales[which];
    if (sl->link != NULL && strcmp(sl->conn, conn) == 0 && ses->scales[which].online)
        return 0;
    scale_close(be, ses, which);
    text_copy(sl->conn, sizeof sl->conn, conn);
    sc->configured = 1;
    memset(&sc->last, 0, sizeof sc->last);
    struct driver_spec spec;
    if (driver_spec_parse(conn, &spec) == 0) {
        snprintf(sc->name, sizeof sc->name, "%s %s", spec.driver->name,
                 spec.conn != NULL ? spec.conn : "");
        driver_spec_free(&spec);
    } else {
        text_copy(sc->name, sizeof sc->name, conn);
    }
    int rc = link_open(conn, &sl->link);
    if (rc < 0) {
        sl->link = NULL;
        sc->online = 0;
        text_copy(sc->error, sizeof sc->error, sc_error_message());
        return rc;
    }
    sc->online = 1;
    sc->error[0] = '\0';
    sl->streaming = !(link_driver(sl->link)->flags & DRIVER_COMMANDS);
    sl->next_request = now_ms();
    sl->last_heard = now_ms();
    return 0;
}

/* A reading's value in µg when its unit is a mass; -1 otherwise. */
static int reading_ug(const struct reading *r, int64_t *ug)
{
    int64_t unit = mass_unit(r->unit);
    if (unit <= 0 || !r->has_value)
        return -1;
    int64_t p = 1;
    for (int i = 0; i < r->value.scale; i++)
        p *= 10;
    if (unit % p != 0)
        return -1; /* finer than 1 µg: never rounded */
    *ug = r->value.mant * (unit / p);
    return 0;
}

static void scale_gone(struct backend *be, struct session *ses, int which, const char *why)
{
    struct tui_scale *sc = &ses->scales[which];
    (void)be;
    sc->online = 0;
    text_copy(sc->error, sizeof sc->error, why);
}

/* ---- the managers' screen: the market's red/black list ---- */

static int add_list_row(const struct lists_row *row, void *arg)
{
    struct session *ses = arg;
    if (row->list == SCORE_LIST_RED)
        ses->lists_red++;
    else if (row->list == SCORE_LIST_BLACK)
        ses->lists_black++;
    if (ses->n_lists >= SESSION_MAX_LISTS)
        return 0; /* counted, not shown */
    struct session_list_row *r = &ses->lists[ses->n_lists++];
    memset(r, 0, sizeof *r);
    text_copy(r->code, sizeof r->code, row->stall);
    text_copy(r->name, sizeof r->name, row->name);
    r->score = row->score;
    text_copy(r->list, sizeof r->list, score_list_name(row->list));
    text_copy(r->grade, sizeof r->grade, score_grade_name(row->grade));
    if (row->list == SCORE_LIST_BLACK) {
        char since[11];
        day_format(row->since, since, sizeof since);
        snprintf(r->reason, sizeof r->reason, "%s %s", since,
                 _(score_black_reason_text(row->black_reason)));
    }
    r->followups = row->followups;
    return 0;
}

/* recompute: store every stall's status first (lists_recompute). */
static int load_lists(struct backend *be, struct session *ses, const char *market, int recompute)
{
    ses->n_lists = ses->lists_red = ses->lists_black = 0;
    if (!be->have_rules)
        return SC_ERR_NOTFOUND;
    day_t today;
    int rc = day_parse(ses->today, &today);
    const char *m = market != NULL && *market ? market : NULL;
    if (rc == 0 && recompute)
        rc = (int)(lists_recompute(be->db, &be->rules, m, today) < 0 ? -1 : 0);
    if (rc == 0)
        rc = lists_each(be->db, &be->rules, m, today, today, add_list_row, ses);
    if (rc >= 0)
        session_message(ses, 0, "%s", recompute ? _("Lists recomputed") : "");
    return rc < 0 ? rc : 0;
}

/* ---- opening ---- */

int backend_open(const struct tui_options *opt, struct session *ses, struct backend **out)
{
    struct backend *be = calloc(1, sizeof *be);
    if (be == NULL)
        return SC_ERR_NOMEM;
    be->opt = *opt;
    int rc = db_open(opt->db_path, &be->db);
    if (rc < 0) {
        free(be);
        return rc;
    }
    if (lists_rules(be->db, NULL, &be->rules) == 0)
        be->have_rules = 1;
    db_today(ses->today, sizeof ses->today);
    for (int i = 0; i < SCALE_COUNT; i++)
        if (opt->scale_conn[i] != NULL && *opt->scale_conn[i] != '\0')
            scale_open(be, ses, i, opt->scale_conn[i]);
    *out = be;
    return 0;
}

void backend_close(struct backend *be)
{
    if (be == NULL)
        return;
    for (int i = 0; i < SCALE_COUNT; i++)
        link_close(be->scales[i].link);
    verify_backend_free(be->verify);
    db_close(be->db);
    free(be);
}

/* ---- the stall card and today's list ---- */

static int add_stall_row(const struct stall *s, void *arg)
{
    struct session *ses = arg;
    if (!s->active)
        return 0;
    if (ses->n_stalls >= SESSION_MAX_STALLS)
        return 1;
    struct session_stall_row *r = &ses->stalls[ses->n_stalls++];
    memset(r, 0, sizeof *r);
    text_copy(r->code, sizeof r->code, s->code);
    text_copy(r->name, sizeof r->name, s->name);
    return 0;
}

static int first_market(const struct market *m, void *arg)
{
    struct session *ses = arg;
    text_copy(ses->market, sizeof ses->market, m->code);
    text_copy(ses->market_name, sizeof ses->market_name, m->name);
    return 1;
}

static int find_reference(const struct instrument *in, void *arg)
{
    struct session *ses = arg;
    if (!in->active || ses->reference_id[0] != '\0')
        return 0;
    text_copy(ses->reference_id, sizeof ses->reference_id, in->code);
    text_copy(ses->reference_due, sizeof ses->reference_due, in->due);
    return 1;
}

/* Today's draw of a market is remembered in a setting: the draw itself is
 * the audited record (db/draw.h). */
static void draw_setting_key(const struct session *ses, char *key, size_t size)
{
    snprintf(key, size, "tui.draw.%s.%s", ses->market, ses->today);
}

static void show_draw(struct session *ses, const char *id, const char *seed,
                      const struct draw_result *r)
{
    text_copy(ses->draw_id, sizeof ses->draw_id, id);
    text_copy(ses->draw_seed, sizeof ses->draw_seed, seed);
    ses->draw_officers[0] = '\0';
    for (size_t i = 0; i < r->n_officers; i++) {
        size_t n = strlen(ses->draw_officers);
        snprintf(ses->draw_officers + n, sizeof ses->draw_officers - n, "%s%s", i ? " " : "",
                 r->officers[i]);
    }
    ses->n_stalls = 0;
    for (size_t i = 0; i < r->n_stalls && ses->n_stalls < SESSION_MAX_STALLS; i++) {
        struct session_stall_row *row = &ses->stalls[ses->n_stalls++];
        memset(row, 0, sizeof *row);
        text_copy(row->code, sizeof row->code, r->stalls[i].code);
        row->followup = r->stalls[i].reason == DRAW_FOLLOWUP;
    }
}

static void name_stalls(struct backend *be, struct session *ses)
{
    for (int i = 0; i < ses->n_stalls; i++) {
        struct stall st;
        if (registry_find_stall(be->db, ses->stalls[i].code, &st) == 0)
            text_copy(ses->stalls[i].name, sizeof ses->stalls[i].name, st.name);
    }
}

static int load_draw(struct backend *be, struct session *ses)
{
    char key[128], id[64];
    draw_setting_key(ses, key, sizeof key);
    if (db_setting_get(be->db, key, id, sizeof id) < 0)
        return -1;
    struct draw_record rec;
    if (draw_load(be->db, id, &rec) < 0)
        return -1;
    show_draw(ses, rec.id, rec.seed, &rec.recorded);
    draw_record_free(&rec);
    name_stalls(be, ses);
    return 0;
}

/* libsodium's ChaCha20 keystream in core/draw's shape (as `stallcheck
 * draw`), so `stallcheck draw --replay ID` replays a draw made here. */
static void keystream(void *out, size_t len, const unsigned char seed[DRAW_SEED_BYTES])
{
    randombytes_buf_deterministic(out, len, seed);
}

/* The screens never do what the command line would refuse (core/roles.h):
 * 0, or SC_ERR_DENIED with the reason on the status line. */
static int allowed(struct backend *be, struct session *ses, enum roles_action act,
                   const char *market)
{
    int rc = roles_check(be->role, be->own_market[0] ? be->own_market : NULL, act, market);
    if (rc < 0)
        session_message(ses, 1, "%s: %s", _("Not allowed"), sc_error_message());
    return rc;
}

static int make_draw(struct backend *be, struct session *ses)
{
    /* One draw a day per market: drawing again until the stalls suit would
     * defeat 双随机.  The recorded one stands and is shown. */
    if (ses->draw_id[0] != '\0') {
        session_message(ses, 1, "%s", _("Today's draw is made: it stands"));
        return SC_ERR_EXISTS;
    }
    int rc0 = allowed(be, ses, ROLE_ACT_DRAW, ses->market);
    if (rc0 < 0)
        return rc0;
    struct draw_pools pools;
    int rc = draw_pools_load(be->db, ses->market, &pools);
    if (rc < 0) {
        session_message(ses, 1, "%s: %s", _("No draw"), sc_error_message());
        return rc;
    }
    struct draw_input in;
    draw_pools_input(&pools, &in);
    in.want_stalls = be->opt.draw_stalls > 0 ? (size_t)be->opt.draw_stalls : 5;
    in.want_officers = DRAW_OFFICERS_DEFAULT;
    in.include_followups = 1; /* stalls under a correction deadline are added */
    randombytes_buf(in.seed, sizeof in.seed);
    struct draw_result r;
    rc = draw_run(&in, keystream, &r);
    if (rc < 0) {
        session_message(ses, 1, "%s: %s", _("No draw"), sc_error_message());
        draw_pools_free(&pools);
        return rc;
    }
    char id[DB_UUID_LEN], seed[DRAW_SEED_HEX + 1], key[128];
    rc = draw_save(be->db, ses->market, ses->badge, &in, &r, id);
    if (rc == 0) {
        draw_seed_format(in.seed, seed);
        show_draw(ses, id, seed, &r);
        name_stalls(be, ses);
        draw_setting_key(ses, key, sizeof key);
        db_setting_set(be->db, key, id);
        session_message(ses, 0, "%s %zu", _("Drawn: stalls"), r.n_stalls);
    } else {
        session_message(ses, 1, "%s: %s", _("No draw"), sc_error_message());
    }
    draw_result_free(&r);
    draw_pools_free(&pools);
    return rc;
}

static void load_today(struct backend *be, struct session *ses)
{
    ses->n_stalls = 0;
    if (be->opt.market != NULL) {
        struct market m;
        if (registry_find_market(be->db, be->opt.market, &m) == 0)
            first_market(&m, ses);
    }
    if (ses->market[0] == '\0')
        registry_list_markets(be->db, first_market, ses);
    if (ses->market[0] == '\0')
        return;
    /* Today's draw when one was made on this handheld, else the market's
     * stalls in code order (a stall can be picked from the list or by code). */
    if (load_draw(be, ses) != 0)
        registry_list_stalls(be->db, ses->market, add_stall_row, ses);
    ses->reference_id[0] = '\0';
    registry_instruments_by_market(be->db, ses->market, "reference", find_reference, ses);
}

static int add_instrument(const struct instrument *in, void *arg)
{
    struct session *ses = arg;
    if (!in->active || ses->n_instruments >= SESSION_MAX_INSTRUMENTS)
        return 0;
    struct session_instrument *si = &ses->instruments[ses->n_instruments++];
    text_copy(si->code, sizeof si->code, in->code);
    text_copy(si->kind, sizeof si->kind, in->kind);
    text_copy(si->cls, sizeof si->cls, in->cls);
    text_copy(si->due, sizeof si->due, in->due);
    /* Due dates are "YYYY-MM-DD": text order is date order. */
    si->overdue = in->due[0] != '\0' && strcmp(in->due, ses->today) < 0;
    si->max_ug = in->max_ug;
    si->min_ug = in->min_ug;
    si->e_ug = in->e_ug;
    si->d_ug = in->d_ug;
    return 0;
}

struct stall_scale_arg {
    char conn[256];
};

static int find_stall_conn(const struct instrument *in, void *arg)
{
    struct stall_scale_arg *a = arg;
    if (in->active && in->conn[0] != '\0' && a->conn[0] == '\0' &&
        strcmp(in->kind, "meter") != 0)
        text_copy(a->conn, sizeof a->conn, in->conn);
    return 0;
}

static int add_history(const struct inspection_summary *s, void *arg)
{
    struct session *ses = arg;
    if (ses->n_history >= SESSION_MAX_HISTORY)
        return 1;
    struct session_history_row *h = &ses->history[ses->n_history++];
    memset(h, 0, sizeof *h);
    text_copy(h->id, sizeof h->id, s->id);
    text_copy(h->date, sizeof h->date, s->started_at);
    text_copy(h->stall, sizeof h->stall, ses->stall);
    text_copy(h->officer, sizeof h->officer, s->officer1);
    h->failures = s->nfailed;
    h->reweigh_fail = s->nreweighs_failed;
    return 0;
}

static void load_score(struct backend *be, struct session *ses)
{
    ses->score = -1;
    ses->list[0] = '\0';
    day_t today;
    if (!be->have_rules || day_parse(ses->today, &today) < 0)
        return;
    struct lists_stall ls;
    if (lists_stall_score(be->db, &be->rules, ses->stall, today, &ls) < 0)
        return;
    ses->score = ls.res.score;
    text_copy(ses->list, sizeof ses->list, score_list_name(ls.res.list));
    lists_stall_free(&ls);
}

static int load_card(struct backend *be, struct session *ses, const char *code)
{
    struct stall st;
    int rc = registry_find_stall(be->db, code, &st);
    if (rc < 0) {
        session_message(ses, 1, "%s: %s", _("No such stall"), code);
        return rc;
    }
    ses->stall_loaded = 1;
    text_copy(ses->stall, sizeof ses->stall, st.code);
    text_copy(ses->stall_name, sizeof ses->stall_name, st.name);
    text_copy(ses->stall_category, sizeof ses->stall_category, st.category);
    text_copy(ses->licence, sizeof ses->licence, st.operator_licence);
    ses->operator_name[0] = '\0';
    struct stall_operator op;
    if (st.operator_licence[0] != '\0' &&
        registry_find_operator(be->db, st.operator_licence, &op) == 0)
        text_copy(ses->operator_name, sizeof ses->operator_name, op.name);
    ses->n_instruments = 0;
    registry_instruments_by_stall(be->db, st.code, add_instrument, ses);
    ses->n_history = 0;
    inspection_history(be->db, st.code, 0, add_history, ses);
    load_score(be, ses);
    /* The stall's own scale, when the registry knows its cable and no
     * scale was given on the command line. */
    if (be->opt.scale_conn[SCALE_STALL] == NULL) {
        struct stall_scale_arg a = {""};
        registry_instruments_by_stall(be->db, st.code, find_stall_conn, &a);
        if (a.conn[0] != '\0')
            scale_open(be, ses, SCALE_STALL, a.conn);
    }
    return 0;
}

/* A draft already committed (the app was killed between the commit and the
 * draft's deletion is impossible: they share a transaction; but a draft
 * synced from elsewhere could be) is dropped rather than offered. */
static int draft_committed(struct backend *be, const char *id)
{
    struct inspection *in = NULL;
    if (inspection_load(be->db, id, &in) < 0)
        return 0;
    int committed = strcmp(in->status, "committed") == 0;
    inspection_free(in);
    return committed;
}

static int read_draft(struct backend *be, const char *id, struct visit *v)
{
    char *body = NULL;
    int rc = draft_load(be->db, id, &body);
    if (rc < 0)
        return rc;
    rc = visit_decode(body, v);
    free(body);
    return rc;
}

static void find_draft(struct backend *be, struct session *ses)
{
    ses->draft_pending = 0;
    struct draft_info di;
    while (draft_latest(be->db, ses->badge, NULL, &di) == 0) {
        if (draft_committed(be, di.id) || read_draft(be, di.id, &ses->draft) < 0) {
            /* Never offer what cannot be resumed; never loop on it. */
            if (draft_delete(be->db, di.id) < 0)
                return;
            continue;
        }
        ses->draft_pending = 1;
        return;
    }
}

static void start_visit(struct backend *be, struct session *ses)
{
    struct draft_info di;
    if (ses->visit.id[0] != '\0' && strcmp(ses->visit.stall, ses->stall) == 0)
        return;
    visit_clear(&ses->visit);
    /* An unfinished inspection of this stall by this officer is picked up. */
    if (draft_latest(be->db, ses->badge, ses->stall, &di) == 0 &&
        read_draft(be, di.id, &ses->visit) == 0 && !draft_committed(be, di.id)) {
        session_message(ses, 0, "%s", _("Unfinished inspection resumed"));
        return;
    }
    visit_clear(&ses->visit);
    db_uuid_new(ses->visit.id);
    text_copy(ses->visit.stall, sizeof ses->visit.stall, ses->stall);
    text_copy(ses->visit.officer1, sizeof ses->visit.officer1, ses->badge);
    db_now(ses->visit.started_at, sizeof ses->visit.started_at);
    struct stall st;
    if (registry_find_stall(be->db, ses->stall, &st) == 0)
        text_copy(ses->visit.market, sizeof ses->visit.market, st.market);
    for (int i = 0; i < ses->n_stalls && ses->draw_id[0] != '\0'; i++)
        if (strcmp(ses->stalls[i].code, ses->stall) == 0)
            text_copy(ses->visit.draw, sizeof ses->visit.draw, ses->draw_id);
}

/* ---- committing ---- */

static size_t hex_decode(const char *hex, unsigned char *out, size_t size)
{
    size_t n = 0;
    while (hex[0] != '\0' && hex[1] != '\0' && n < size) {
        unsigned v;
        if (sscanf(hex, "%2x", &v) != 1)
            break;
        out[n++] = (unsigned char)v;
        hex += 2;
    }
    return n;
}

/* The visit as db/inspection.h's struct; arrays are the caller's. */
static void build_inspection(struct backend *be, const struct session *ses, struct inspection *in,
                             struct finding *f, struct reweigh *rw, struct measurement *ms,
                             unsigned char raw[][48])
{
    const struct visit *v = &ses->visit;
    memset(in, 0, sizeof *in);
    text_copy(in->id, sizeof in->id, v->id);
    text_copy(in->stall, sizeof in->stall, v->stall);
    text_copy(in->market, sizeof in->market, v->market);
    text_copy(in->officer1, sizeof in->officer1, v->officer1);
    text_copy(in->officer2, sizeof in->officer2, v->officer2);
    text_copy(in->draw, sizeof in->draw, v->draw);
    text_copy(in->started_at, sizeof in->started_at, v->started_at);
    size_t n;
    const struct checklist_item_info *items = checklist_items(&n);
    in->findings = f;
    for (size_t i = 0; i < n; i++) {
        if (v->answers[i] == ANSWER_NONE)
            continue;
        struct finding *x = &f[in->nfindings++];
        memset(x, 0, sizeof *x);
        text_copy(x->item, sizeof x->item, items[i].id);
        text_copy(x->answer, sizeof x->answer, checklist_answer_id(v->answers[i]));
        text_copy(x->note, sizeof x->note, v->notes[i]);
        text_copy(x->deadline, sizeof x->deadline, v->deadlines[i]);
    }
    in->reweighs = rw;
    in->measurements = ms;
    for (int i = 0; i < v->n_reweigh; i++) {
        const struct visit_reweigh *w = &v->reweigh[i];
        if (!w->captured)
            continue;
        struct reweigh *r = &rw[in->nreweighs++];
        memset(r, 0, sizeof *r);
        text_copy(r->category, sizeof r->category, w->category);
        r->declared_ug = w->declared_ug;
        r->measured_ug = w->measured_ug;
        r->unit_price_fen = w->unit_price_fen;
        r->has_allowed = w->verdict != VERDICT_OUTSIDE;
        r->allowed_ug = w->allowed_ug;
        r->shortfall_ug = w->shortfall_ug;
        r->money_short_fen = w->money_short_fen;
        r->verdict = w->verdict == VERDICT_FAIL ? REWEIGH_FAIL : w->verdict == VERDICT_PASS ? REWEIGH_PASS : REWEIGH_OUTSIDE;
        r->method = REWEIGH_AT_REFERENCE;
        if (w->raw[0] != '\0') {
            /* The reading behind the verdict, with the frame as read. */
            struct measurement *m = &ms[in->nmeasurements++];
            memset(m, 0, sizeof *m);
            db_uuid_new(m->id);
            text_copy(r->measurement, sizeof r->measurement, m->id);
            db_now(m->taken_at, sizeof m->taken_at);
            const char *sp = strchr(w->raw, ' ');
            size_t vl = sp != NULL ? (size_t)(sp - w->raw) : strlen(w->raw);
            snprintf(m->value, sizeof m->value, "%.*s", (int)vl, w->raw);
            text_copy(m->unit, sizeof m->unit, sp != NULL ? sp + 1 : "");
            snprintf(m->driver, sizeof m->driver, "%s",
                     be->scales[SCALE_REFERENCE].link != NULL
                         ? link_driver(be->scales[SCALE_REFERENCE].link)->name
                         : "");
            m->has_value_ug = 1;
            m->value_ug = w->measured_ug;
            m->stable = 1;
            size_t rl = hex_decode(w->frame, raw[i], sizeof raw[i]);
            m->raw = rl > 0 ? raw[i] : NULL;
            m->raw_len = rl;
        }
    }
}

/* The summary's score: the score engine's preview of the stall's history
 * with this visit in it (db/lists.h), nothing written. */
static int preview(struct backend *be, struct session *ses)
{
    const struct visit *v = &ses->visit;
    struct score_finding f[CHECK_ITEM_COUNT];
    size_t nf = 0;
    for (int i = 0; i < CHECK_ITEM_COUNT; i++) {
        if (v->answers[i] == ANSWER_NONE)
            continue;
        f[nf].item = (enum checklist_item)i;
        f[nf].answer = v->answers[i];
        f[nf].deadline = 0;
        if (v->deadlines[i][0] != '\0')
            day_parse(v->deadlines[i], &f[nf].deadline);
        nf++;
    }
    struct score_event ev;
    memset(&ev, 0, sizeof ev);
    ev.id = v->id;
    ev.kind = SCORE_EVENT_INSPECTION;
    ev.findings = f;
    ev.n_findings = nf;
    for (int i = 0; i < v->n_reweigh; i++) {
        if (!v->reweigh[i].captured)
            continue;
        ev.reweighs++;
        ev.reweighs_short += v->reweigh[i].verdict == VERDICT_FAIL;
    }
    if (!be->have_rules || day_parse(v->started_at, &ev.day) < 0)
        return SC_ERR_ARG;
    struct lists_preview p;
    int rc = lists_preview(be->db, &be->rules, v->stall, &ev, &p);
    if (rc < 0)
        return rc;
    ses->summary_ready = 1;
    ses->score = p.score_before;
    ses->new_score = p.score_after;
    ses->deduction = p.deduction;
    text_copy(ses->new_list, sizeof ses->new_list, score_list_name(p.list_after));
    return 0;
}

static int commit(struct backend *be, struct session *ses)
{
    int denied = allowed(be, ses, ROLE_ACT_INSPECT, ses->visit.market);
    if (denied < 0)
        return denied;
    struct inspection in;
    struct finding f[CHECK_ITEM_COUNT];
    struct reweigh rw[VISIT_MAX_REWEIGH];
    struct measurement ms[VISIT_MAX_REWEIGH];
    unsigned char raw[VISIT_MAX_REWEIGH][48];
    build_inspection(be, ses, &in, f, rw, ms, raw);
    int old_score = ses->score;
    /* One transaction: the inspection, its audit entry and the draft's
     * deletion are all there after a power cut, or none is. */
    int rc = db_begin(be->db);
    if (rc < 0)
        return rc;
    if ((rc = inspection_commit(be->db, &in)) < 0 ||
        (rc = draft_delete(be->db, ses->visit.id)) < 0) {
        char why[160];
        text_copy(why, sizeof why, sc_error_message());
        db_rollback(be->db);
        session_message(ses, 1, "%s: %s", _("Not saved"), why);
        return rc;
    }
    if ((rc = db_commit(be->db)) < 0) {
        session_message(ses, 1, "%s: %s", _("Not saved"), sc_error_message());
        return rc;
    }
    /* The stored list follows (lists.h: after the commit, outside it). */
    lists_after_commit(be->db, ses->stall);
    int new_score = -1;
    char new_list[8] = "";
    day_t today;
    if (be->have_rules && day_parse(ses->today, &today) == 0) {
        struct lists_stall ls;
        if (lists_stall_score(be->db, &be->rules, ses->stall, today, &ls) == 0) {
            new_score = ls.res.score;
            text_copy(new_list, sizeof new_list, score_list_name(ls.res.list));
            lists_stall_free(&ls);
        }
    }
    text_copy(ses->committed_id, sizeof ses->committed_id, in.id);
    for (int i = 0; i < ses->n_stalls; i++)
        if (strcmp(ses->stalls[i].code, ses->stall) == 0)
            ses->stalls[i].done = 1;
    if (new_score >= 0)
        session_message(ses, 0, "%s %s: %s %d -> %d %s", _("Inspection saved"), ses->stall, _("Score"),
                old_score, new_score, strcmp(new_list, "none") == 0 ? "" : new_list);
    else
        session_message(ses, 0, "%s %s", _("Inspection saved"), ses->stall);
    visit_clear(&ses->visit);
    load_card(be, ses, ses->stall);
    return 0;
}

/* ---- effects ---- */

static int save_draft(struct backend *be, struct session *ses)
{
    if (ses->visit.id[0] == '\0')
        return 0;
    char body[8192];
    int rc = visit_encode(&ses->visit, body, sizeof body);
    if (rc >= 0)
        rc = draft_save(be->db, ses->visit.id, ses->visit.officer1, ses->visit.stall, body);
    if (rc < 0)
        session_message(ses, 1, "%s: %s", _("Draft not saved"), sc_error_message());
    return rc < 0 ? rc : 0;
}

int backend_perform(struct backend *be, struct session *ses, const struct tui_effect *eff)
{
    int rc = 0;
    switch (eff->kind) {
    case EFF_NONE:
        break;
    case EFF_SIGN_IN: {
        double t0 = trace_now_ms();
        rc = officer_check_pin(be->db, eff->text, eff->text2);
        trace_line("pin-check %.3f ms", trace_now_ms() - t0);
        trace_rss("after-pin-check");
        if (rc < 0) {
            if (rc == SC_ERR_LOCKED)
                session_message(ses, 1, "%s", sc_error_message());
            return rc;
        }
        struct officer o;
        text_copy(ses->badge, sizeof ses->badge, eff->text);
        be->role = ROLES_NONE;
        if (officer_find(be->db, eff->text, &o) == 0)
        {
            be->role = roles_from_id(officer_role_id(o.role));
            text_copy(be->own_market, sizeof be->own_market, o.market);
            text_copy(ses->role, sizeof ses->role, officer_role_id(o.role));
            char who[sizeof o.badge + sizeof o.name + 2];
            snprintf(who, sizeof who, "%s %s", o.badge, o.name);
            text_copy(ses->officer_name, sizeof ses->officer_name, who);
        }
        t0 = trace_now_ms();
        load_today(be, ses);
        find_draft(be, ses);
        trace_line("load-today %.3f ms", trace_now_ms() - t0);
        break;
    }
    case EFF_LOAD_STALL:
        rc = load_card(be, ses, eff->text);
        if (rc == 0)
            start_visit(be, ses);
        break;
    case EFF_START_VISIT:
        start_visit(be, ses);
        break;
    case EFF_SAVE_DRAFT:
        rc = save_draft(be, ses);
        break;
    case EFF_DISCARD_DRAFT:
        rc = draft_delete(be->db, ses->draft.id);
        ses->draft_pending = 0;
        break;
    case EFF_RESUME_DRAFT:
        ses->visit = ses->draft;
        ses->draft_pending = 0;
        rc = load_card(be, ses, ses->visit.stall);
        break;
    case EFF_COMMIT:
        rc = commit(be, ses);
        break;
    case EFF_SCORE_PREVIEW:
        ses->summary_ready = 0;
        /* Only a complete checklist can be committed, so only it previews. */
        if (visit_complete(&ses->visit)) {
            rc = preview(be, ses);
            if (rc < 0)
                session_message(ses, 1, "%s: %s", _("No score preview"), sc_error_message());
        }
        break;
    case EFF_OFFICER2:
        if (strcmp(eff->text, ses->visit.officer1) == 0)
            return sc_error_set(SC_ERR_EXISTS, "the same officer");
        rc = officer_check_pin(be->db, eff->text, eff->text2);
        if (rc < 0)
            return rc;
        {
            /* The second officer must be one who may inspect, too. */
            struct officer o2;
            if (officer_find(be->db, eff->text, &o2) < 0 ||
                roles_check(roles_from_id(officer_role_id(o2.role)), NULL, ROLE_ACT_INSPECT,
                            ses->visit.market) < 0)
                return sc_error_set(SC_ERR_DENIED, "%s may not inspect", eff->text);
        }
        text_copy(ses->visit.officer2, sizeof ses->visit.officer2, eff->text);
        rc = save_draft(be, ses);
        break;
    case EFF_DEVICE_ZERO:
    case EFF_DEVICE_TARE: {
        struct scale_link *sl = &be->scales[eff->arg];
        if (sl->link == NULL || !ses->scales[eff->arg].online) {
            session_message(ses, 1, "%s", _("The scale is offline"));
            return SC_ERR_GONE;
        }
        rc = link_request(sl->link, eff->kind == EFF_DEVICE_ZERO ? DRIVER_REQ_ZERO
                                                                 : DRIVER_REQ_TARE);
        if (rc == SC_ERR_UNSUPPORTED)
            session_message(ses, 1, "%s", _("This scale takes no commands: use its own keys"));
        break;
    }
    case EFF_DEVICE_RETRY: {
        struct scale_link *sl = &be->scales[eff->arg];
        if (sl->conn[0] == '\0') {
            session_message(ses, 1, "%s", _("No scale configured"));
            return SC_ERR_NOTFOUND;
        }
        char conn[256];
        text_copy(conn, sizeof conn, sl->conn);
        scale_close(be, ses, eff->arg);
        rc = scale_open(be, ses, eff->arg, conn);
        if (rc < 0)
            session_message(ses, 1, "%s: %s", _("Still offline"), ses->scales[eff->arg].error);
        else
            session_message(ses, 0, "%s", _("Scale connected"));
        break;
    }
    case EFF_DRAW:
        rc = make_draw(be, ses);
        break;
    case EFF_LOAD_LISTS:
        rc = load_lists(be, ses, eff->text, eff->arg);
        break;
    case EFF_VERIFY_LIST:
    case EFF_VERIFY_LOAD:
    case EFF_VERIFY_START:
    case EFF_VERIFY_FEED:
    case EFF_VERIFY_COMMIT:
    case EFF_VERIFY_DISCARD:
        rc = verify_perform(be, &be->verify, be->db, ses, eff);
        break;
    case EFF_LOAD_HISTORY:
        ses->n_history = 0;
        if (eff->text[0] != '\0' || ses->stall[0] != '\0') {
            const char *stall = eff->text[0] != '\0' ? eff->text : ses->stall;
            text_copy(ses->stall, sizeof ses->stall, stall);
            rc = inspection_history(be->db, stall, 0, add_history, ses);
        }
        break;
    }
    return rc;
}

int backend_use_scale(struct backend *be, struct session *ses, int which, const char *conn)
{
    if (be->opt.scale_conn[which] != NULL && *be->opt.scale_conn[which] != '\0')
        return 0;
    return scale_open(be, ses, which, conn);
}

const char *backend_db_path(const struct backend *be)
{
    return be->opt.db_path;
}

void backend_leave_stall(struct backend *be, struct session *ses)
{
    (void)be;
    /* A visit with answers is already a draft: picked up when the stall is
     * chosen again, offered at the next start.  One without is nothing. */
    visit_clear(&ses->visit);
    ses->summary_ready = 0;
}

/* ---- devices in the loop ---- */

int backend_fds(struct backend *be, struct pollfd *fds, int max, int *timeout_ms)
{
    int n = 0;
    long long now = now_ms();
    *timeout_ms = -1;
    for (int i = 0; i < SCALE_COUNT && n < max; i++) {
        struct scale_link *sl = &be->scales[i];
        if (sl->link == NULL || link_fd(sl->link) < 0)
            continue;
        fds[n].fd = link_fd(sl->link);
        fds[n].events = POLLIN;
        fds[n].revents = 0;
        n++;
        long long wait = sl->streaming ? NO_ANSWER_MS : sl->next_request - now;
        if (wait < 0)
            wait = 0;
        if (*timeout_ms < 0 || wait < *timeout_ms)
            *timeout_ms = (int)wait;
    }
    if (*timeout_ms >= 0 && *timeout_ms < 10)
        *timeout_ms = 10;
    return n;
}

int backend_poll(struct backend *be, struct session *ses, const struct pollfd *fds, int nfds,
                 struct tui_event *out, int max)
{
    (void)fds;
    (void)nfds;
    int n = 0;
    long long now = now_ms();
    for (int i = 0; i < SCALE_COUNT; i++) {
        struct scale_link *sl = &be->scales[i];
        struct tui_scale *sc = &ses->scales[i];
        if (sl->link == NULL || !sc->online)
            continue;
        int was_online = sc->online;
        struct reading r;
        int rc;
        while ((rc = link_poll(sl->link, &r)) > 0) {
            if (r.kind != READING_VALUE)
                continue;
            sl->last_heard = now;
            struct tui_reading *t = &sc->last;
            memset(t, 0, sizeof *t);
            t->seq = ++sl->seq;
            t->overload = r.status == READING_STATUS_OVERLOAD;
            t->stable = r.stable;
            t->net = r.net;
            text_copy(t->text, sizeof t->text, r.text);
            text_copy(t->unit, sizeof t->unit, r.unit);
            t->has_value = r.has_value && reading_ug(&r, &t->ug) == 0;
            t->raw_len = r.raw_len < sizeof t->raw ? r.raw_len : sizeof t->raw;
            memcpy(t->raw, r.raw, t->raw_len);
            if (n < max)
                out[n++] = (struct tui_event){.kind = EV_READING, .which = i};
        }
        if (rc == SC_ERR_GONE) {
            scale_gone(be, ses, i, _("the scale's link is gone (cable or simulator)"));
        } else if (now - sl->last_heard > NO_ANSWER_MS) {
            scale_gone(be, ses, i, _("no answer from the scale"));
        } else if (!sl->streaming && now >= sl->next_request) {
            rc = link_request(sl->link, DRIVER_REQ_IMMEDIATE);
            if (rc == SC_ERR_UNSUPPORTED)
                sl->streaming = 1;
            else if (rc == SC_ERR_GONE)
                scale_gone(be, ses, i, _("the scale's link is gone (cable or simulator)"));
            sl->next_request = now + REQUEST_MS;
        }
        if (was_online && !sc->online && n < max)
            out[n++] = (struct tui_event){.kind = EV_DEVICE, .which = i};
    }
    return n;
}
