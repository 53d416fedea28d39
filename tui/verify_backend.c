#include "tui/verify_backend.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/day.h"
#include "core/decimal.h"
#include "core/error.h"
#include "core/mass.h"
#include "core/procedure.h"
#include "db/calibration.h"
#include "db/registry.h"
#include "report/certificate.h"
#include "tui/i18n.h"
#include "tui/text.h"

struct verify_backend {
    struct proc *proc;
    struct calibration cal;
};

void verify_backend_free(struct verify_backend *vb)
{
    if (vb == NULL)
        return;
    proc_free(vb->proc);
    free(vb);
}

int verify_cert_dir(const char *db_path, char *buf, size_t size)
{
    const char *env = getenv("STALLCHECK_CERT_DIR");
    if (env != NULL && *env) {
        snprintf(buf, size, "%s", env);
    } else {
        const char *slash = db_path != NULL ? strrchr(db_path, '/') : NULL;
        if (slash == NULL)
            snprintf(buf, size, "certificates");
        else
            snprintf(buf, size, "%.*s/certificates", (int)(slash - db_path), db_path);
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return sc_error_set(SC_ERR_IO, "%s: %s", buf, strerror(errno));
    return 0;
}

/* ---- the list ---- */

struct list_ctx {
    struct session *ses;
    struct verify_instrument_row *rows;
    size_t n, cap;
    int err;
};

static int add_instrument(const struct instrument *in, void *arg)
{
    struct list_ctx *c = arg;
    /* Weighing instruments only: meters are verified elsewhere. */
    if (!in->active || strcmp(in->kind, "meter") == 0 || in->cls[0] == '\0')
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 256;
        struct verify_instrument_row *nr = realloc(c->rows, cap * sizeof *nr);
        if (nr == NULL) {
            c->err = SC_ERR_NOMEM;
            return 1;
        }
        c->rows = nr;
        c->cap = cap;
    }
    struct verify_instrument_row *r = &c->rows[c->n++];
    memset(r, 0, sizeof *r);
    text_copy(r->code, sizeof r->code, in->code);
    text_copy(r->market, sizeof r->market, in->market);
    text_copy(r->stall, sizeof r->stall, in->stall);
    text_copy(r->serial, sizeof r->serial, in->serial);
    text_copy(r->mark_no, sizeof r->mark_no, in->mark_no);
    text_copy(r->kind, sizeof r->kind, in->kind);
    text_copy(r->cls, sizeof r->cls, in->cls);
    text_copy(r->due, sizeof r->due, in->due);
    /* Dates are "YYYY-MM-DD": text order is date order. */
    r->overdue = in->due[0] == '\0' || strcmp(in->due, c->ses->today) < 0;
    return 0;
}

static int add_set(const struct weight_set *ws, void *arg)
{
    struct session *ses = arg;
    struct verify_data *v = &ses->verify;
    if (v->n_sets >= VERIFY_MAX_SETS)
        return 1;
    struct verify_set_row *r = &v->sets[v->n_sets++];
    memset(r, 0, sizeof *r);
    text_copy(r->code, sizeof r->code, ws->code);
    text_copy(r->cls, sizeof r->cls, ws->cls);
    text_copy(r->due, sizeof r->due, ws->calibration_due);
    r->expired = ws->calibration_due[0] == '\0' || strcmp(ws->calibration_due, ses->today) < 0;
    return 0;
}

/* The most urgent first: never verified, then by due date. */
static int by_due(const void *a, const void *b)
{
    const struct verify_instrument_row *x = a, *y = b;
    if ((x->due[0] == '\0') != (y->due[0] == '\0'))
        return x->due[0] == '\0' ? -1 : 1;
    int d = strcmp(x->due, y->due);
    return d != 0 ? d : strcmp(x->code, y->code);
}

