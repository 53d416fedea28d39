/* Effects of the calibration screens (校准): core/cg18.h run on the
 * instrument picked (session.verify.in), each reading stored with the
 * engine's state, the results committed with their uncertainty and the
 * calibration certificate written (db/nawical.h, report/calcert.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/day.h"
#include "core/decimal.h"
#include "core/error.h"
#include "report/calcert.h"
#include "tui/fx_area.h"
#include "tui/i18n.h"
#include "tui/text.h"

static void refresh(struct fx_cal *fc, struct session *ses)
{
    struct cal_data *c = &ses->cal;
    c->has_step = cg18_current(fc->engine, &c->step) == 1;
    c->done = cg18_done(fc->engine);
    c->total = cg18_total(fc->engine);
    c->has_last = 0;
    if (c->done > 0) {
        struct cg18_step st;
        struct cg18_reading r;
        if (cg18_step_get(fc->engine, c->done - 1, &st) == 0 &&
            cg18_reading_get(fc->engine, c->done - 1, &r) == 0) {
            c->has_last = 1;
            c->last_load_ug = st.load_ug;
            c->last_indication_ug = r.indication_ug;
        }
    }
    c->has_results = cg18_results(fc->engine, &c->results) == 0;
}

static int save(struct fx_cal *fc, struct db *db, struct session *ses)
{
    int need = cg18_save(fc->engine, NULL, 0);
    char *text = need >= 0 ? malloc((size_t)need + 1) : NULL;
    if (text == NULL)
        return SC_ERR_NOMEM;
    cg18_save(fc->engine, text, (size_t)need + 1);
    int rc = nawical_save_draft(db, &fc->rec, text);
    free(text);
    if (rc < 0)
        session_message(ses, 1, "%s: %s", _("Not saved"), sc_error_message());
    return rc;
}

/* A new calibration from the form, or the officer's unfinished one of this
 * instrument resumed. */
int fx_cal_start(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    struct fx_cal *fc = &fx->cal;
    struct cal_data *c = &ses->cal;
    day_t today;
    day_parse(ses->today, &today);
    cg18_free(fc->engine);
    fc->engine = NULL;
    char *state = NULL;
    int rc;
    if (nawical_find_draft(fx->db, ses->badge, ses->verify.in.code, &fc->rec, &state) == 0) {
        rc = cg18_load(state, today, &fc->engine);
        free(state);
        if (rc < 0) {
            session_message(ses, 1, "%s: %s", _("Cannot resume"), i18n_start_refusal(rc, 1));
            return rc;
        }
    } else {
        struct cg18_config cfg;
        if ((rc = nawical_config(fx->db, ses->verify.in.code, eff->start.weight_set, eff->start.display_ug,
                                 today, &cfg)) < 0) {
            session_message(ses, 1, "%s", sc_error_message()); /* db/: translated */
            return rc;
        }
        if ((rc = cg18_new(&cfg, &fc->engine)) < 0) {
            session_message(ses, 1, "%s", i18n_start_refusal(rc, 0));
            return rc;
        }
        memset(&fc->rec, 0, sizeof fc->rec);
        text_copy(fc->rec.instrument, sizeof fc->rec.instrument, ses->verify.in.code);
        text_copy(fc->rec.weight_set, sizeof fc->rec.weight_set, eff->start.weight_set);
        text_copy(fc->rec.officer, sizeof fc->rec.officer, ses->badge);
        decimal_format(eff->start.temperature, fc->rec.temperature, sizeof fc->rec.temperature);
        decimal_format(eff->start.humidity, fc->rec.humidity, sizeof fc->rec.humidity);
        if ((rc = save(fc, fx->db, ses)) < 0) {
            cg18_free(fc->engine);
            fc->engine = NULL;
            return rc;
        }
    }
    memset(c, 0, sizeof *c);
    c->running = 1;
    text_copy(c->id, sizeof c->id, fc->rec.id);
    text_copy(c->weight_set, sizeof c->weight_set, fc->rec.weight_set);
    text_copy(c->temperature, sizeof c->temperature, fc->rec.temperature);
    text_copy(c->humidity, sizeof c->humidity, fc->rec.humidity);
    refresh(fc, ses);
    session_message(ses, 0, "%s (%d/%d)", _("Calibration started"), c->done, c->total);
    return 0;
}

int fx_cal_feed(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    struct fx_cal *fc = &fx->cal;
    if (fc->engine == NULL)
        return SC_ERR_ARG;
    struct cg18_reading r = {.indication_ug = eff->feed.indication_ug, .digit_ug = eff->feed.digit_ug,
                             .stable = 1};
    int rc = cg18_feed(fc->engine, &r);
    if (rc < 0) {
        session_message(ses, 1, "%s", i18n_feed_refusal(rc));
        return rc;
    }
    if ((rc = save(fc, fx->db, ses)) < 0) {
        /* Not stored: back to what is stored. */
        char *state = NULL;
        day_t today;
        day_parse(ses->today, &today);
        if (nawical_find_draft(fx->db, ses->badge, ses->verify.in.code, &fc->rec, &state) == 0) {
            struct cg18 *e = NULL;
            if (cg18_load(state, today, &e) == 0) {
                cg18_free(fc->engine);
                fc->engine = e;
            }
            free(state);
        }
        refresh(fc, ses);
        return rc;
    }
    refresh(fc, ses);
    session_message(ses, 0, "%s %d/%d", _("Reading taken"), ses->cal.done, ses->cal.total);
    return 0;
}

int fx_cal_commit(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    struct fx_cal *fc = &fx->cal;
    struct cal_data *c = &ses->cal;
    if (fc->engine == NULL)
        return SC_ERR_ARG;
    int rc = nawical_finish(fx->db, &fc->rec, fc->engine);
    if (rc < 0) {
        session_message(ses, 1, "%s: %s", _("Not saved"), sc_error_message());
        return rc;
    }
    c->committed = 1;
    c->running = 0;
    text_copy(c->certificate_no, sizeof c->certificate_no, fc->rec.certificate_no);
    char dir[200];
    c->certificate_path[0] = '\0';
    if ((rc = fx_cert_dir(fx->opt.db_path, dir, sizeof dir)) == 0) {
        snprintf(c->certificate_path, sizeof c->certificate_path, "%s/%s.pdf", dir, fc->rec.certificate_no);
        rc = calcert_pdf(fx->db, fc->rec.id, c->certificate_path);
    }
    if (rc < 0) {
        session_message(ses, 1, "%s: %s (stallcheck calibrate certificate %s)", _("Saved, but no PDF"),
                        sc_error_message(), fc->rec.certificate_no);
        c->certificate_path[0] = '\0';
    } else {
        /* Its number is on the screen's "Saved:" row. */
        session_message(ses, 0, "%s", _("Calibration certificate issued"));
    }
    cg18_free(fc->engine);
    fc->engine = NULL;
    return 0;
}

int fx_cal_end(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    struct fx_cal *fc = &fx->cal;
    int rc = fc->rec.id[0] ? nawical_end(fx->db, &fc->rec, eff->reason) : 0;
    if (rc < 0) {
        session_message(ses, 1, "%s", sc_error_message());
        return rc;
    }
    cg18_free(fc->engine);
    fc->engine = NULL;
    memset(&fc->rec, 0, sizeof fc->rec);
    memset(&ses->cal, 0, sizeof ses->cal);
    session_message(ses, 0, "%s", _("Calibration ended without results"));
    return 0;
}
