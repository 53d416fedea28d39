/* Recording the random draw (双随机、一公开) so anyone can replay it.
 *
 * A draw's pools come from the database (draw_pools_load): the market's
 * active stalls, its stalls with an open correction deadline (限期整改), the
 * roster (active officers of role officer) and the officers recused from
 * that market.  core/draw.h draws; draw_save records the seed, the inputs
 * and the result in one transaction with its audit entry, so a later
 * change to any of them breaks the chain.
 *
 * The seed (双随机: the draw must be beyond the drawing officer's control,
 * and anyone must be able to check it).  国办发〔2015〕58号 asks for the
 * objects and the inspectors to be drawn at random ("通过摇号等方式") with the
 * procedure and results public (程序公开、结果公开).  Here:
 *   - a production draw's seed is the system's randomness (getrandom, through
 *     libsodium), never the officer's, recorded with the draw so that anyone
 *     replays it from the published record;
 *   - one production draw per market per day (the local legal day,
 *     db_today), in db/ so the CLI and the TUI have the one rule; drawing
 *     again because the result did not suit is a redraw, which needs a
 *     reason, points at the draw it replaces, and is on the public record
 *     beside it;
 *   - a chosen seed only in a drill (演练), marked so on the record, never
 *     the day's draw.
 * What an officer could still do: restore a copy of the database made
 * before the draw and draw again; the first draw then never reaches the
 * district.  Only a draw made or committed to online (a commitment
 * published before a public value is known) closes that; a handheld offline
 * cannot, and the audit chain's signatures and copy detection are what
 * the district holds against it.
 *
 * inputs and result are canonical text, one fact per line, in this order:
 *   inputs:  "draw 1" (the algorithm's version: core/draw.h), "market M",
 *            "stalls N", "officers K", "followups 0|1", "kind K"
 *            (production, redraw, drill), "day YYYY-MM-DD", for a redraw
 *            "replaces ID" and "reason TEXT", then one line per pool member,
 *            sorted: "stall CODE", "followup CODE", "officer BADGE",
 *            "recused BADGE";
 *   result:  "stall CODE random|followup" in draw order, "officer BADGE".
 * The kind, day, reason and what a redraw replaces are in the audited
 * inputs, so none can change behind the record's back; draws made before
 * the kinds existed have no kind line and read as "legacy".  (Not JSON as
 * first planned: a replay must read them back, and lines need no parser.)
 * Codes, badges and reasons never hold a newline or another control
 * character (refused). */
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

enum draw_kind {
    DRAW_PRODUCTION, /* the day's draw: the system's seed */
    DRAW_REDRAW,     /* a later draw the same day: the system's seed, a reason */
    DRAW_DRILL,      /* practice: a chosen seed allowed; never the day's draw */
    DRAW_LEGACY,     /* made before kinds existed: its seed may have been chosen */
};
/* "production", "redraw", "drill", "legacy". */
const char *draw_kind_id(enum draw_kind k);

/* 1 when a draw's kind and day (its columns, or the draw_days part of the
 * record a handheld pushes) are what its audited inputs say: a "kind K"
 * and a "day D" line (D empty when day is NULL); a legacy draw has no kind
 * line and its day is the UTC date it was made.  verify holds every stored
 * draw to it, the district every pushed one: a handheld signing with its
 * own key could sign a pair its inputs do not say.  0 otherwise. */
int draw_days_agree(const char *inputs, const char *kind, const char *day,
                    const char *made_at);

#define DRAW_REASON_MAX 200

/* What to draw. */
struct draw_request {
    const char *market;
    const char *made_by;        /* the signed-in badge, or NULL (open database) */
    size_t want_stalls;         /* >= 1 */
    size_t want_officers;       /* 0: DRAW_OFFICERS_DEFAULT */
    int include_followups;
    enum draw_kind kind;        /* production, redraw or drill */
    const char *reason;         /* a redraw's: why (required, one line) */
    const unsigned char *seed;  /* a drill's chosen seed (32 bytes), else NULL */
};

/* The whole draw in one call, for the CLI and the TUI alike, in one
 * transaction: the day's rule (a production draw when the market has none
 * today, SC_ERR_EXISTS naming the one that stands; a redraw only when one
 * stands), the market's pools, the draw with libsodium's ChaCha20 keystream
 * of the seed, the record and its audit entry; then the record read back
 * into out (what is shown is what was stored).  A seed with a production
 * draw or a redraw is SC_ERR_ARG. */
int draw_make(struct db *db, const struct draw_request *req, struct draw_record *out);

/* The market's standing draw today: its latest production draw or redraw
 * (SC_ERR_NOTFOUND when none).  Free with draw_record_free. */
int draw_today(struct db *db, const char *market, struct draw_record *out);

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
    enum draw_kind kind;
    char day[11];             /* the legal day it was made on */
    char reason[DRAW_REASON_MAX + 1];  /* a redraw's */
    char replaces[DB_UUID_LEN];        /* a redraw's: the draw it replaces */
    struct draw_pools pools;
    struct draw_input in;
    struct draw_result recorded;
    int audited;              /* 1: the record hashes to its newest audit entry */
};

/* SC_ERR_NOTFOUND for an unknown id; SC_ERR_PARSE when the stored inputs
 * cannot be read (naming the line). */
int draw_load(struct db *db, const char *id, struct draw_record *out);

/* A draw's record as published (the public site's draw/ID.txt), read with
 * no database, so anyone can replay it with draw_replay:
 *   "id ID", "made_at T", "made_by B", "seed HEX" lines, then "[inputs]"
 *   and the inputs text, then "[result]" and the result text (above).
 * SC_ERR_PARSE naming the line; out->audited is 0 (no chain to check). */
int draw_record_parse(const char *text, struct draw_record *out);
void draw_record_free(struct draw_record *r);

#endif