static int load_list(struct db *db, struct session *ses)
{
    struct verify_data *v = &ses->verify;
    v->n_instruments = 0;
    v->n_sets = 0;
    /* Every weighing instrument, the most urgent first; the screen keeps
     * the first VERIFY_MAX_INSTRUMENTS (any other is reached by its code,
     * serial or mark number). */
    struct list_ctx c = {ses, NULL, 0, 0, 0};
    int rc = registry_instruments_by_market(db, NULL, NULL, add_instrument, &c);
    if (rc < 0 || c.err < 0) {
        free(c.rows);
        return rc < 0 ? rc : c.err;
    }
    qsort(c.rows, c.n, sizeof c.rows[0], by_due);
    for (size_t i = 0; i < c.n && v->n_instruments < VERIFY_MAX_INSTRUMENTS; i++)
        v->instruments[v->n_instruments++] = c.rows[i];
    free(c.rows);
    for (int i = 0; i < v->n_instruments; i++) {
        struct calibration cal;
        char *state = NULL;
        if (calibration_find_draft(db, ses->badge, v->instruments[i].code, &cal, &state) == 0)
            v->instruments[i].draft = 1;
        free(state);
    }
    return registry_list_weight_sets(db, NULL, add_set, ses);
}

/* ---- the procedure's view in the session ---- */

static void refresh(struct verify_backend *vb, struct session *ses)
{
    struct verify_data *v = &ses->verify;
    v->has_step = proc_current(vb->proc, &v->step) == 1;
    proc_verdict_get(vb->proc, &v->verdict);
    int done = proc_done(vb->proc);
    v->has_result = done > 0 && proc_result_get(vb->proc, done - 1, &v->last) == 0;
    if (v->has_result) {
        struct proc_step st;
        if (proc_step_get(vb->proc, done - 1, &st) == 0)
            v->last_load_ug = st.load_ug;
    }
    const struct proc_config *cfg = proc_config_get(vb->proc);
    v->display_ug = cfg->resolution_ug > 0 ? cfg->resolution_ug : v->d_ug;
    v->direct = cfg->resolution_ug > 0 && cfg->resolution_ug * 5 <= v->e_ug;
}

static int save(struct verify_backend *vb, struct db *db, struct session *ses)
{
    int need = proc_save(vb->proc, NULL, 0);
    if (need < 0)
        return need;
    char *text = malloc((size_t)need + 1);
    if (text == NULL)
        return SC_ERR_NOMEM;
    proc_save(vb->proc, text, (size_t)need + 1);
    int rc = calibration_save_draft(db, &vb->cal, text);
    free(text);
    if (rc < 0)
        session_message(ses, 1, "%s: %s", _("Not saved"), sc_error_message());
    return rc;
}

static void plate(const struct instrument *in, struct verify_data *v)
{
    char max[32], min[32], e[32];
    mass_format(in->max_ug, MASS_G, max, sizeof max);
    mass_format(in->min_ug, MASS_G, min, sizeof min);
    mass_format(in->e_ug, MASS_G, e, sizeof e);
    snprintf(v->plate, sizeof v->plate, "%s  Max %s g  Min %s g  e = %s g", in->cls, max, min, e);
    v->e_ug = in->e_ug;
    v->d_ug = in->d_ug > 0 ? in->d_ug : in->e_ug;
}

struct find_ctx {
    const char *text;
    char code[VERIFY_CODE];
};

static int match_serial(const struct instrument *in, void *arg)
{
    struct find_ctx *f = arg;
    if ((in->serial[0] && strcmp(in->serial, f->text) == 0) ||
        (in->mark_no[0] && strcmp(in->mark_no, f->text) == 0)) {
        text_copy(f->code, sizeof f->code, in->code);
        return 1;
    }
    return 0;
}

