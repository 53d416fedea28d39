/* core/draw: the same seed and inputs give the same draw; recused officers
 * are never drawn; the draw is uniform (chi-square over many seeds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/draw.h"
#include "core/error.h"
#include "db/draw.h"

static const char *const stalls10[] = {"S07", "S01", "S02", "S03", "S04",
                                       "S05", "S06", "S08", "S09", "S10"};
static const char *const roster[] = {"B105", "B101", "B102", "B103", "B104"};

static void seed_from_counter(unsigned char seed[DRAW_SEED_BYTES], uint32_t n)
{
    memset(seed, 0, DRAW_SEED_BYTES);
    memcpy(seed, &n, sizeof n);
}

static struct draw_input input10(size_t want)
{
    struct draw_input in = {0};
    in.stalls = stalls10;
    in.n_stalls = 10;
    in.officers = roster;
    in.n_officers = 5;
    in.want_stalls = want;
    return in;
}

static void same_seed_same_draw(void **state)
{
    (void)state;
    struct draw_input in = input10(4);
    seed_from_counter(in.seed, 7);
    struct draw_result a, b, c;
    assert_int_equal(draw_run(&in, randombytes_buf_deterministic, &a), 0);
    /* The same inputs in another order are the same inputs: pools are sorted. */
    const char *const shuffled[] = {"S10", "S09", "S08", "S07", "S06",
                                    "S05", "S04", "S03", "S02", "S01", "S05"};
    in.stalls = shuffled;
    in.n_stalls = 11; /* and a duplicate counts once */
    assert_int_equal(draw_run(&in, randombytes_buf_deterministic, &b), 0);
    assert_true(draw_result_equal(&a, &b));
    assert_int_equal(a.n_stalls, 4);
    assert_int_equal(a.n_officers, 2);
    assert_int_equal(b.pool_stalls, 10);
    /* Another seed, another draw (for this seed pair, checked once). */
    seed_from_counter(in.seed, 8);
    assert_int_equal(draw_run(&in, randombytes_buf_deterministic, &c), 0);
    assert_false(draw_result_equal(&a, &c));
    /* No stall twice, no officer twice. */
    for (size_t i = 0; i < a.n_stalls; i++)
        for (size_t j = i + 1; j < a.n_stalls; j++)
            assert_string_not_equal(a.stalls[i].code, a.stalls[j].code);
    assert_string_not_equal(a.officers[0], a.officers[1]);
    draw_result_free(&a);
    draw_result_free(&b);
    draw_result_free(&c);
}

/* A fixed vector: seed 00…00, ten stalls S01..S10, four drawn, five
 * officers.  It pins the documented algorithm (draw.h) over libsodium's
 * ChaCha20 so that a draw published today replays the same next year. */
static void fixed_vector(void **state)
{
    (void)state;
    struct draw_input in = input10(4);
    struct draw_result r;
    assert_int_equal(draw_run(&in, randombytes_buf_deterministic, &r), 0);
    char got[200] = "";
    for (size_t i = 0; i < r.n_stalls; i++) {
        strcat(got, r.stalls[i].code);
        strcat(got, " ");
    }
    strcat(got, "/");
    for (size_t i = 0; i < r.n_officers; i++) {
        strcat(got, " ");
        strcat(got, r.officers[i]);
    }
    /* Recomputed by hand from the keystream below (see the test body). */
    unsigned char ks[64];
    randombytes_buf_deterministic(ks, sizeof ks, in.seed);
    const char *pool[10] = {"S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09", "S10"};
    const char *offs[5] = {"B101", "B102", "B103", "B104", "B105"};
    size_t w = 0;
    char want[200] = "";
    for (size_t i = 0; i < 4; i++, w++) {
        uint32_t x = (uint32_t)ks[4 * w] | (uint32_t)ks[4 * w + 1] << 8 |
                     (uint32_t)ks[4 * w + 2] << 16 | (uint32_t)ks[4 * w + 3] << 24;
        /* For n <= 10 a rejection needs x >= 2^32 - 6: not in this stream. */
        assert_true(x < 4294967280u);
        size_t j = i + x % (10 - i);
        const char *t = pool[i];
        pool[i] = pool[j];
        pool[j] = t;
        strcat(want, pool[i]);
        strcat(want, " ");
    }
    strcat(want, "/");
    for (size_t i = 0; i < 2; i++, w++) {
        uint32_t x = (uint32_t)ks[4 * w] | (uint32_t)ks[4 * w + 1] << 8 |
                     (uint32_t)ks[4 * w + 2] << 16 | (uint32_t)ks[4 * w + 3] << 24;
        size_t j = i + x % (5 - i);
        const char *t = offs[i];
        offs[i] = offs[j];
        offs[j] = t;
        strcat(want, " ");
        strcat(want, offs[i]);
    }
    assert_string_equal(got, want);
    /* And the literal, so a change of library or algorithm is seen.  It was
     * also checked with another ChaCha20 (Python's cryptography package: key
     * = seed, 16-byte nonce = 32-bit counter 0 + "LibsodiumDRG"). */
    assert_string_equal(got, "S04 S01 S08 S06 / B104 B105");
    draw_result_free(&r);
}

