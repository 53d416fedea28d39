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
 * (检定不合格的计量器具不得使用, 计量法 Art. 9). */
#ifndef STALLCHECK_DB_CALIBRATION_H
#define STALLCHECK_DB_CALIBRATION_H

#include <stddef.h>
#include <stdint.h>

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

/* Deletes a draft (a committed calibration is refused: SC_ERR_EXISTS). */
int calibration_discard(struct db *db, const char *id);

/* Commits c (verdict "pass" or "fail", ended_at set here when "") with its
 * steps and state, updates the instrument's dates (see above; c->next_due
 * is filled in), appends the audit entries, in one transaction.  The date of
 * the verification is the date part of c->ended_at.  SC_ERR_ARG for a bad
 * verdict, SC_ERR_NOTFOUND for an unknown instrument, SC_ERR_EXISTS when
 * already committed. */
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