/* By code, else by serial or verification-mark number (a scanned plate). */
static int find(struct db *db, const char *text, struct instrument *in)
{
    if (registry_find_instrument(db, text, in) == 0)
        return 0;
    struct find_ctx f = {text, ""};
    registry_instruments_by_market(db, NULL, NULL, match_serial, &f);
    if (f.code[0] == '\0')
        return SC_ERR_NOTFOUND;
    return registry_find_instrument(db, f.code, in);
}

static int load_instrument(struct backend *be, struct verify_backend *vb, struct db *db,
                           struct session *ses, const char *text)
{
    struct verify_data *v = &ses->verify;
    struct instrument in;
    if (find(db, text, &in) < 0) {
        session_message(ses, 1, "%s: %s", _("No such instrument"), text);
        return SC_ERR_NOTFOUND;
    }
    if (in.cls[0] == '\0' || strcmp(in.kind, "meter") == 0) {
        session_message(ses, 1, "%s: %s", in.code, _("not a weighing instrument"));
        return SC_ERR_UNSUPPORTED;
    }
    proc_free(vb->proc);
    vb->proc = NULL;
    memset(&vb->cal, 0, sizeof vb->cal);
    v->loaded = 1;
    v->running = 0;
    v->committed = 0;
    v->has_result = 0;
    memset(&v->in, 0, sizeof v->in);
    text_copy(v->in.code, sizeof v->in.code, in.code);
    text_copy(v->in.market, sizeof v->in.market, in.market);
    text_copy(v->in.stall, sizeof v->in.stall, in.stall);
    text_copy(v->in.serial, sizeof v->in.serial, in.serial);
    text_copy(v->in.cls, sizeof v->in.cls, in.cls);
    text_copy(v->in.due, sizeof v->in.due, in.due);
    plate(&in, v);
    /* The scale on its cable, when the registry knows it and no scale was
     * given on the command line. */
    if (in.conn[0] != '\0')
        backend_use_scale(be, ses, SCALE_STALL, in.conn);
    /* An unfinished verification of it by this officer resumes. */
    char *state = NULL;
    if (calibration_find_draft(db, ses->badge, in.code, &vb->cal, &state) == 0) {
        day_t today;
        day_parse(ses->today, &today);
        int rc = proc_load(state, today, &vb->proc);
        free(state);
        if (rc < 0) {
            session_message(ses, 1, "%s: %s", _("Cannot resume"), sc_error_message());
            memset(&vb->cal, 0, sizeof vb->cal);
            vb->proc = NULL;
            return 0; /* set up anew */
        }
        v->running = 1;
        text_copy(v->id, sizeof v->id, vb->cal.id);
        text_copy(v->weight_set, sizeof v->weight_set, vb->cal.weight_set);
        text_copy(v->temperature, sizeof v->temperature, vb->cal.temperature);
        refresh(vb, ses);
        session_message(ses, 0, "%s (%d/%d)", _("Unfinished verification resumed"), v->verdict.done,
                v->verdict.total);
    }
    return 0;
}

/* ---- starting ---- */