static void recused_never_drawn(void **state)
{
    (void)state;
    struct draw_input in = input10(2);
    const char *const recused[] = {"B101", "B103", "B105"};
    in.recused = recused;
    in.n_recused = 3;
    for (uint32_t s = 0; s < 500; s++) {
        seed_from_counter(in.seed, s);
        struct draw_result r;
        assert_int_equal(draw_run(&in, randombytes_buf_deterministic, &r), 0);
        assert_int_equal(r.pool_officers, 2);
        for (size_t i = 0; i < r.n_officers; i++)
            assert_true(strcmp(r.officers[i], "B102") == 0 || strcmp(r.officers[i], "B104") == 0);
        draw_result_free(&r);
    }
    /* One more recusal leaves one officer: no lawful draw. */
    const char *const more[] = {"B101", "B103", "B105", "B104"};
    in.recused = more;
    in.n_recused = 4;
    struct draw_result r;
    assert_int_equal(draw_run(&in, randombytes_buf_deterministic, &r), SC_ERR_RANGE);
    assert_non_null(strstr(sc_error_message(), "1 officer on the roster after recusals, 2 needed"));
    assert_null(r.stalls);
}

static void followups_added(void **state)
{
    (void)state;
    struct draw_input in = input10(3);
    const char *const fu[] = {"S09", "S02"};
    in.followups = fu;
    in.n_followups = 2;
    struct draw_result r;
    /* Not asked: follow-ups are ordinary members of the pool. */
    assert_int_equal(draw_run(&in, randombytes_buf_deterministic, &r), 0);
    assert_int_equal(r.n_stalls, 3);
    assert_int_equal(r.pool_stalls, 10);
    draw_result_free(&r);
    in.include_followups = 1;
    for (uint32_t s = 0; s < 200; s++) {
        seed_from_counter(in.seed, s);
        assert_int_equal(draw_run(&in, randombytes_buf_deterministic, &r), 0);
        assert_int_equal(r.n_stalls, 5);
        assert_int_equal(r.pool_stalls, 8);
        assert_string_equal(r.stalls[0].code, "S02");
        assert_int_equal(r.stalls[0].reason, DRAW_FOLLOWUP);
        assert_string_equal(r.stalls[1].code, "S09");
        for (size_t i = 2; i < 5; i++) {
            assert_int_equal(r.stalls[i].reason, DRAW_RANDOM);
            assert_string_not_equal(r.stalls[i].code, "S02");
            assert_string_not_equal(r.stalls[i].code, "S09");
        }
        draw_result_free(&r);
    }
}

static void more_wanted_than_there_are(void **state)
{
    (void)state;
    struct draw_input in = input10(50);
    struct draw_result r;
    assert_int_equal(draw_run(&in, randombytes_buf_deterministic, &r), 0);
    assert_int_equal(r.n_stalls, 10);
    draw_result_free(&r);
    in.n_stalls = 0;
    assert_int_equal(draw_run(&in, randombytes_buf_deterministic, &r), 0);
    assert_int_equal(r.n_stalls, 0);
    assert_int_equal(r.n_officers, 2);
    draw_result_free(&r);
}

/* Each stall drawn as often as any other: over 20,000 seeds drawing 3 of 10,
 * each stall is expected 6,000 times; chi-square with 9 degrees of freedom
 * stays under 27.88 (p = 0.001).  The seeds are fixed: the test is
 * deterministic, it cannot flake.  The same for the first position alone,
 * and for officers. */
static void distribution_is_uniform(void **state)
{
    (void)state;
    struct draw_input in = input10(3);
    long count[10] = {0}, first[10] = {0}, offc[5] = {0};
    const uint32_t trials = 20000;
    for (uint32_t s = 0; s < trials; s++) {
        seed_from_counter(in.seed, s);
        struct draw_result r;
        assert_int_equal(draw_run(&in, randombytes_buf_deterministic, &r), 0);
        for (size_t i = 0; i < r.n_stalls; i++) {
            int k = atoi(r.stalls[i].code + 1) - 1;
            count[k]++;
            if (i == 0)
                first[k]++;
        }
        for (size_t i = 0; i < r.n_officers; i++)
            offc[atoi(r.officers[i] + 1) - 101]++;
        draw_result_free(&r);
    }
    double chi = 0, chi1 = 0, chio = 0;
    for (int k = 0; k < 10; k++) {
        double e = trials * 3 / 10.0, e1 = trials / 10.0;
        chi += (count[k] - e) * (count[k] - e) / e;
        chi1 += (first[k] - e1) * (first[k] - e1) / e1;
    }
    for (int k = 0; k < 5; k++) {
        double e = trials * 2 / 5.0;
        chio += (offc[k] - e) * (offc[k] - e) / e;
    }
    print_message("# chi-square: all %.2f, first %.2f, officers %.2f\n", chi, chi1, chio);
    assert_true(chi < 27.88);
    assert_true(chi1 < 27.88);
    assert_true(chio < 18.47); /* 4 degrees of freedom, p = 0.001 */
}

