/* Re-weigh (复秤) verdicts: the worked examples of shared/domain/metrology.md,
 * every band boundary at the limit and 1 µg beyond, the price bands, money. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/day.h"
#include "core/error.h"
#include "core/mass.h"
#include "core/reweigh.h"

#define G(x) ((int64_t)((x) * 1e6 + 0.5)) /* grams as µg, rounded to 1 µg */
#define KG(x) ((int64_t)(x) * MASS_KG)

static struct reweigh_verdict judge(enum reweigh_category cat, int64_t charged, int64_t measured,
                                    int64_t price, enum reweigh_method method)
{
    struct reweigh_input in = {cat, charged, measured, price, method, NULL, 0, REWEIGH_ROW_LARGER};
    struct reweigh_verdict v;
    int rc = reweigh_judge(&in, &v);
    if (rc != SC_OK)
        fail_msg("reweigh_judge: %d %s", rc, sc_error_message());
    return v;
}

static void worked_examples(void **state)
{
    (void)state;
    static const struct {
        const char *cat;
        int64_t charged, measured, shortfall, allowed;
        enum reweigh_outcome outcome;
    } ex[] = {
        {"grain-veg-fruit", G(1000), G(980), G(20), G(20), REWEIGH_PASS},
        {"grain-veg-fruit", G(1000), G(979), G(21), G(20), REWEIGH_FAIL},
        {"grain-veg-fruit", G(1001), G(962), G(39), G(40), REWEIGH_PASS},
        {"meat-egg-aquatic", G(1000), G(950), G(50), G(5), REWEIGH_FAIL},
        {"meat-egg-aquatic", G(2500), G(2495), G(5), G(5), REWEIGH_PASS},
        {"meat-egg-aquatic", G(2600), G(2591), G(9), G(10), REWEIGH_PASS},
        {"dried-delicacy", G(800), G(797), G(3), G(2), REWEIGH_FAIL},
        {"premium", G(500), G(499), G(1), G(1), REWEIGH_PASS},
        {"premium", G(501), G(498.5), G(2.5), G(2), REWEIGH_FAIL},
        {"premium", G(4000), G(3997), G(3), G(3), REWEIGH_PASS},
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        enum reweigh_category cat;
        assert_int_equal(reweigh_category_parse(ex[i].cat, &cat), SC_OK);
        struct reweigh_verdict v = judge(cat, ex[i].charged, ex[i].measured, 0, REWEIGH_HIGHER);
        assert_int_equal(v.shortfall_ug, ex[i].shortfall);
        assert_int_equal(v.allowed_ug, ex[i].allowed);
        assert_int_equal(v.outcome, ex[i].outcome);
        assert_int_equal(v.cat, cat);
        assert_false(v.has_money);
    }
}

/* Every band of both tables: the mass at the band's top takes this band's
 * deviation, 1 µg more takes the next band's (or is outside); the shortfall
 * at the deviation passes, 1 µg more fails. */