static int start(struct verify_backend *vb, struct db *db, struct session *ses,
                 const char *set_code, const char *both)
{
    struct verify_data *v = &ses->verify;
    char temp[16] = "", display[16] = "";
    const char *semi = strchr(both, ';');
    snprintf(temp, sizeof temp, "%.*s", semi ? (int)(semi - both) : (int)strlen(both), both);
    if (semi)
        snprintf(display, sizeof display, "%s", semi + 1);
    struct decimal t;
    if (decimal_parse(temp, &t, NULL) < 0) {
        session_message(ses, 1, "%s: '%s'", _("Temperature: not a number"), temp);
        return SC_ERR_PARSE;
    }
    struct weight_set ws;
    if (registry_find_weight_set(db, set_code, &ws) < 0) {
        session_message(ses, 1, "%s: %s", _("No such weight set"), set_code);
        return SC_ERR_NOTFOUND;
    }
    day_t today, until;
    day_parse(ses->today, &today);
    /* 计量法 Art. 9: a standard out of its calibration is refused. */
    if (ws.calibration_due[0] == '\0' || day_parse(ws.calibration_due, &until) < 0) {
        session_message(ses, 1, "%s %s: %s", _("Weight set"), ws.code, _("no calibration date on record"));
        return SC_ERR_EXPIRED;
    }
    if (until < today) {
        session_message(ses, 1, "%s %s: %s %s", _("Weight set"), ws.code,
                _("calibration expired on"), ws.calibration_due);
        return SC_ERR_EXPIRED;
    }
    struct instrument in;
    if (registry_find_instrument(db, v->in.code, &in) < 0)
        return SC_ERR_NOTFOUND;
    struct proc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    enum r76_class cls;
    if (r76_class_parse(in.cls, &cls) < 0) {
        session_message(ses, 1, "%s: %s", in.code, sc_error_message());
        return SC_ERR_PARSE;
    }
    r76_instrument_single(&cfg.instrument, cls, in.max_ug, in.min_ug, in.e_ug, in.d_ug);
    cfg.stage = R76_VERIFICATION;
    cfg.segments = 4;
    cfg.today = today;
    if (display[0] != '\0' && mass_parse(display, MASS_G, &cfg.resolution_ug) < 0) {
        session_message(ses, 1, "%s: '%s'", _("Test-mode interval: not a mass"), display);
        return SC_ERR_PARSE;
    }
    int rc = reference_init(&cfg.reference, REFERENCE_WEIGHTS, ws.code, until, 0);
    if (rc < 0) {
        session_message(ses, 1, "%s", sc_error_message());
        return rc;
    }
    for (size_t i = 0; i < ws.nitems; i++)
        for (int k = 0; k < ws.items[i].count && cfg.n_weights < PROC_MAX_WEIGHTS; k++)
            cfg.weights_ug[cfg.n_weights++] = ws.items[i].nominal_ug;
    struct proc *p;
    if ((rc = proc_new(&cfg, &p)) < 0) {
        session_message(ses, 1, "%s", sc_error_message());
        return rc;
    }
    proc_free(vb->proc);
    vb->proc = p;
    memset(&vb->cal, 0, sizeof vb->cal);
    text_copy(vb->cal.instrument, sizeof vb->cal.instrument, in.code);
    text_copy(vb->cal.weight_set, sizeof vb->cal.weight_set, ws.code);
    text_copy(vb->cal.officer, sizeof vb->cal.officer, ses->badge);
    text_copy(vb->cal.temperature, sizeof vb->cal.temperature, temp);
    if ((rc = save(vb, db, ses)) < 0) {
        proc_free(vb->proc);
        vb->proc = NULL;
        return rc;
    }
    v->running = 1;
    v->committed = 0;
    text_copy(v->id, sizeof v->id, vb->cal.id);
    text_copy(v->weight_set, sizeof v->weight_set, ws.code);
    text_copy(v->temperature, sizeof v->temperature, temp);
    refresh(vb, ses);
    session_message(ses, 0, "%s: %d %s", _("Verification started"), v->verdict.total, _("steps"));
    return 0;
}

/* ---- readings ---- */

