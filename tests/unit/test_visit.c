/* core/visit.h: the inspection in progress.  Its text form is a round trip
 * with every field full and fits VISIT_TEXT_MAX; a draft in the first text
 * form (written by builds before this object) still resumes; the checklist,
 * re-weigh and cheating-scale rules answer the items as the officer would;
 * every enum's name table reads back what it writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/score.h"
#include "core/visit.h"

/* A draft written by the first text form's encoder, byte for byte: two
 * re-weighs (one captured with its KERN frame, one typed and not judged),
 * a note with an escaped backslash and newline, a deadline, and the
 * cheating-scale check as its verdict only ("ghost 2": suspect). */
static const char first_form[] =
    "visit 1\n"
    "id 5b0f7c2e-8d1a-4c3e-9f2b-7a6d5e4c3b21\n"
    "stall M001-001\n"
    "market M001\n"
    "officer1 1001\n"
    "officer2 1002\n"
    "draw 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\n"
    "started 2026-03-01T09:15:00Z\n"
    "answer.licence-shown pass\n"
    "answer.price-tags fail\n"
    "note.price-tags 价签缺失\\\\两处\\nline two\n"
    "deadline.price-tags 2026-03-08\n"
    "answer.seal broken\n"
    "answer.cheating-device fail\n"
    "note.cheating-device suspect: switched after key presses\n"
    "answer.reweigh fail\n"
    "reweigh meat-egg-aquatic 500000000 1200 470000000 1 2 15000000 30000000 36 "
    "202020203437302e30204720530d0a 470.0 g\n"
    "reweigh grain-veg-fruit 1000000000 600 0 0 0 0 0 0 - \n"
    "ghost 2\n"
    "end 1\n";