static void boundaries(void **state)
{
    (void)state;
    static const struct {
        enum reweigh_category cat;
        int64_t top, deviation;
    } b[] = {
        {REWEIGH_GRAIN_VEG_FRUIT, KG(1), G(20)}, {REWEIGH_GRAIN_VEG_FRUIT, KG(2), G(40)},
        {REWEIGH_GRAIN_VEG_FRUIT, KG(4), G(80)}, {REWEIGH_GRAIN_VEG_FRUIT, KG(25), G(100)},
        {REWEIGH_MEAT_EGG_AQUATIC, G(2500), G(5)}, {REWEIGH_MEAT_EGG_AQUATIC, KG(10), G(10)},
        {REWEIGH_MEAT_EGG_AQUATIC, KG(15), G(15)},
        {REWEIGH_DRIED_DELICACY, KG(1), G(2)}, {REWEIGH_DRIED_DELICACY, KG(4), G(4)},
        {REWEIGH_DRIED_DELICACY, KG(6), G(6)},
        {REWEIGH_PREMIUM, G(500), G(1)}, {REWEIGH_PREMIUM, KG(2), G(2)},
        {REWEIGH_PREMIUM, KG(5), G(3)},
        {REWEIGH_GOLD, G(100), G(0.01)}, {REWEIGH_SILVER, G(100), G(0.1)},
    };
    size_t n = sizeof b / sizeof b[0];
    for (size_t i = 0; i < n; i++) {
        int64_t dev = 0;
        const char *band = NULL;
        assert_int_equal(reweigh_deviation(b[i].cat, b[i].top, &dev, &band), SC_OK);
        assert_int_equal(dev, b[i].deviation);
        assert_non_null(band);
        /* Shortfall exactly at the limit passes, 1 µg beyond fails. */
        struct reweigh_verdict v = judge(b[i].cat, b[i].top, b[i].top - b[i].deviation, 0, REWEIGH_HIGHER);
        assert_int_equal(v.outcome, REWEIGH_PASS);
        v = judge(b[i].cat, b[i].top, b[i].top - b[i].deviation - 1, 0, REWEIGH_HIGHER);
        assert_int_equal(v.outcome, REWEIGH_FAIL);
        /* One µg above the band's top. */
        int last = i + 1 == n || b[i + 1].cat != b[i].cat;
        int rc = reweigh_deviation(b[i].cat, b[i].top + 1, &dev, &band);
        if (last) {
            assert_int_equal(rc, SC_ERR_RANGE);
            assert_non_null(strstr(sc_error_message(), "outside the measures' table"));
            v = judge(b[i].cat, b[i].top + 1, b[i].top + 1, 0, REWEIGH_HIGHER);
            assert_int_equal(v.outcome, REWEIGH_OUTSIDE);
            assert_non_null(strstr(v.reason, "no verdict"));
        } else {
            assert_int_equal(rc, SC_OK);
            assert_int_equal(dev, b[i + 1].deviation);
        }
    }
    int64_t dev;
    /* The smallest mass is inside the first band; zero is an error. */
    assert_int_equal(reweigh_deviation(REWEIGH_PREMIUM, 1, &dev, NULL), SC_OK);
    assert_int_equal(dev, G(1));
    assert_int_equal(reweigh_deviation(REWEIGH_PREMIUM, 0, &dev, NULL), SC_ERR_ARG);
    /* The confirmed cell: meat above 15 kg is outside the table. */
    assert_int_equal(reweigh_deviation(REWEIGH_MEAT_EGG_AQUATIC, KG(20), &dev, NULL), SC_ERR_RANGE);
    assert_non_null(strstr(sc_error_message(), "20000 g is above 15000 g"));
}

