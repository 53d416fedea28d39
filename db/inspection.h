/* Inspections: a stall checked by (two) officers, with its findings (one per
 * checklist item answered, core/checklist.h), the measurements read from
 * devices (raw bytes kept as evidence), and re-weighs (复秤).
 *
 * inspection_commit writes the whole inspection in ONE transaction and
 * appends its audit entry in the same one: after a power cut it is either
 * all there or not there at all.  A committed inspection is never changed
 * (except the follow-up state of its findings, which is bookkeeping outside
 * the audited content).  Drafts (status "draft") live in the same tables;
 * committing an inspection whose id is a draft replaces the draft. */
#ifndef STALLCHECK_DB_INSPECTION_H
#define STALLCHECK_DB_INSPECTION_H

#include <stddef.h>
#include <stdint.h>

#include "core/reweigh.h"
#include "db/db.h"

struct finding {
    char item[32];            /* checklist item id: "price-tags" */
    char answer[16];          /* checklist_answer_id: "pass", "fail", "broken", ... */
    char note[256];
    char deadline[11];        /* correction deadline (限期整改), "" if none */
};

struct measurement {
    char id[DB_UUID_LEN];     /* "" -> a new UUID */
    char instrument[48];      /* instrument code, "" when not registered */
    char taken_at[24];
    char driver[32];          /* protocol driver that decoded it */
    const unsigned char *raw; /* the bytes exactly as read; not owned */
    size_t raw_len;
    char value[40];           /* exact decimal text as decoded: "1.250" */
    char unit[8];             /* "kg", "g", ... */
    int has_value_ug;
    int64_t value_ug;         /* the value as a mass, when it is one */
    int stable;
};

struct reweigh {
    char id[DB_UUID_LEN];     /* "" -> a new UUID */
    char goods[64];           /* what was bought: "小龙虾" */
    char category[24];        /* retail table row: grain-veg-fruit, meat-egg-aquatic,
                                 dried-delicacy, premium, gold, silver */
    int64_t declared_ug;      /* mass charged (结算重量) */
    int64_t measured_ug;      /* mass re-weighed */
    int64_t unit_price_fen;   /* 分 per kg */
    int has_allowed;
    int64_t allowed_ug;       /* allowed negative deviation; none if outside the table */
    int64_t shortfall_ug;     /* declared - measured */
    int64_t money_short_fen;
    enum reweigh_outcome verdict; /* stored as reweigh_outcome_id */
    enum reweigh_at method;       /* Art. 6: where it was re-weighed */
    char reference_instrument[48];
    char weight_set[48];
    char measurement[DB_UUID_LEN]; /* the measurement it used, "" if typed */
};

struct inspection {
    char id[DB_UUID_LEN];     /* "" -> inspection_commit makes one */
    char stall[48];
    char market[48];          /* "" -> the stall's market */
    char officer1[24];        /* badge */
    char officer2[24];        /* badge; "" when only one officer */
    char draw[DB_UUID_LEN];   /* the draw it came from, "" if none */
    char started_at[24];
    char ended_at[24];        /* "" -> now, at commit */
    char status[12];          /* set by commit: "committed" */
    char device[DB_UUID_LEN]; /* "" -> this database's device id */
    char place[128];
    char note[512];
    struct finding *findings;
    size_t nfindings;
    struct measurement *measurements;
    size_t nmeasurements;
    struct reweigh *reweighs;
    size_t nreweighs;
};

/* Validates (items and answers known, one finding per item, officers
 * known, re-weigh verdicts and methods spelled right) and commits.  Fills
 * in->id, market, device, ended_at and status when empty.  Findings that
 * fail with a deadline open a follow-up; a failed-then-answered item of an
 * earlier inspection of the same stall with an open follow-up is closed
 * (corrected when this answer passes, not-corrected when it fails).
 * Returns 0 or SC_ERR_*; on error nothing is written. */
int inspection_commit(struct db *db, struct inspection *in);

/* Loads an inspection with its findings, measurements and re-weighs; free
 * with inspection_free (which frees only what inspection_load allocated). */
int inspection_load(struct db *db, const char *id, struct inspection **out);
void inspection_free(struct inspection *in);

/* One line of a stall's history. */
struct inspection_summary {
    char id[DB_UUID_LEN];
    char started_at[24];
    char ended_at[24];
    char officer1[24];
    char officer2[24];
    char status[12];
    int nfailed;              /* findings that failed */
    int nreweighs;
    int nreweighs_failed;
};

/* A stall's inspections, newest first; committed only unless with_drafts. */
int inspection_history(struct db *db, const char *stall, int with_drafts,
                       int (*fn)(const struct inspection_summary *, void *), void *arg);

/* Number of committed inspections (all stalls). */
int64_t inspection_count(struct db *db);

#endif
