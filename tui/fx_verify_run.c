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
    v->has_failed = v->verdict.first_failure >= 0 &&
                    proc_result_get(vb->proc, v->verdict.first_failure, &v->failed) == 0 &&
                    proc_step_get(vb->proc, v->verdict.first_failure, &v->failed_step) == 0;
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

/* Not stored: the engine steps back by reloading what is stored. */
static void fx_verify_reload(struct fx_verify *vb, struct db *db, struct session *ses)
{
    struct calibration cal;
    char *st = NULL;
    day_t today;
    day_parse(ses->today, &today);
    if (calibration_find_draft(db, ses->badge, ses->verify.in.code, &cal, &st) == 0) {
        struct proc *p = NULL;
        if (proc_load(st, today, &p) == 0) {
            proc_free(vb->proc);
            vb->proc = p;
        }
        free(st);
    }
    fx_verify_refresh(vb, ses);
}

/* ---- readings ---- */

/* The step's result on the status line, in the screen's language. */
static void say_result(struct session *ses, const struct proc_result *res)
{
    char words[160];
    verify_result_words(res, words, sizeof words);
    session_message(ses, res->judged && !res->pass, "%s %d: %s", _("Step"), res->index + 1, words);
}

/* A reading or an answer the procedure refused, in the screen's words:
 * the answer steps' own refusals by the step; a reading's small weights or
 * digits by what the run declared (the checks of core/errpoint.c and
 * core/procedure.c, R76-1 A.4.4.3, 3.5.3.2); the rest by its code. */
static void feed_refusal(const struct verify_data *v, const struct proc_reading *r, int rc,
                         char *buf, size_t size)
{
    const struct proc_step *st = &v->step;
    char step[48];
    verify_mass(st->test == PROC_DISCRIMINATION ? v->d_ug : v->display_ug, step, sizeof step);
    if (rc == SC_ERR_ARG && st->answer_step) {
        snprintf(buf, size, "%s",
                 st->test == PROC_PRELOAD ? _("Pre-load the scale to Max once and take it off, then 1")
                 : st->needs_text         ? _("Type what the display shows (5), then 1")
                                          : _("The note cannot be kept (a control character, or a "
                                              "space at either end): type it again"));
    } else if (rc == SC_ERR_ARG && r->added_ug != PROC_DIRECT &&
               (r->added_ug < 0 || r->added_ug > v->display_ug)) {
        snprintf(buf, size,
                 _("The small weights added must be between 0 and one interval (%s): had the "
                   "indication not stepped up by then, capture again"),
                 step);
    } else if (rc == SC_ERR_ARG && r->digit_ug >
                                       (st->test == PROC_DISCRIMINATION ? v->d_ug : v->display_ug)) {
        snprintf(buf, size,
                 _("The reading is coarser than the %s interval declared: put the scale in its "
                   "test mode, or set up without a test-mode interval"),
                 step);
    } else {
        snprintf(buf, size, "%s", i18n_feed_refusal(rc));
    }
}

int fx_verify_feed(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    struct fx_verify *vb = &fx->verify;
    struct db *db = fx->db;
    if (vb->proc == NULL)
        return SC_ERR_ARG;
    struct proc_reading r = {.stable = 1};
    r.indication_ug = eff->feed.indication_ug;
    r.added_ug = eff->feed.direct ? PROC_DIRECT : eff->feed.added_ug;
    r.digit_ug = eff->feed.digit_ug;
    r.answer = eff->feed.answer;
    r.amount_fen = eff->feed.amount_fen;
    text_copy(r.text, sizeof r.text, eff->feed.text);
    struct proc_result res;
    int rc = proc_feed(vb->proc, &r, &res);
    if (rc < 0) {
        char why[320];
        feed_refusal(&ses->verify, &r, rc, why, sizeof why);
        session_message(ses, 1, "%s", why);
        return rc;
    }
    struct verify_data *v = &ses->verify;
    if (r.answer != 0) {
        /* An answer has no reading behind it: the state alone. */
        if ((rc = fx_verify_save(vb, db, ses)) < 0) {
            fx_verify_reload(vb, db, ses);
            return rc;
        }
        fx_verify_refresh(vb, ses);
        say_result(ses, &res);
        return 0;
    }
    /* The state and the reading behind it, in one transaction. */
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
        session_message(ses, 1, "%s: %s", _("Not saved"), sc_error_message());
        fx_verify_reload(vb, db, ses);
        return rc;
    }
    fx_verify_refresh(vb, ses);
    say_result(ses, &res);
    return 0;
}

/* ---- committing ---- */

int fx_verify_commit(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    struct fx_verify *vb = &fx->verify;
    struct db *db = fx->db;
    struct verify_data *v = &ses->verify;
    if (vb->proc == NULL)
        return SC_ERR_ARG;
    text_copy(vb->cal.mark_no, sizeof vb->cal.mark_no, eff->commit.mark);
    text_copy(vb->cal.seal_no, sizeof vb->cal.seal_no, eff->commit.seal);
    /* The steps, the verdict, the dates, the mark and seal, the paper's
     * content: db/calibration.h, one transaction. */
    int rc = calibration_finish(db, &vb->cal, vb->proc);
    if (rc < 0) {
        session_message(ses, 1, "%s: %s", _("Not saved"), sc_error_message());
        return rc;
    }
    int pass = strcmp(vb->cal.verdict, "pass") == 0;
    v->committed = 1;
    v->running = 0;
    text_copy(v->certificate_no, sizeof v->certificate_no, vb->cal.certificate_no);
    text_copy(v->next_due, sizeof v->next_due, vb->cal.next_due);
    char dir[200];
    v->certificate_path[0] = '\0';
    if ((rc = fx_cert_dir(fx->opt.db_path, dir, sizeof dir)) == 0) {
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
        /* Its number is on the screen's "Saved:" row: the status line
         * only says which paper it is. */
        session_message(ses, 0, "%s", pass ? _("Certificate issued") : _("Notice of failure issued"));
    }
    proc_free(vb->proc);
    vb->proc = NULL;
    return 0;
}

/* Where certificates go: $STALLCHECK_CERT_DIR, else a "certificates"
 * directory beside the database (made 0700 when missing). */
int fx_cert_dir(const char *db_path, char *buf, size_t size)
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