static void first_form_resumes(void **state)
{
    (void)state;
    static struct visit v;
    assert_int_equal(visit_decode(first_form, &v), 0);
    assert_string_equal(v.id, "5b0f7c2e-8d1a-4c3e-9f2b-7a6d5e4c3b21");
    assert_string_equal(v.stall, "M001-001");
    assert_string_equal(v.officer2, "1002");
    assert_string_equal(v.draw, "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    assert_int_equal(v.answers[CHECK_PRICE_TAGS], ANSWER_FAIL);
    assert_string_equal(v.notes[CHECK_PRICE_TAGS], "价签缺失\\两处\nline two");
    assert_string_equal(v.deadlines[CHECK_PRICE_TAGS], "2026-03-08");
    assert_int_equal(v.answers[CHECK_SEAL], ANSWER_SEAL_BROKEN);
    assert_int_equal(v.answers[CHECK_VERIFICATION_DUE], ANSWER_NONE);
    assert_int_equal(visit_answered(&v), 5);
    assert_int_equal(v.n_reweigh, 2);
    const struct visit_reweigh *w = &v.reweigh[0];
    assert_int_equal(w->category, REWEIGH_MEAT_EGG_AQUATIC);
    assert_true(w->captured);
    assert_int_equal(w->verdict, REWEIGH_FAIL);
    assert_int_equal(w->measured_ug, 470000000);
    assert_int_equal(w->shortfall_ug, 30000000);
    assert_int_equal(w->money_short_fen, 36);
    assert_int_equal(w->method, REWEIGH_AT_REFERENCE);
    assert_true(w->has_reading);
    assert_string_equal(w->reading.value, "470.0");
    assert_string_equal(w->reading.unit, "g");
    /* The frame as bytes, not hex text. */
    assert_int_equal(w->reading.raw_len, 15);
    assert_memory_equal(w->reading.raw, "    470.0 G S\r\n", 15);
    assert_false(v.reweigh[1].captured);
    assert_false(v.reweigh[1].has_reading);
    assert_int_equal(v.reweigh[1].category, REWEIGH_GRAIN_VEG_FRUIT);
    assert_int_equal(v.reweigh[1].declared_ug, 1000000000);
    assert_int_equal(v.ghost.result, VISIT_GHOST_SUSPECT);
    /* Saved again, it is written in the current form and reads back whole. */
    static char text[VISIT_TEXT_MAX];
    static struct visit back;
    assert_true(visit_encode(&v, text, sizeof text) > 0);
    assert_non_null(strstr(text, "visit 2\n"));
    assert_int_equal(visit_decode(text, &back), 0);
    assert_memory_equal(&v, &back, sizeof v);
}

/* Every field at its longest: the text fits VISIT_TEXT_MAX and reads back
 * byte for byte. */
static void full_visit_round_trip(void **state)
{
    (void)state;
    static struct visit v, back;
    visit_clear(&v);
    memset(v.id, 'i', sizeof v.id - 1);
    memset(v.stall, 's', sizeof v.stall - 1);
    memset(v.market, 'm', sizeof v.market - 1);
    memset(v.officer1, '1', sizeof v.officer1 - 1);
    memset(v.officer2, '2', sizeof v.officer2 - 1);
    memset(v.draw, 'd', sizeof v.draw - 1);
    memset(v.started_at, 't', sizeof v.started_at - 1);
    memset(v.ended_at, 'e', sizeof v.ended_at - 1);
    memset(v.place, '\n', sizeof v.place - 1);  /* every byte escaped */
    memset(v.note, '\\', sizeof v.note - 1);
    for (int i = 0; i < CHECK_ITEM_COUNT; i++) {
        v.answers[i] = i == CHECK_SEAL ? ANSWER_SEAL_MISSING : ANSWER_FAIL;
        memset(v.notes[i], '\r', VISIT_NOTE_MAX - 1);
        memcpy(v.deadlines[i], i % 2 ? "2026-12-31" : "2026-12-30", sizeof "2026-12-30");
    }
    v.n_reweigh = VISIT_MAX_REWEIGH;
    for (int i = 0; i < VISIT_MAX_REWEIGH; i++) {
        struct visit_reweigh *w = &v.reweigh[i];
        memset(w->goods, '\\', sizeof w->goods - 1);
        w->category = REWEIGH_DRIED_DELICACY;
        w->declared_ug = INT64_MAX;
        w->unit_price_fen = INT64_MIN;
        w->measured_ug = -1;
        w->captured = 1;
        w->verdict = REWEIGH_OUTSIDE;
        w->allowed_ug = INT64_MIN + 1;
        w->shortfall_ug = 123456789012345;
        w->money_short_fen = -987654321;
        w->method = REWEIGH_AT_EQUAL;
        memset(w->reference, 'r', sizeof w->reference - 1);
        w->has_reading = 1;
        for (size_t k = 0; k < VISIT_RAW_MAX; k++)
            w->reading.raw[k] = (unsigned char)(k * 37 + (size_t)i);
        w->reading.raw_len = VISIT_RAW_MAX;
        memset(w->reading.value, '\n', sizeof w->reading.value - 1);
        memset(w->reading.unit, 'u', sizeof w->reading.unit - 1);
        memset(w->reading.driver, 'v', sizeof w->reading.driver - 1);
        memset(w->reading.instrument, 'n', sizeof w->reading.instrument - 1);
        memset(w->reading.taken_at, 'a', sizeof w->reading.taken_at - 1);
        w->reading.stable = 1;
    }
    v.ghost.result = VISIT_GHOST_DEVICE_SEEN;
    v.ghost.nloads = 3;
    v.ghost.loads_ug[0] = 100000000;
    v.ghost.loads_ug[1] = 500000000;
    v.ghost.loads_ug[2] = INT64_MAX;
    v.ghost.vendor_turn = 1;
    for (int i = 0; i < VISIT_GHOST_MAX_OBS; i++)
        assert_int_equal(visit_ghost_record(&v, INT64_MIN + i, INT64_MAX - i), 0);
    assert_int_equal(visit_ghost_record(&v, 1, 1), SC_ERR_RANGE); /* full */
    static char text[VISIT_TEXT_MAX];
    int n = visit_encode(&v, text, sizeof text);
    assert_true(n > 0 && n < VISIT_TEXT_MAX);
    if (visit_decode(text, &back) != 0)
        fail_msg("%s", sc_error_message());
    assert_memory_equal(&v, &back, sizeof v);
    /* One byte short of the text: refused, never cut. */
    assert_int_equal(visit_encode(&v, text, (size_t)n), SC_ERR_RANGE);
}

static void bad_drafts_say_where(void **state)
{
    (void)state;
    static struct visit v;
    static const char *const bad[] = {
        "id x\nstall S\n",                              /* no end line */
        "id x\nend 1\n",                                /* no stall */
        "id x\nstall S\nanswer.seal pass\nend 1\n",     /* not a seal answer */
        "id x\nstall S\ndeadline.seal 2026-13-01\nend 1\n",
        "id x\nstall S\nrw.goods x\nend 1\n",           /* a field before any rw */
        "id x\nstall S\nrw 2\nend 1\n",                 /* out of order */
        "id x\nstall S\nrw 1\nrw.verdict maybe\nend 1\n",
        "id x\nstall S\nrw 1\nrw.raw 0g\nend 1\n",
        "id x\nstall S\nrw 1\nrw.declared_ug 12x\nend 1\n",
        "id x\nstall S\nrw 1\nrw.captured 2\nend 1\n",
        "id x\nstall S\nghost 7\nend 1\n",
        "id x\nstall S\nghost.obs 0 2 1 5 5\nend 1\n",  /* no such phase */
        "id x\nstall S\nghost.loads 4 1 2 3 4\nend 1\n",
        "id x\nstall S\nnovalue\nend 1\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(visit_decode(bad[i], &v), SC_ERR_PARSE);
        assert_true(strlen(sc_error_message()) > 0);
    }
    assert_non_null(strstr((visit_decode(bad[6], &v), sc_error_message()), "line 4"));
    /* A newer build's keys are skipped. */
    assert_int_equal(visit_decode("id x\nstall S\nfuture.key 1\nrw 1\nrw.future 2\nend 1\n", &v),
                     0);
}

static void answers_and_deadlines(void **state)
{
    (void)state;
    static struct visit v;
    visit_clear(&v);
    assert_int_equal(visit_answer(&v, CHECK_SEAL, ANSWER_PASS), SC_ERR_ARG);
    assert_int_equal(visit_answer(&v, CHECK_PRICE_TAGS, ANSWER_SEAL_BROKEN), SC_ERR_ARG);
    assert_int_equal(visit_set_deadline(&v, CHECK_PRICE_TAGS, "2026-03-08"), SC_ERR_ARG);
    assert_int_equal(visit_answer(&v, CHECK_PRICE_TAGS, ANSWER_FAIL), 0);
    assert_int_equal(visit_set_deadline(&v, CHECK_PRICE_TAGS, "2026-3-8"), SC_ERR_PARSE);
    assert_int_equal(visit_set_deadline(&v, CHECK_PRICE_TAGS, "2026-03-08"), 0);
    assert_int_equal(visit_failures(&v), 1);
    /* Passed after all: the deadline goes with the failure. */
    assert_int_equal(visit_answer(&v, CHECK_PRICE_TAGS, ANSWER_PASS), 0);
    assert_string_equal(v.deadlines[CHECK_PRICE_TAGS], "");
    assert_int_equal(visit_failures(&v), 0);
    assert_false(visit_complete(&v));
}

/* The re-weigh item cannot be passed by a key: only a re-weigh that
 * passed passes it; n/a needs a note saying why none was made, and is
 * refused once goods were re-weighed. */
static void reweigh_item_needs_a_reweigh(void **state)
{
    (void)state;
    static struct visit v;
    visit_clear(&v);
    assert_int_equal(visit_answer(&v, CHECK_REWEIGH, ANSWER_PASS), SC_ERR_ARG);
    assert_int_equal(visit_answer(&v, CHECK_REWEIGH, ANSWER_FAIL), SC_ERR_ARG);
    assert_int_equal(visit_answer(&v, CHECK_REWEIGH, ANSWER_NA), SC_ERR_ARG);
    assert_int_equal(v.answers[CHECK_REWEIGH], ANSWER_NONE);
    snprintf(v.notes[CHECK_REWEIGH], sizeof v.notes[0], "only live fish sold");
    assert_int_equal(visit_answer(&v, CHECK_REWEIGH, ANSWER_NA), 0);
    struct reweigh_input in = {.cat = REWEIGH_MEAT_EGG_AQUATIC, .charged_ug = 500000000,
                               .measured_ug = 497000000, .price_fen_per_kg = 1200};
    assert_int_equal(visit_reweigh_judge(&v.reweigh[v.n_reweigh++], &in, REWEIGH_AT_REFERENCE,
                                         NULL), 0);
    visit_reweigh_answer(&v);
    assert_int_equal(v.answers[CHECK_REWEIGH], ANSWER_PASS);
    assert_int_equal(visit_answer(&v, CHECK_REWEIGH, ANSWER_NA), SC_ERR_ARG);
    assert_int_equal(visit_answer(&v, CHECK_REWEIGH, ANSWER_FAIL), SC_ERR_ARG);
    assert_int_equal(visit_answer(&v, CHECK_REWEIGH, ANSWER_PASS), 0);
}

/* 《零售商品称重计量监督管理办法》 附表1 row 2 (meat, 6-30 元/kg): up to
 * 2.5 kg the negative deviation is 5 g, so 470 g for 500 g is 30 g and (12
 * 元/kg) 0.36 元 short: the item fails.  At the fair scale the same
 * judgement (Art. 6 (二)). */
static void reweighs_answer_the_item(void **state)
{
    (void)state;
    static struct visit v;
    visit_clear(&v);
    struct reweigh_input in = {.cat = REWEIGH_MEAT_EGG_AQUATIC, .charged_ug = 500000000,
                               .measured_ug = 470000000, .price_fen_per_kg = 1200};
    struct reweigh_verdict vd;
    struct visit_reweigh *w = &v.reweigh[v.n_reweigh++];
    assert_int_equal(visit_reweigh_judge(w, &in, REWEIGH_AT_FAIR, &vd), 0);
    assert_int_equal(w->verdict, REWEIGH_FAIL);
    assert_int_equal(w->allowed_ug, 5000000);
    assert_int_equal(w->shortfall_ug, 30000000);
    assert_int_equal(w->money_short_fen, 36);
    assert_int_equal(w->method, REWEIGH_AT_FAIR);
    assert_true(w->captured);
    visit_reweigh_answer(&v);
    assert_int_equal(v.answers[CHECK_REWEIGH], ANSWER_FAIL);
    /* Outside the table (60 kg of grain) is no verdict: alone it leaves
     * the item unanswered. */
    visit_clear(&v);
    struct reweigh_input big = {.cat = REWEIGH_GRAIN_VEG_FRUIT, .charged_ug = INT64_C(60000000000),
                                .measured_ug = INT64_C(59000000000)};
    assert_int_equal(visit_reweigh_judge(&v.reweigh[v.n_reweigh++], &big, REWEIGH_AT_REFERENCE,
                                         NULL), 0);
    assert_int_equal(v.reweigh[0].verdict, REWEIGH_OUTSIDE);
    visit_reweigh_answer(&v);
    assert_int_equal(v.answers[CHECK_REWEIGH], ANSWER_NONE);
    in.measured_ug = 496000000; /* 4 g short: within 5 g */
    assert_int_equal(visit_reweigh_judge(&v.reweigh[v.n_reweigh++], &in, REWEIGH_AT_REFERENCE,
                                         NULL), 0);
    visit_reweigh_answer(&v);
    assert_int_equal(v.answers[CHECK_REWEIGH], ANSWER_PASS);
    /* A judge's refusal records nothing. */
    struct reweigh_input none = {.charged_ug = 500000000};
    struct visit_reweigh blank = {0};
    assert_true(visit_reweigh_judge(&blank, &none, REWEIGH_AT_REFERENCE, NULL) < 0);
    assert_false(blank.captured);
}

static void ghost_in_progress(void **state)
{
    (void)state;
    static struct visit v, back;
    visit_clear(&v);
    assert_int_equal(visit_ghost_record(&v, 1, 1), SC_ERR_RANGE); /* no loads yet */
    v.ghost.nloads = 3;
    v.ghost.loads_ug[0] = 100000000;
    v.ghost.loads_ug[1] = 500000000;
    v.ghost.loads_ug[2] = 2000000000;
    int round, load;
    enum ghost_phase phase;
    for (int i = 0; i < 4; i++)
        assert_int_equal(visit_ghost_record(&v, 100000000 + i, 100000000), 0);
    /* Three "before" loads of round 1 taken, then the first "after". */
    assert_int_equal(v.ghost.obs[3].round, 1);
    assert_int_equal(v.ghost.obs[3].phase, GHOST_AFTER);
    assert_int_equal(v.ghost.obs[3].load, 0);
    visit_ghost_position(&v.ghost, &round, &phase, &load);
    assert_int_equal(round, 1);
    assert_int_equal(phase, GHOST_AFTER);
    assert_int_equal(load, 1);
    /* Killed here: the draft keeps every observation, not only a verdict. */
    static char text[VISIT_TEXT_MAX];
    assert_true(visit_encode(&v, text, sizeof text) > 0);
    strcpy(v.id, "x");
    strcpy(v.stall, "S");
    assert_true(visit_encode(&v, text, sizeof text) > 0);
    assert_int_equal(visit_decode(text, &back), 0);
    assert_int_equal(back.ghost.n_obs, 4);
    assert_int_equal(back.ghost.obs[2].stall_ug, 100000002);
    struct ghost_check c;
    memset(&c, 0, sizeof c);
    visit_ghost_fill(&back, &c);
    assert_int_equal(c.n_obs, 4);
    assert_int_equal(c.obs[3].phase, GHOST_AFTER);
    /* The verdict answers the checklist. */
    struct ghost_verdict vd = {.outcome = GHOST_INCOMPLETE};
    assert_int_equal(visit_ghost_conclude(&back, &vd), SC_ERR_AGAIN);
    assert_int_equal(back.answers[CHECK_CHEATING_DEVICE], ANSWER_NONE);
    vd.outcome = GHOST_SUSPECT;
    snprintf(vd.reason, sizeof vd.reason, "switched after the vendor's keys");
    assert_int_equal(visit_ghost_conclude(&back, &vd), 0);
    assert_int_equal(back.ghost.result, VISIT_GHOST_SUSPECT);
    assert_int_equal(back.answers[CHECK_CHEATING_DEVICE], ANSWER_FAIL);
    assert_string_equal(back.notes[CHECK_CHEATING_DEVICE], "switched after the vendor's keys");
    visit_ghost_device_seen(&back);
    assert_int_equal(back.ghost.result, VISIT_GHOST_DEVICE_SEEN);
}

/* One name table per enum: each name reads back as its value. */
static void name_tables(void **state)
{
    (void)state;
    for (int i = 0; i < REWEIGH_OUTCOME_COUNT; i++) {
        enum reweigh_outcome o;
        assert_int_equal(reweigh_outcome_parse(reweigh_outcome_id((enum reweigh_outcome)i), &o), 0);
        assert_int_equal(o, i);
    }
    assert_string_equal(reweigh_outcome_id(REWEIGH_OUTSIDE), "outside");
    for (int i = 0; i < REWEIGH_AT_COUNT; i++) {
        enum reweigh_at a;
        assert_int_equal(reweigh_at_parse(reweigh_at_id((enum reweigh_at)i), &a), 0);
        assert_int_equal(a, i);
    }
    for (int i = 0; i < VISIT_GHOST_COUNT; i++) {
        enum visit_ghost g;
        assert_int_equal(visit_ghost_parse(visit_ghost_id((enum visit_ghost)i), &g), 0);
        assert_int_equal(g, i);
    }
    for (int i = 0; i < SCORE_LIST_COUNT; i++) {
        enum score_list l;
        assert_int_equal(score_list_parse(score_list_name((enum score_list)i), &l), 0);
        assert_int_equal(l, i);
    }
    for (int i = 0; i < SCORE_GRADE_COUNT; i++) {
        enum score_grade g;
        assert_int_equal(score_grade_parse(score_grade_name((enum score_grade)i), &g), 0);
        assert_int_equal(g, i);
    }
    enum score_list l;
    assert_int_equal(score_list_parse("Red", &l), SC_ERR_PARSE);
    enum reweigh_outcome o;
    assert_int_equal(reweigh_outcome_parse("", &o), SC_ERR_PARSE);
    assert_int_equal(reweigh_outcome_of(1, 15, 15), REWEIGH_PASS); /* Art. 5: may equal */
    assert_int_equal(reweigh_outcome_of(1, 15, 16), REWEIGH_FAIL);
    assert_int_equal(reweigh_outcome_of(0, 0, 99), REWEIGH_OUTSIDE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_form_resumes),
        cmocka_unit_test(full_visit_round_trip),
        cmocka_unit_test(bad_drafts_say_where),
        cmocka_unit_test(answers_and_deadlines),
        cmocka_unit_test(reweigh_item_needs_a_reweigh),
        cmocka_unit_test(reweighs_answer_the_item),
        cmocka_unit_test(ghost_in_progress),
        cmocka_unit_test(name_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