static int feed(struct verify_backend *vb, struct db *db, struct session *ses, const char *ind,
                const char *added)
{
    if (vb->proc == NULL)
        return SC_ERR_ARG;
    struct proc_reading r = {.stable = 1};
    r.indication_ug = strtoll(ind, NULL, 10);
    r.added_ug = strcmp(added, "direct") == 0 ? PROC_DIRECT : strtoll(added, NULL, 10);
    struct proc_result res;
    int rc = proc_feed(vb->proc, &r, &res);
    if (rc < 0) {
        session_message(ses, 1, "%s", sc_error_message());
        return rc;
    }
    /* The state and the reading behind it, in one transaction. */
    struct verify_data *v = &ses->verify;
    struct measurement m;
    memset(&m, 0, sizeof m);
    text_copy(m.instrument, sizeof m.instrument, v->in.code);
    text_copy(m.driver, sizeof m.driver, v->has_capture ? v->cap_driver : "");
    if (v->has_capture && v->cap_text[0]) {
        text_copy(m.value, sizeof m.value, v->cap_text);
        text_copy(m.unit, sizeof m.unit, v->cap_unit);
    } else {
        char g[32];
        mass_format(r.indication_ug, MASS_G, g, sizeof g);
        text_copy(m.value, sizeof m.value, g);
        text_copy(m.unit, sizeof m.unit, "g");
    }
    m.raw = v->has_capture ? v->cap_raw : NULL;
    m.raw_len = v->has_capture ? v->cap_raw_len : 0;
    m.has_value_ug = 1;
    m.value_ug = r.indication_ug;
    m.stable = 1;
    v->has_capture = 0;
    int need = proc_save(vb->proc, NULL, 0);
    char *state = need >= 0 ? malloc((size_t)need + 1) : NULL;
    if (state == NULL)
        return SC_ERR_NOMEM;
    proc_save(vb->proc, state, (size_t)need + 1);
    rc = calibration_record_reading(db, &vb->cal, state, &m);
    free(state);
    if (rc < 0) {
        /* Not stored: the engine steps back by reloading what is stored. */
        session_message(ses, 1, "%s: %s", _("Not saved"), sc_error_message());
        struct calibration cal;
        char *st = NULL;
        day_t today;
        day_parse(ses->today, &today);
        if (calibration_find_draft(db, ses->badge, v->in.code, &cal, &st) == 0) {
            struct proc *p = NULL;
            if (proc_load(st, today, &p) == 0) {
                proc_free(vb->proc);
                vb->proc = p;
            }
            free(st);
        }
        refresh(vb, ses);
        return rc;
    }
    refresh(vb, ses);
    session_message(ses, !res.pass, "%s", res.reason);
    return 0;
}

/* ---- committing ---- */

static const char *position_of(const struct proc_step *st, char *buf, size_t size)
{
    if (st->segment > 0)
        snprintf(buf, size, "segment %d", st->segment);
    else if (st->series > 0)
        snprintf(buf, size, "series %d", st->series);
    else if (st->unloading)
        snprintf(buf, size, "unloading");
    else if (st->test == PROC_TARE && st->k == 1) {
        char g[32];
        mass_format(st->tare_ug, MASS_G, g, sizeof g);
        snprintf(buf, size, "tare %.14s g", g);
    }
    else if (st->test == PROC_TARE)
        snprintf(buf, size, "net");
    else if (st->after_extra)
        snprintf(buf, size, "+1.4 d");
    else
        buf[0] = '\0';
    return buf;
}