static void price_bands(void **state)
{
    (void)state;
    static const struct {
        int64_t price;
        enum reweigh_category cat;
    } p[] = {
        {1, REWEIGH_GRAIN_VEG_FRUIT}, {600, REWEIGH_GRAIN_VEG_FRUIT}, {601, REWEIGH_MEAT_EGG_AQUATIC},
        {3000, REWEIGH_MEAT_EGG_AQUATIC}, {3001, REWEIGH_DRIED_DELICACY},
        {10000, REWEIGH_DRIED_DELICACY}, {10001, REWEIGH_PREMIUM}, {100000000, REWEIGH_PREMIUM},
    };
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        enum reweigh_category c = REWEIGH_NONE;
        assert_int_equal(reweigh_category_by_price(p[i].price, &c), SC_OK);
        assert_int_equal(c, p[i].cat);
    }
    enum reweigh_category c;
    assert_int_equal(reweigh_category_by_price(0, &c), SC_ERR_ARG);
    /* Price only: the band picks the row.  12 元/kg pork, 1 kg, 6 g short. */
    struct reweigh_verdict v = judge(REWEIGH_NONE, G(1000), G(994), 1200, REWEIGH_HIGHER);
    assert_int_equal(v.cat, REWEIGH_MEAT_EGG_AQUATIC);
    assert_int_equal(v.allowed_ug, G(5));
    assert_int_equal(v.outcome, REWEIGH_FAIL);
    assert_true(v.has_money);
    assert_int_equal(v.money_short_fen, 7); /* 12 元/kg × 6 g = 7.2 分 -> 7 */
    /* Beef at 80 元/kg, 5 kg: 肉 by kind (10 g) vs 30-100 元/kg (6 g):
     * the larger applies. */
    v = judge(REWEIGH_MEAT_EGG_AQUATIC, KG(5), G(4990), 8000, REWEIGH_HIGHER);
    assert_int_equal(v.cat, REWEIGH_MEAT_EGG_AQUATIC);
    assert_int_equal(v.allowed_ug, G(10));
    assert_int_equal(v.outcome, REWEIGH_PASS);
    assert_non_null(strstr(v.reason, "larger deviation"));
    assert_int_equal(v.money_short_fen, 80); /* 80 元/kg × 10 g = 0.8 元 */
    /* Cherries (fruit) at 80 元/kg, 1 kg: 20 g by kind beats 2 g by price. */
    v = judge(REWEIGH_GRAIN_VEG_FRUIT, KG(1), G(985), 8000, REWEIGH_HIGHER);
    assert_int_equal(v.allowed_ug, G(20));
    assert_int_equal(v.outcome, REWEIGH_PASS);
    /* Cheap dried goods at 5 元/kg, 1 kg: the price band's 20 g beats 2 g. */
    v = judge(REWEIGH_DRIED_DELICACY, KG(1), G(990), 500, REWEIGH_HIGHER);
    assert_int_equal(v.cat, REWEIGH_GRAIN_VEG_FRUIT);
    assert_int_equal(v.allowed_ug, G(20));
    assert_non_null(strstr(v.reason, "price band gives the larger"));
    /* Meat at 20 kg (outside its row) sold at 5 元/kg: the price band's
     * row still covers it. */
    v = judge(REWEIGH_MEAT_EGG_AQUATIC, KG(20), KG(20) - G(100), 500, REWEIGH_HIGHER);
    assert_int_equal(v.cat, REWEIGH_GRAIN_VEG_FRUIT);
    assert_int_equal(v.outcome, REWEIGH_PASS);
    assert_non_null(strstr(v.reason, "has no band for this mass"));
    /* Both outside: no verdict, but still the money. */
    v = judge(REWEIGH_MEAT_EGG_AQUATIC, KG(20), KG(20) - G(100), 1200, REWEIGH_HIGHER);
    assert_int_equal(v.outcome, REWEIGH_OUTSIDE);
    assert_int_equal(v.money_short_fen, 120);
    /* Gold: the price gives money only; Table 2 has no price band. */
    v = judge(REWEIGH_GOLD, G(10), G(9.98), 60000000, REWEIGH_HIGHER); /* 600 元/g */
    assert_int_equal(v.cat, REWEIGH_GOLD);
    assert_int_equal(v.allowed_ug, G(0.01));
    assert_int_equal(v.outcome, REWEIGH_FAIL);
    assert_int_equal(v.money_short_fen, 1200);
}

static void money_rounding(void **state)
{
    (void)state;
    /* 1 元/kg × 5 g = 0.5 分: half rounds up to 1; 4.999999 g -> 0. */
    struct reweigh_verdict v = judge(REWEIGH_NONE, KG(1), G(995), 100, REWEIGH_HIGHER);
    assert_int_equal(v.money_short_fen, 1);
    v = judge(REWEIGH_NONE, KG(1), G(995) + 1, 100, REWEIGH_HIGHER);
    assert_int_equal(v.money_short_fen, 0);
    /* Over-weight: nothing short. */
    v = judge(REWEIGH_NONE, KG(1), G(1010), 100, REWEIGH_HIGHER);
    assert_int_equal(v.shortfall_ug, -G(10));
    assert_int_equal(v.money_short_fen, 0);
    assert_int_equal(v.outcome, REWEIGH_PASS);
}

