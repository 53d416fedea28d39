/* Recording the random draw (双随机、一公开) so anyone can replay it.
 *
 * A draw's pools come from the database (draw_pools_load): the market's
 * active stalls, its stalls with an open correction deadline (限期整改), the
 * roster (active officers of role officer) and the officers recused from
 * that market.  core/draw.h draws; draw_save records the seed, the inputs
 * and the result in one transaction with its audit entry, so a later
 * change to any of them breaks the chain.
 *
 * inputs and result are canonical text, one fact per line, in this order:
 *   inputs:  "draw 1" (the algorithm's version: core/draw.h), "market M",
 *            "stalls N", "officers K", "followups 0|1", then one line per
 *            pool member, sorted: "stall CODE", "followup CODE",
 *            "officer BADGE", "recused BADGE";
 *   result:  "stall CODE random|followup" in draw order, "officer BADGE".
 * (Not JSON as first planned: a replay must read them back, and lines need
 * no parser.)  Codes and badges never hold a newline (draw_save refuses). */
#ifndef STALLCHECK_DB_DRAW_H
#define STALLCHECK_DB_DRAW_H

#include <stddef.h>

#include "core/draw.h"
#include "db/db.h"

struct draw_record; /* below */

struct draw_pools {
    char **stalls;
    size_t n_stalls;
    char **followups;
    size_t n_followups;
    char **officers;
    size_t n_officers;
    char **recused;
    size_t n_recused;
};

/* The pools of a market as they stand now.  SC_ERR_NOTFOUND for an unknown
 * market.  Free with draw_pools_free. */
int draw_pools_load(struct db *db, const char *market, struct draw_pools *out);
void draw_pools_free(struct draw_pools *p);

/* Points in at the pools (the strings stay the pools'). */
void draw_pools_input(const struct draw_pools *p, struct draw_input *in);

/* Records a draw made from in (its seed and pools) with result r, by
 * made_by (a badge, or NULL); fills id.  One transaction, audited. */
int draw_save(struct db *db, const char *market, const char *made_by,
              const struct draw_input *in, const struct draw_result *r,
              char id[DB_UUID_LEN]);

/* The whole draw in one call, for the CLI and the TUI alike: loads the
 * market's pools, draws with libsodium's ChaCha20 keystream (seed: 32 bytes,
 * or NULL for fresh system randomness), records it and reads the record
 * back into out (what is shown is what was stored).  made_by: the signed-in
 * badge, or NULL. */
int draw_make(struct db *db, const char *market, const char *made_by, size_t want_stalls,
              size_t want_officers, int include_followups,
              const unsigned char *seed, struct draw_record *out);

/* Re-runs a recorded draw from its seed and inputs into again (free with
 * draw_result_free).  0 when it gives the recorded result, 1 when not;
 * SC_ERR_* when it cannot run. */
int draw_replay(const struct draw_record *rec, struct draw_result *again);

/* libsodium's randombytes_buf_deterministic in core/draw's shape. */
void draw_keystream(void *out, size_t len, const unsigned char seed[DRAW_SEED_BYTES]);

/* A recorded draw, read back: its inputs parsed into in (strings owned by
 * the record), its recorded result, and its audit state. */
struct draw_record {
    char id[DB_UUID_LEN];
    char made_at[24];
    char made_by[24];
    char market[48];
    char seed[DRAW_SEED_HEX + 1];
    struct draw_pools pools;
    struct draw_input in;
    struct draw_result recorded;
    int audited;              /* 1: the record hashes to its newest audit entry */
};

/* SC_ERR_NOTFOUND for an unknown id; SC_ERR_PARSE when the stored inputs
 * cannot be read (naming the line). */
int draw_load(struct db *db, const char *id, struct draw_record *out);
void draw_record_free(struct draw_record *r);

#endif
