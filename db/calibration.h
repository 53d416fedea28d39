/* Calibrations: verification runs (检定) of a weighing instrument by
 * metrology staff, following core/procedure.h.
 *
 * While the procedure runs the calibration is a draft holding the engine's
 * saved state (proc_save text), written after every accepted reading, so a
 * verification interrupted (a flat battery, the operator called away)
 * resumes where it stopped.  calibration_commit writes the verdict, every
 * step, the instrument's new last-verified and due dates and the audit
 * entries in ONE transaction: after a power cut it is all there or none of
 * it is.  A committed calibration is never changed.
 *
 * Dates after a verification (JJG 539-2016 检定周期: "一般不超过1年", at most
 * one year): a pass sets last_verified to the day and due to one year later
 * less a day (verified 2025-09-10, due 2026-09-09, as the registry's
 * certificates read); a fail leaves last_verified and sets due to the day
 * itself, so the instrument shows as due until it is repaired and passes
 * (检定不合格的计量器具不得使用, 计量法 Art. 9).  The day is the legal date of
 * the commit in the bureau's time zone (db/zone.h), kept as verified_on.
 *
 * A run that has taken a reading or an answer never vanishes: it ends as a
 * committed record, with a verdict (a certificate or a notice of failure)
 * or abandoned with a reason (calibration_abandon), audited either way;
 * calibration_discard deletes only a draft with nothing recorded.
 *
 * What the papers must carry is recorded with the verdict: the kind of
 * verification, the regulation, humidity and place, the original record
 * number, the new verification mark and seal of a passed scale, and a
 * snapshot of the issuing body (the settings issuing_body*), the applicant and
 * the reference standard, so a reprint is the same paper.  The checker
 * (核验员) and the approver (批准人) sign afterwards (calibration_sign). */
#ifndef STALLCHECK_DB_CALIBRATION_H
#define STALLCHECK_DB_CALIBRATION_H

#include <stddef.h>
#include <stdint.h>

#include "core/procedure.h"
#include "db/db.h"
#include "db/inspection.h"

#define CAL_CODE 48

struct calibration {
    char id[DB_UUID_LEN];        /* "" -> calibration_save_draft makes one */
    char instrument[CAL_CODE];
    char weight_set[CAL_CODE];
    char officer[CAL_CODE];
    char started_at[24];
    char ended_at[24];           /* "" while a draft */
    char status[12];             /* "draft", "committed" */
    char temperature[16];        /* °C as decimal text: "21.5" */
    char verdict[8];             /* "pass", "fail"; "" while a draft */
    char certificate_no[48];     /* 检定证书 / 检定结果通知书 number */
    char next_due[11];           /* the instrument's new due date */
    char note[256];
    char kind[12];               /* "first", "subsequent", "in-service" (proc_kind_name) */
    char regulation[16];         /* "JJG 539-2016", "JJG 1204-2025" */
    char verified_on[11];        /* 检定日期: the legal date of ended_at */
    char humidity[16];           /* %RH as decimal text: "48" */
    char place[96];              /* 检定地点; "" = the instrument's market, on site */
    char record_no[48];          /* 原始记录号; "" = made at commit */
    char mark_no[48];            /* a passed scale's new verification mark (检定合格标志) */
    char seal_no[48];            /* and its seal (封印) */
    char abandoned[256];         /* ended without a verdict: why ("" otherwise) */
    char checker[CAL_CODE];      /* 核验员, once signed */
    char approver[CAL_CODE];     /* 批准人, once signed */
    char paper[2048];            /* the snapshot, "key=value" lines (calibration_paper_get) */
};

/* One judged step, as stored (R76-1 A.4).  test: core/procedure.h's
 * proc_test_name; position: "segment 2", "series 1", "unloading", "net",
 * "extra" or "". */
struct calibration_step {
    int seq;
    char test[16];
    char position[24];
    int64_t load_ug;
    int has_indication;
    int64_t indication_ug;
    int64_t added_ug;            /* ΔL of the error-point method; -1: direct */
    int64_t error_ug;            /* Ec (corrected); discrimination: the rise */
    int64_t mpe_ug;              /* the bound it was judged against */
    int judged;                  /* 0: recorded only */
    int pass;
    char note[96];               /* answers' text, the price test's amounts */
};

/* Creates or updates the draft c (status "draft") with the engine's state.
 * c->id "" gets a new UUID (written back).  Refuses to touch a committed
 * calibration (SC_ERR_EXISTS). */
int calibration_save_draft(struct db *db, struct calibration *c, const char *state);

/* An accepted reading: the draft's new state and the reading as read from
 * the scale (the frame's bytes kept as evidence, 全过程记录), in one
 * transaction, so the stored readings always match the state: the i-th
 * measurement of a calibration is the reading of step i.  m->id "" gets a
 * new UUID. */
