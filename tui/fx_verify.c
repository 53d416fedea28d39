/* Effects of the verification screens (metrology staff, 计量检定人员):
 * the instrument list, picking an instrument (resuming its unfinished
 * verification), starting core/procedure.h with the declared weight set,
 * and dropping a run.  Readings and the verdict: tui/fx_verify_run.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/day.h"
#include "core/decimal.h"
#include "core/due.h"
#include "core/error.h"
#include "core/mass.h"
#include "db/registry.h"
#include "tui/fx_area.h"
#include "tui/i18n.h"
#include "tui/text.h"

/* ---- the list ---- */

struct list_ctx {
    day_t today;
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
    r->overdue = due_overdue(in->due, c->today);
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

int fx_verify_list(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    struct db *db = fx->db;
    struct verify_data *v = &ses->verify;
    v->n_instruments = 0;
    v->n_sets = 0;
    /* Every weighing instrument, the most urgent first; the screen keeps
     * the first VERIFY_MAX_INSTRUMENTS (any other is reached by its code,
     * serial or mark number). */
    struct list_ctx c = {0, NULL, 0, 0, 0};
    day_parse(ses->today, &c.today);
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

int fx_verify_load(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    struct fx_verify *vb = &fx->verify;
    struct db *db = fx->db;
    const char *text = eff->instrument;
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
        scales_use(fx->scales, ses, SCALE_STALL, in.conn);
    /* The demo's simulated scale becomes this instrument (else its 15 kg
     * would stand for a 3 kg or a 30 kg scale). */
    if (fx->opt.sim_instrument != NULL && in.max_ug > 0 && in.e_ug > 0)
        fx->opt.sim_instrument(fx->opt.sim_arg, SCALE_STALL, in.max_ug, in.e_ug);
    /* An unfinished calibration (校准) of it by this officer waits too. */
    char *cstate = NULL;
    struct nawical nc;
    memset(&ses->cal, 0, sizeof ses->cal);
    ses->cal.draft_waits = nawical_find_draft(db, ses->badge, in.code, &nc, &cstate) == 0;
    free(cstate);
    /* An unfinished verification of it by this officer resumes. */
    char *state = NULL;
    if (calibration_find_draft(db, ses->badge, in.code, &vb->cal, &state) == 0) {
        day_t today;
        day_parse(ses->today, &today);
        int rc = proc_load(state, today, &vb->proc);
        free(state);
        if (rc < 0) {
            session_message(ses, 1, "%s: %s", _("Cannot resume"), i18n_start_refusal(rc, 1));
            memset(&vb->cal, 0, sizeof vb->cal);
            vb->proc = NULL;
            return 0; /* set up anew */
        }
        v->running = 1;
        text_copy(v->id, sizeof v->id, vb->cal.id);
        text_copy(v->weight_set, sizeof v->weight_set, vb->cal.weight_set);
        text_copy(v->temperature, sizeof v->temperature, vb->cal.temperature);
        text_copy(v->humidity, sizeof v->humidity, vb->cal.humidity);
        v->kind = proc_config_get(vb->proc)->kind;
        fx_verify_refresh(vb, ses);
        session_message(ses, 0, "%s (%d/%d)", _("Unfinished verification resumed"), v->verdict.done,
                v->verdict.total);
    }
    return 0;
}

/* ---- starting ---- */

int fx_verify_start(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    struct fx_verify *vb = &fx->verify;
    struct db *db = fx->db;
    struct verify_data *v = &ses->verify;
    char temp[24], humidity[24];
    decimal_format(eff->start.temperature, temp, sizeof temp);
    decimal_format(eff->start.humidity, humidity, sizeof humidity);
    day_t today;
    day_parse(ses->today, &today);
    /* The instrument as registered, the set (in date: 计量法 Art. 9), the
     * regulation by the day and the kind of scale: db/calibration.h. */
    struct proc_config cfg;
    int rc = calibration_config(db, v->in.code, eff->start.weight_set, (enum proc_kind)eff->start.kind,
                                today, &cfg);
    if (rc < 0) {
        session_message(ses, 1, "%s", sc_error_message());
        return rc;
    }
    cfg.segments = 4;
    cfg.resolution_ug = eff->start.display_ug;
    cfg.zero_tracking = eff->start.zero_tracking;
    struct proc *p;
    if ((rc = proc_new(&cfg, &p)) < 0) {
        session_message(ses, 1, "%s", i18n_start_refusal(rc, 0));
        return rc;
    }
    proc_free(vb->proc);
    vb->proc = p;
    memset(&vb->cal, 0, sizeof vb->cal);
    text_copy(vb->cal.instrument, sizeof vb->cal.instrument, v->in.code);
    text_copy(vb->cal.weight_set, sizeof vb->cal.weight_set, eff->start.weight_set);
    text_copy(vb->cal.officer, sizeof vb->cal.officer, ses->badge);
    text_copy(vb->cal.temperature, sizeof vb->cal.temperature, temp);
    text_copy(vb->cal.humidity, sizeof vb->cal.humidity, humidity);
    text_copy(vb->cal.kind, sizeof vb->cal.kind, proc_kind_name(cfg.kind));
    if ((rc = fx_verify_save(vb, db, ses)) < 0) {
        proc_free(vb->proc);
        vb->proc = NULL;
        return rc;
    }
    v->running = 1;
    v->committed = 0;
    v->kind = cfg.kind;
    text_copy(v->id, sizeof v->id, vb->cal.id);
    text_copy(v->weight_set, sizeof v->weight_set, eff->start.weight_set);
    text_copy(v->temperature, sizeof v->temperature, temp);
    text_copy(v->humidity, sizeof v->humidity, humidity);
    fx_verify_refresh(vb, ses);
    session_message(ses, 0, "%s: %d %s (%s)", _("Verification started"), v->verdict.total, _("steps"),
                    proc_regulation(p)->code);
    return 0;
}

/* A run with nothing recorded is deleted; one with a reading or an answer
 * ends as a record, abandoned with the reason (never deleted: it could be
 * run again until it passed); one whose readings fail the scale is a notice
 * of failure, not an ending (db/calibration.h refuses it). */
int fx_verify_discard(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    struct fx_verify *vb = &fx->verify;
    int recorded = vb->proc != NULL && proc_done(vb->proc) > 0;
    int rc = 0;
    if (vb->cal.id[0] != '\0')
        rc = recorded ? calibration_abandon(fx->db, &vb->cal, eff->reason)
                      : calibration_discard(fx->db, vb->cal.id);
    if (rc < 0) {
        session_message(ses, 1, "%s", sc_error_message());
        return rc;
    }
    proc_free(vb->proc);
    vb->proc = NULL;
    memset(&vb->cal, 0, sizeof vb->cal);
    ses->verify.running = 0;
    session_message(ses, 0, "%s", recorded ? _("Verification abandoned: the record is kept")
                                           : _("Verification dropped"));
    return 0;
}