static int commit(struct backend *be, struct verify_backend *vb, struct db *db,
                  struct session *ses)
{
    struct verify_data *v = &ses->verify;
    if (vb->proc == NULL)
        return SC_ERR_ARG;
    struct proc_verdict verdict;
    proc_verdict_get(vb->proc, &verdict);
    if (verdict.outcome == PROC_INCOMPLETE) {
        session_message(ses, 1, "%s", _("Steps remain and none failed: the verification goes on"));
        return SC_ERR_ARG;
    }
    int n = proc_done(vb->proc);
    struct calibration_step *steps = calloc((size_t)(n > 0 ? n : 1), sizeof *steps);
    if (steps == NULL)
        return SC_ERR_NOMEM;
    for (int i = 0; i < n; i++) {
        struct proc_result r;
        struct proc_step st;
        proc_result_get(vb->proc, i, &r);
        proc_step_get(vb->proc, i, &st);
        struct calibration_step *s = &steps[i];
        s->seq = i;
        snprintf(s->test, sizeof s->test, "%s", proc_test_name(r.test));
        position_of(&st, s->position, sizeof s->position);
        s->load_ug = st.load_ug;
        s->has_indication = 1;
        s->indication_ug = r.indication_ug;
        s->added_ug = r.added_ug;
        s->error_ug = r.corrected_ug;
        s->mpe_ug = r.limit_ug;
        s->judged = r.judged;
        s->pass = r.pass;
    }
    int pass = verdict.outcome == PROC_PASS;
    snprintf(vb->cal.verdict, sizeof vb->cal.verdict, "%s", pass ? "pass" : "fail");
    text_copy(vb->cal.note, sizeof vb->cal.note, verdict.reason);
    db_now(vb->cal.ended_at, sizeof vb->cal.ended_at);
    certificate_number(vb->cal.ended_at, vb->cal.id, pass, vb->cal.certificate_no,
                       sizeof vb->cal.certificate_no);
    int need = proc_save(vb->proc, NULL, 0);
    char *state = need >= 0 ? malloc((size_t)need + 1) : NULL;
    if (state != NULL)
        proc_save(vb->proc, state, (size_t)need + 1);
    int rc = calibration_commit(db, &vb->cal, steps, (size_t)n, state != NULL ? state : "");
    free(state);
    free(steps);
    if (rc < 0) {
        vb->cal.ended_at[0] = '\0';
        session_message(ses, 1, "%s: %s", _("Not saved"), sc_error_message());
        return rc;
    }
    v->committed = 1;
    v->running = 0;
    text_copy(v->certificate_no, sizeof v->certificate_no, vb->cal.certificate_no);
    text_copy(v->next_due, sizeof v->next_due, vb->cal.next_due);
    char dir[200];
    v->certificate_path[0] = '\0';
    if ((rc = verify_cert_dir(backend_db_path(be), dir, sizeof dir)) == 0) {
        snprintf(v->certificate_path, sizeof v->certificate_path, "%s/%s.pdf", dir,
                 vb->cal.certificate_no);
        rc = certificate_pdf(db, vb->cal.id, v->certificate_path);
    }
    if (rc < 0) {
        /* The results are saved; the paper can be reprinted from the CLI. */
        session_message(ses, 1, "%s: %s (stallcheck certificate %s)", _("Saved, but no PDF"),
                sc_error_message(), vb->cal.id);
        v->certificate_path[0] = '\0';
    } else {
        session_message(ses, 0, "%s %s", pass ? _("Certificate issued") : _("Notice of failure issued"),
                vb->cal.certificate_no);
    }
    proc_free(vb->proc);
    vb->proc = NULL;
    return 0;
}

int verify_perform(struct backend *be, struct verify_backend **vbp, struct db *db,
                   struct session *ses, const struct tui_effect *eff)
{
    if (*vbp == NULL && (*vbp = calloc(1, sizeof **vbp)) == NULL)
        return SC_ERR_NOMEM;
    struct verify_backend *vb = *vbp;
    switch (eff->kind) {
    case EFF_VERIFY_LIST:
        return load_list(db, ses);
    case EFF_VERIFY_LOAD:
        return load_instrument(be, vb, db, ses, eff->text);
    case EFF_VERIFY_START:
        return start(vb, db, ses, eff->text, eff->text2);
    case EFF_VERIFY_FEED:
        return feed(vb, db, ses, eff->text, eff->text2);
    case EFF_VERIFY_COMMIT:
        return commit(be, vb, db, ses);
    case EFF_VERIFY_DISCARD: {
        int rc = vb->cal.id[0] ? calibration_discard(db, vb->cal.id) : 0;
        if (rc < 0) {
            session_message(ses, 1, "%s", sc_error_message());
            return rc;
        }
        proc_free(vb->proc);
        vb->proc = NULL;
        memset(&vb->cal, 0, sizeof vb->cal);
        ses->verify.running = 0;
        session_message(ses, 0, "%s", _("Verification dropped"));
        return 0;
    }
    default:
        return SC_ERR_ARG;
    }
}