static void methods(void **state)
{
    (void)state;
    /* Art. 6(3): equal accuracy doubles the limit. */
    struct reweigh_verdict v = judge(REWEIGH_MEAT_EGG_AQUATIC, KG(1), G(990), 0, REWEIGH_EQUAL);
    assert_int_equal(v.allowed_ug, G(10));
    assert_int_equal(v.outcome, REWEIGH_PASS);
    v = judge(REWEIGH_MEAT_EGG_AQUATIC, KG(1), G(990) - 1, 0, REWEIGH_EQUAL);
    assert_int_equal(v.outcome, REWEIGH_FAIL);
    v = judge(REWEIGH_MEAT_EGG_AQUATIC, KG(1), G(995), 0, REWEIGH_OWN);
    assert_int_equal(v.allowed_ug, G(5));
    enum reweigh_method m;
    assert_int_equal(reweigh_method_parse("equal", &m), SC_OK);
    assert_int_equal(m, REWEIGH_EQUAL);
    assert_int_equal(reweigh_method_parse("twice", &m), SC_ERR_PARSE);
    assert_string_equal(reweigh_method_id(REWEIGH_OWN), "own");
}

static void parsing_and_errors(void **state)
{
    (void)state;
    int64_t p = 0;
    assert_int_equal(reweigh_price_parse("80", &p), SC_OK);
    assert_int_equal(p, 8000);
    assert_int_equal(reweigh_price_parse("3.99\xe5\x85\x83/\xe6\x96\xa4", &p), SC_OK); /* 元/斤 */
    assert_int_equal(p, 798);
    assert_int_equal(reweigh_price_parse("8000\xe5\x88\x86/kg", &p), SC_OK);
    assert_int_equal(p, 8000);
    assert_int_equal(reweigh_price_parse("12.5yuan/kg", &p), SC_OK);
    assert_int_equal(p, 1250);
    assert_int_equal(reweigh_price_parse("1.005", &p), SC_ERR_RANGE);
    assert_int_equal(reweigh_price_parse("0", &p), SC_ERR_RANGE);
    assert_int_equal(reweigh_price_parse("-3", &p), SC_ERR_RANGE);
    assert_int_equal(reweigh_price_parse("12$/lb", &p), SC_ERR_PARSE);
    assert_int_equal(reweigh_price_parse("cheap", &p), SC_ERR_PARSE);
    enum reweigh_category c;
    assert_int_equal(reweigh_category_parse("fish", &c), SC_ERR_NOTFOUND);
    assert_non_null(strstr(sc_error_message(), "grain-veg-fruit"));
    size_t n;
    const struct reweigh_category_info *all = reweigh_categories(&n);
    assert_int_equal(n, 6);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(reweigh_category_parse(all[i].id, &c), SC_OK);
        assert_int_equal(c, all[i].cat);
        assert_int_equal((int)all[i].cat, (int)i + 1); /* reweigh.c indexes by cat - 1 */
        assert_ptr_equal(reweigh_category_info(c), &all[i]);
    }
    struct reweigh_input in = {REWEIGH_NONE, KG(1), KG(1), 0, REWEIGH_HIGHER, NULL, 0, REWEIGH_ROW_LARGER};
    struct reweigh_verdict v;
    assert_int_equal(reweigh_judge(&in, &v), SC_ERR_ARG);
    in.cat = REWEIGH_PREMIUM;
    in.charged_ug = 0;
    assert_int_equal(reweigh_judge(&in, &v), SC_ERR_ARG);
    in.charged_ug = KG(1);
    in.measured_ug = -1;
    assert_int_equal(reweigh_judge(&in, &v), SC_ERR_ARG);
}

