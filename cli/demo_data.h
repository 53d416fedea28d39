/* A synthetic district for demos, tests and benchmarks, reproducible from
 * a seed: markets with Chinese names, stall operators with valid unified
 * social credit codes, stalls of every category, their scales (class III,
 * plausible Max/e, some overdue), each market's fair scale, reference scale
 * and weight set, officers of every role, and months of inspection history
 * (findings, re-weighs judged by core/reweigh.h, the reference scale's raw
 * KERN frames), all audited, then every stall's score and list.
 *
 * Same seed and same today -> the same database content, byte for byte in
 * every table (UUIDs, salts and the device id come from the seed; the
 * clock is fixed to the generated times). */
#ifndef STALLCHECK_CLI_DEMO_DATA_H
#define STALLCHECK_CLI_DEMO_DATA_H

#include <stdint.h>

#include "db/db.h"

/* Every generated officer's PIN; the demo officer is badge 1001. */
#define DEMO_PIN "1234"
#define DEMO_BADGE_OFFICER "1001"
#define DEMO_BADGE_OFFICER2 "1002"
#define DEMO_BADGE_METROLOGY "2001"
#define DEMO_BADGE_MANAGER "3001"   /* manager of market M001 */
#define DEMO_BADGE_ADMIN "9000"
#define DEMO_MAX_STALLS 200000

struct visit; /* core/visit.h */

struct demo_options {
    int64_t stalls;       /* default 1500 */
    int months;           /* of history; default 12 */
    uint64_t seed;        /* default 1 */
    const char *today;    /* "YYYY-MM-DD"; NULL: db_today() */
    int scores;           /* compute scores and lists at the end */
    int progress;         /* a progress bar on stderr */
    /* Told each visit once it is committed (NULL: no one); the tests hold
     * them against db/visit's direct commit. */
    void (*on_visit)(const struct visit *v, void *arg);
    void *on_visit_arg;
};

struct demo_result {
    int64_t markets, operators, stalls, instruments, officers;
    int64_t inspections, findings, reweighs;
};

/* Fills an empty database (SC_ERR_EXISTS if it has markets already) in one
 * transaction. */
int demo_generate(struct db *db, const struct demo_options *opt, struct demo_result *res);

#endif
