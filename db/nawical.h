/* Calibrations (校准) of weighing instruments after EURAMET cg-18
 * (core/cg18.h): results with their uncertainty for a user who needs them,
 * beside the legal verification (检定, db/calibration.h).  While it runs a
 * calibration is a draft holding the engine's saved state, written after
 * every reading, so it resumes after an interruption; nawical_finish
 * writes the results (one row per error point, plus the repeatability and
 * the eccentricity), the calibration date (the bureau's legal date,
 * db/zone.h), the certificate number ("JZ...") and the paper's snapshot
 * (db/paper.h), and the audit entry, in one transaction.  A calibration
 * states no conformity and moves no due date.  A draft with readings ends
 * as a record: its results, or abandoned with a reason. */
#ifndef STALLCHECK_DB_NAWICAL_H
#define STALLCHECK_DB_NAWICAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/cg18.h"
#include "db/db.h"

#define NAWICAL_CODE 48

struct nawical {
    char id[DB_UUID_LEN];        /* "" -> nawical_save_draft makes one */
    char instrument[NAWICAL_CODE];
    char weight_set[NAWICAL_CODE];
    char officer[NAWICAL_CODE];
    char started_at[24];
    char ended_at[24];
    char status[12];             /* "draft", "committed" */
    char temperature[16];        /* °C */
    char humidity[16];           /* %RH */
    char place[96];              /* "" = the instrument's market, on site */
    char calibrated_on[11];      /* the legal date of ended_at */
    char certificate_no[48];     /* 校准证书 number: "JZ..." */
    char record_no[48];          /* 原始记录号 */
    char abandoned[256];         /* ended without results: why */
    char paper[2048];            /* db/paper.h */
};

/* One line of the results: test "error" (with its U at k), "repeatability"
 * (error_ug holds s), "eccentricity" (position 0..4, error_ug ΔI_ecc). */
struct nawical_row {
    int seq;
    char test[16];
    int position;
    int64_t load_ug;
    int64_t indication_ug;
    int64_t error_ug;
    int64_t u_ug;                /* error rows: u(E), rounded up */
    int64_t expanded_ug;         /* error rows: U(E) to two digits, rounded up */
    int k;
};

/* The engine's configuration from the registry: Max, Min, d (or a finer
 * test-mode interval display_ug when not 0), the set (its class, weights
 * and date).  SC_ERR_NOTFOUND, SC_ERR_EXPIRED with the reason. */
int nawical_config(struct db *db, const char *instrument, const char *weight_set, int64_t display_ug,
                   day_t today, struct cg18_config *cfg);

int nawical_save_draft(struct db *db, struct nawical *c, const char *state);
/* The newest draft of officer for instrument (NULL: any): 0 with *c and
 * *state (malloc'd), or SC_ERR_NOTFOUND. */
int nawical_find_draft(struct db *db, const char *officer, const char *instrument, struct nawical *c,
                       char **state);
/* Commits the results of a finished engine (SC_ERR_AGAIN while readings
 * remain); c->humidity is required. */
int nawical_finish(struct db *db, struct nawical *c, const struct cg18 *engine);
/* Ends a draft: deleted when it has no reading, else committed as
 * abandoned with the reason. */
int nawical_end(struct db *db, struct nawical *c, const char *reason);
/* A calibration and its rows (*rows malloc'd; either may be NULL). */
int nawical_load(struct db *db, const char *id, struct nawical *c, struct nawical_row **rows,
                 size_t *nrows);
/* By id or certificate number. */
int nawical_find(struct db *db, const char *id_or_number, struct nawical *c);
/* The committed ones, newest first; instrument NULL: all. */
int nawical_list(struct db *db, const char *instrument, int (*fn)(const struct nawical *, void *),
                 void *arg);

#endif