static void reference_recorded(void **state)
{
    (void)state;
    struct reference ref;
    assert_int_equal(reference_init(&ref, REFERENCE_SCALE, "fair scale A-03",
                                    day_from_ymd(2026, 12, 31), G(1)), SC_OK);
    struct reweigh_input in = {REWEIGH_MEAT_EGG_AQUATIC, G(1000), G(950), 0, REWEIGH_HIGHER, &ref,
                               day_from_ymd(2026, 12, 31), REWEIGH_ROW_LARGER};
    struct reweigh_verdict v;
    /* MPE 1 g against a 5 g deviation: within 1/3 (1.666 g). */
    assert_int_equal(reweigh_judge(&in, &v), SC_OK);
    assert_string_equal(v.reference_id, "fair scale A-03");
    assert_int_equal(v.reference_valid_until, day_from_ymd(2026, 12, 31));
    assert_int_equal(v.outcome, REWEIGH_FAIL);
    /* The day after its calibration ran out: refused. */
    in.today = day_from_ymd(2027, 1, 1);
    assert_int_equal(reweigh_judge(&in, &v), SC_ERR_EXPIRED);
    assert_non_null(strstr(sc_error_message(), "reference scale 'fair scale A-03'"));
    /* Art. 6: MPE 2 g is more than 1/3 of 5 g. */
    in.today = day_from_ymd(2026, 11, 25);
    ref.mpe_ug = G(2);
    assert_int_equal(reweigh_judge(&in, &v), SC_ERR_INCONSISTENT);
    assert_non_null(strstr(sc_error_message(), "more than 1/3 of the negative deviation 5 g"));
    /* Without a reference the verdict says nothing of one. */
    in.reference = NULL;
    assert_int_equal(reweigh_judge(&in, &v), SC_OK);
    assert_string_equal(v.reference_id, "");
}

static void officer_override(void **state)
{
    (void)state;
    /* Beef at 80 元/kg, 5 kg, 8 g short: the larger row (meat, 10 g) passes;
     * the officer's choice of the price band's row (6 g) fails it. */
    struct reweigh_input in = {REWEIGH_MEAT_EGG_AQUATIC, KG(5), KG(5) - G(8), 8000, REWEIGH_HIGHER,
                               NULL, 0, REWEIGH_ROW_LARGER};
    struct reweigh_verdict v;
    assert_int_equal(reweigh_judge(&in, &v), SC_OK);
    assert_int_equal(v.outcome, REWEIGH_PASS);
    in.row = REWEIGH_ROW_PRICE;
    assert_int_equal(reweigh_judge(&in, &v), SC_OK);
    assert_int_equal(v.cat, REWEIGH_DRIED_DELICACY);
    assert_int_equal(v.allowed_ug, G(6));
    assert_int_equal(v.outcome, REWEIGH_FAIL);
    assert_non_null(strstr(v.reason, "chosen by the officer"));
    in.row = REWEIGH_ROW_KIND;
    assert_int_equal(reweigh_judge(&in, &v), SC_OK);
    assert_int_equal(v.allowed_ug, G(10));
    /* An override needs what it names. */
    in.cat = REWEIGH_NONE;
    assert_int_equal(reweigh_judge(&in, &v), SC_ERR_ARG);
    in.cat = REWEIGH_GOLD;
    in.row = REWEIGH_ROW_PRICE;
    assert_int_equal(reweigh_judge(&in, &v), SC_ERR_ARG);
    enum reweigh_row r;
    assert_int_equal(reweigh_row_parse("price", &r), SC_OK);
    assert_int_equal(r, REWEIGH_ROW_PRICE);
    assert_int_equal(reweigh_row_parse("cheapest", &r), SC_ERR_PARSE);
    assert_string_equal(reweigh_row_id(REWEIGH_ROW_KIND), "kind");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_examples),
        cmocka_unit_test(boundaries),
        cmocka_unit_test(price_bands),
        cmocka_unit_test(money_rounding),
        cmocka_unit_test(methods),
        cmocka_unit_test(parsing_and_errors),
        cmocka_unit_test(reference_recorded),
        cmocka_unit_test(officer_override),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
