/* Effects of the procedure in progress: each reading fed to
 * core/procedure.h and stored with the engine's state (one transaction),
 * and the verdict committed with its steps and the certificate. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/day.h"
#include "core/error.h"
#include "core/mass.h"
#include "report/certificate.h"
#include "tui/fx_area.h"
#include "tui/i18n.h"
#include "tui/text.h"

/* ---- the procedure's view in the session ---- */

void fx_verify_refresh(struct fx_verify *vb, struct session *ses)
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

int fx_verify_save(struct fx_verify *vb, struct db *db, struct session *ses)
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

/* ---- readings ---- */

int fx_verify_feed(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    struct fx_verify *vb = &fx->verify;
    struct db *db = fx->db;
    if (vb->proc == NULL)
        return SC_ERR_ARG;
    struct proc_reading r = {.stable = 1};
    r.indication_ug = eff->feed.indication_ug;
    r.added_ug = eff->feed.direct ? PROC_DIRECT : eff->feed.added_ug;
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
        fx_verify_refresh(vb, ses);
        return rc;
    }
    fx_verify_refresh(vb, ses);
    session_message(ses, !res.pass, "%s", res.reason);
    return 0;
}

/* Where certificates go: $STALLCHECK_CERT_DIR, else a "certificates"
 * directory beside the database (made 0700 when missing). */
static int cert_dir(const char *db_path, char *buf, size_t size)
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

int fx_verify_commit(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    struct fx_verify *vb = &fx->verify;
    struct db *db = fx->db;
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
    if ((rc = cert_dir(fx->opt.db_path, dir, sizeof dir)) == 0) {
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

