/* The random draw, 双随机、一公开 (shuang suiji, yi gongkai: "two randoms, one
 * public"): the stalls to inspect are drawn at random from the market's
 * registry, and the officers at random from the roster, skipping any officer
 * recused from that market for a conflict of interest; the seed and the
 * inputs are recorded and published, so anyone can replay the draw.
 *
 * Pure: the caller hands in the pools and a keystream function (stallcheck
 * passes libsodium's randombytes_buf_deterministic, ChaCha20-IETF keyed by
 * the seed); this module sorts, draws and returns.  The algorithm, exactly,
 * so that a replay needs nothing but this text:
 *
 *   1. Pools.  Stall codes and badges are deduplicated and sorted by bytes
 *      (strcmp).  When follow-ups are included, every follow-up stall (under
 *      a correction deadline, 限期整改) is in the draw, in sorted order, and
 *      taken out of the random pool.  Recused badges are taken out of the
 *      officer pool.
 *   2. Words.  The keystream K = keystream(seed) is read as successive 32-bit
 *      little-endian words w0, w1, ...
 *   3. uniform(n): take the next word x; while x >= 2^32 - (2^32 mod n),
 *      take the next; the answer is x mod n (rejection: no modulo bias).
 *   4. Stalls: partial Fisher-Yates over the random pool P of m stalls: for
 *      i = 0 .. k-1 (k = min(N, m)): j = i + uniform(m - i); swap P[i], P[j].
 *      The drawn stalls are P[0..k-1] in that order.
 *   5. Officers: the same over the officer pool, continuing the same words,
 *      k = the officers wanted (2: enforcement needs two).
 *
 * The keystream must be prefix-stable: keystream(seed, L) is the first L
 * bytes of keystream(seed, L') for any L' > L (true of a stream cipher). */
#ifndef STALLCHECK_CORE_DRAW_H
#define STALLCHECK_CORE_DRAW_H

#include <stddef.h>

#define DRAW_SEED_BYTES 32
#define DRAW_SEED_HEX (2 * DRAW_SEED_BYTES)
/* Enforcement needs two officers (双随机: "at least two inspectors"). */
#define DRAW_OFFICERS_DEFAULT 2

/* Fills out[0..len) with the keystream of seed.  libsodium's
 * randombytes_buf_deterministic has exactly this shape. */
typedef void (*draw_keystream_fn)(void *out, size_t len,
                                  const unsigned char seed[DRAW_SEED_BYTES]);

struct draw_input {
    const char *const *stalls;     /* the market's registry: stall codes */
    size_t n_stalls;
    const char *const *followups;  /* stalls under a correction deadline */
    size_t n_followups;
    int include_followups;
    const char *const *officers;   /* the roster: badges */
    size_t n_officers;
    const char *const *recused;    /* badges recused from this market */
    size_t n_recused;
    size_t want_stalls;            /* N drawn at random */
    size_t want_officers;          /* 0 means DRAW_OFFICERS_DEFAULT */
    unsigned char seed[DRAW_SEED_BYTES];
};

enum draw_reason {
    DRAW_RANDOM = 0,   /* drawn at random from the registry */
    DRAW_FOLLOWUP = 1, /* added: under a correction deadline */
};

struct draw_stall {
    char *code;
    enum draw_reason reason;
};

struct draw_result {
    struct draw_stall *stalls; /* follow-ups first (sorted), then the drawn, in draw order */
    size_t n_stalls;
    char **officers;           /* in draw order */
    size_t n_officers;
    size_t pool_stalls;        /* the size of the random pool */
    size_t pool_officers;      /* the roster less the recused */
};

/* Runs the draw.  Fewer stalls in the pool than wanted draws them all;
 * fewer eligible officers than wanted is SC_ERR_RANGE (a draw with one
 * officer is no lawful draw).  0 on success; out is then owned by the
 * caller: draw_result_free(). */
int draw_run(const struct draw_input *in, draw_keystream_fn keystream,
             struct draw_result *out);
void draw_result_free(struct draw_result *r);

/* 1 when two results draw the same stalls (same reasons) and officers in the
 * same order. */
int draw_result_equal(const struct draw_result *a, const struct draw_result *b);

/* Seeds as 64 lowercase hex digits.  parse: 0, or SC_ERR_PARSE naming the
 * position of a bad digit.  format: out has DRAW_SEED_HEX + 1 bytes. */
int draw_seed_parse(const char *hex, unsigned char seed[DRAW_SEED_BYTES]);
void draw_seed_format(const unsigned char seed[DRAW_SEED_BYTES], char *out);

#endif