int calibration_record_reading(struct db *db, struct calibration *c, const char *state,
                               struct measurement *m);

/* The newest draft of officer (instrument NULL: any instrument): 0 with *c
 * and *state (malloc'd; free it), or SC_ERR_NOTFOUND. */
int calibration_find_draft(struct db *db, const char *officer, const char *instrument,
                           struct calibration *c, char **state);

/* Deletes a draft with nothing recorded yet.  A committed calibration is
 * refused (SC_ERR_EXISTS); so is a draft with a reading or an answer
 * (SC_ERR_DENIED): it ends with a verdict or calibration_abandon. */
int calibration_discard(struct db *db, const char *id);

/* The engine's configuration for verifying an instrument with a weight set,
 * from the registry: class, Max, Min, e, d; price-computing by its kind;
 * the set's weights (each counted), its R111 class and calibration date;
 * the stage from kind.  The caller adds resolution_ug, zero_tracking,
 * segments.  SC_ERR_NOTFOUND, SC_ERR_EXPIRED (the set's calibration),
 * SC_ERR_PARSE (a class), with the reason. */
int calibration_config(struct db *db, const char *instrument, const char *weight_set,
                       enum proc_kind kind, day_t today, struct proc_config *cfg);

/* Commits a run from its procedure: each accepted step (test, position,
 * loads, error, bound, verdict, note), the verdict (pass or fail; refused
 * while steps remain and none failed), kind and regulation, ended_at now
 * and the certificate number.  c->humidity is required, and c->mark_no and
 * c->seal_no when the scale passed.  Then as calibration_commit. */
int calibration_finish(struct db *db, struct calibration *c, const struct proc *p);

/* Ends a run without a verdict, with the reason, committed and audited: the
 * instrument's dates do not move.  Refused when its readings already fail
 * the scale (SC_ERR_DENIED: that is a notice of failure). */
int calibration_abandon(struct db *db, struct calibration *c, const char *reason);

/* The checker's (role "checker", 核验员) or the approver's ("approver",
 * 批准人) signature on a committed verdict: an active metrology officer or
 * admin other than the verifier and than the other signer; once per role;
 * audited.  SC_ERR_DENIED, SC_ERR_EXISTS, SC_ERR_NOTFOUND with the reason. */
int calibration_sign(struct db *db, const char *id, const char *role, const char *badge);

/* A value of the paper snapshot: "issuer.name", "issuer.authorisation",
 * "issuer.address", "issuer.phone", "issuer.email", "applicant",
 * "instrument.name", "standard.name", "standard.cert", "standard.range",
 * "standard.accuracy", "reference.cert", "reference.until"; "" when absent. */
void calibration_paper_get(const struct calibration *c, const char *key, char *buf, size_t size);

/* The name of an instrument of this registry kind on a paper: "电子计价秤"
 * for price-computing, "电子台秤" for platform, ... */
const char *calibration_instrument_name(const char *kind);

/* "JD20261207-1A2B3C" for a certificate, "TZ..." for a notice, "YS..." for
 * the original record: the legal date's digits and the id's first six hex
 * digits, upper case. */
void calibration_number(const char *prefix, const char *day, const char *id, char *buf, size_t size);

/* Commits c (verdict "pass" or "fail", ended_at set here when "") with its
 * steps and state, updates the instrument's dates (see above; c->next_due,
 * c->verified_on, c->record_no and c->paper are filled in) and on a pass its
 * mark and seal numbers, appends the audit entries, in one transaction.
 * SC_ERR_ARG for a bad verdict, no humidity, a pass without mark and seal,
 * or an issuing body not set (settings issuing_body, issuing_body.authorisation);
 * SC_ERR_NOTFOUND for an unknown instrument, SC_ERR_EXISTS when already
 * committed. */
int calibration_commit(struct db *db, struct calibration *c, const struct calibration_step *steps,
                       size_t nsteps, const char *state);

/* A calibration and its steps: *steps (malloc'd, may be NULL when none) and
 * *state (malloc'd) are the caller's to free; either pointer may be NULL
 * when not wanted.  SC_ERR_NOTFOUND when no such id. */
int calibration_load(struct db *db, const char *id, struct calibration *c,
                     struct calibration_step **steps, size_t *nsteps, char **state);

/* The committed calibrations of an instrument, newest first. */
int calibration_list(struct db *db, const char *instrument,
                     int (*fn)(const struct calibration *, void *), void *arg);

/* The due date after a verification on `day` (YYYY-MM-DD) with this
 * verdict (see above); out needs 11 bytes.  SC_ERR_PARSE for a bad day. */
int calibration_next_due(const char *day, int pass, char *out, size_t size);

#endif