/* Rejection sampling takes more words than the first buffer holds when many
 * are rejected: a keystream of mostly 0xff forces it. */
static void keystream_regrown_prefix_stable(void *out, size_t len, const unsigned char seed[DRAW_SEED_BYTES])
{
    (void)seed;
    unsigned char *p = out;
    memset(p, 0xff, len);
    /* Only word 100 and every 97th after it is acceptable. */
    for (size_t w = 100; 4 * w + 3 < len; w += 97)
        p[4 * w] = (unsigned char)w, p[4 * w + 1] = 0, p[4 * w + 2] = 0, p[4 * w + 3] = 0;
}

static void rejections_read_on(void **state)
{
    (void)state;
    struct draw_input in = input10(3);
    struct draw_result r;
    assert_int_equal(draw_run(&in, keystream_regrown_prefix_stable, &r), 0);
    assert_int_equal(r.n_stalls, 3);
    /* word 100: 100 % 10 = 0 -> S01 stays first. */
    assert_string_equal(r.stalls[0].code, "S01");
    draw_result_free(&r);
}

static void seeds_as_hex(void **state)
{
    (void)state;
    unsigned char seed[DRAW_SEED_BYTES], back[DRAW_SEED_BYTES];
    for (int i = 0; i < DRAW_SEED_BYTES; i++)
        seed[i] = (unsigned char)(i * 37 + 5);
    char hex[DRAW_SEED_HEX + 1];
    draw_seed_format(seed, hex);
    assert_int_equal(strlen(hex), 64);
    assert_int_equal(draw_seed_parse(hex, back), 0);
    assert_memory_equal(seed, back, DRAW_SEED_BYTES);
    assert_int_equal(draw_seed_parse("abc", back), SC_ERR_PARSE);
    hex[10] = 'x';
    assert_int_equal(draw_seed_parse(hex, back), SC_ERR_PARSE);
    assert_non_null(strstr(sc_error_message(), "position 11"));
}

/* A draw's kind and day, as stored or pushed, against its audited inputs
 * (db/draw.h): the one check verify and the district's ingest share. */
static void a_draws_kind_and_day_are_its_inputs(void **state)
{
    (void)state;
    const char *in = "draw 1\nmarket M1\nstalls 2\nofficers 2\nfollowups 0\n"
                     "kind production\nday 2026-03-02\nstall S01\n";
    const char *at = "2026-03-01T17:00:00Z";
    assert_int_equal(draw_days_agree(in, "production", "2026-03-02", at), 1);
    assert_int_equal(draw_days_agree(in, "drill", "2026-03-02", at), 0);
    assert_int_equal(draw_days_agree(in, "production", "2026-03-01", at), 0);
    assert_int_equal(draw_days_agree(in, "production", "2026-03-0", at), 0);
    assert_int_equal(draw_days_agree(in, "production", NULL, at), 0);
    assert_int_equal(draw_days_agree(in, "prod", "2026-03-02", at), 0);
    /* The first line is the version, never a kind. */
    assert_int_equal(draw_days_agree("kind drill\nday 2026-03-02\n", "drill", "2026-03-02", at),
                     0);
    /* A legacy draw: no kind line, its day the UTC date it was made. */
    const char *old = "draw 1\nmarket M1\nstalls 2\nstall S01\n";
    assert_int_equal(draw_days_agree(old, "legacy", "2026-03-01", at), 1);
    assert_int_equal(draw_days_agree(old, "legacy", "2026-03-02", at), 0);
    assert_int_equal(draw_days_agree(old, "legacy", NULL, at), 0);
    assert_int_equal(draw_days_agree(in, "legacy", "2026-03-01", at), 0);
    assert_int_equal(draw_days_agree(old, "production", "2026-03-01", at), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_draw),
        cmocka_unit_test(fixed_vector),
        cmocka_unit_test(recused_never_drawn),
        cmocka_unit_test(followups_added),
        cmocka_unit_test(more_wanted_than_there_are),
        cmocka_unit_test(distribution_is_uniform),
        cmocka_unit_test(rejections_read_on),
        cmocka_unit_test(seeds_as_hex),
        cmocka_unit_test(a_draws_kind_and_day_are_its_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
