/* Re-weigh (复秤, fùchèng) verdicts for retail goods sold by weight, from
 * 《零售商品称重计量监督管理办法》 (Measures for the metrological supervision
 * of retail goods sold by weight: AQSIQ/SAIC Order No. 66, 2004, amended by
 * SAMR Order No. 31, 2020).  Its Table 1 (附表1, food) and Table 2 (附表2,
 * gold and silver jewellery) give, per category and range of the mass
 * charged (结算重量), the allowed negative deviation (负偏差); Art. 5 says
 * the true mass may fall short of the mass charged by no more than that.
 *
 * Masses are int64 µg (core/mass.h), prices int64 分 per kg, money int64 分.
 * No float anywhere. */
#ifndef STALLCHECK_CORE_REWEIGH_H
#define STALLCHECK_CORE_REWEIGH_H

#include <stddef.h>
#include <stdint.h>

#include "core/day.h"
#include "core/reference.h"

enum reweigh_category {
    REWEIGH_NONE = 0,
    REWEIGH_GRAIN_VEG_FRUIT,   /* 附表1 row 1: 粮食、蔬菜、水果, or <= 6 元/kg */
    REWEIGH_MEAT_EGG_AQUATIC,  /* 附表1 row 2: 肉、蛋、禽、海(水)产品..., or 6-30 元/kg */
    REWEIGH_DRIED_DELICACY,    /* 附表1 row 3: 干菜、山(海)珍品, or 30-100 元/kg */
    REWEIGH_PREMIUM,           /* 附表1 row 4: food above 100 元/kg */
    REWEIGH_GOLD,              /* 附表2: 金饰品, per piece */
    REWEIGH_SILVER,            /* 附表2: 银饰品, per piece */
    REWEIGH_CATEGORY_COUNT
};

/* Art. 6: how the goods were re-weighed.  It decides the limit. */
enum reweigh_method {
    /* (二) 高准确度称重计量器具核称法: on a more accurate instrument (the
     * officer's reference scale, the market's fair scale 公平秤). */
    REWEIGH_HIGHER = 0,
    /* (一) 原计量器具核称法: on the seller's own scale, with check weights
     * equal to the mass charged. */
    REWEIGH_OWN,
    /* (三) 等准确度称重计量器具核称法: on an instrument of the same accuracy;
     * the difference may then reach twice the negative deviation. */
    REWEIGH_EQUAL,
};

/* Where the goods were re-weighed, as the record keeps it (reweighs.method):
 * on the officer's reference scale or the market's fair scale (公平秤),
 * both Art. 6 (二); on the seller's own scale with check weights, (一); on
 * one of equal accuracy, (三). */
enum reweigh_at {
    REWEIGH_AT_REFERENCE = 0,
    REWEIGH_AT_FAIR,
    REWEIGH_AT_OWN,
    REWEIGH_AT_EQUAL,
    REWEIGH_AT_COUNT
};

/* "reference", "fair", "own", "equal" (one table); parse: SC_ERR_PARSE. */
const char *reweigh_at_id(enum reweigh_at at);
int reweigh_at_parse(const char *text, enum reweigh_at *out);
/* Art. 6's method for a place: reference and fair are REWEIGH_HIGHER. */
enum reweigh_method reweigh_at_method(enum reweigh_at at);

struct reweigh_category_info {
    enum reweigh_category cat;
    const char *id;        /* "grain-veg-fruit", ... (stable; stored) */
    const char *table;     /* "附表1" or "附表2" */
    const char *name_zh;   /* the goods as the measures name them */
    const char *name_en;
    int64_t price_lo_fen;  /* price band (分/kg): above lo ... */
    int64_t price_hi_fen;  /* ... up to and including hi; 0 = no upper bound;
                              -1 = no price band (Table 2) */
};

/* One band of a category's row: lo < m <= hi_ug, lo being the previous
 * band's hi (0 for the first). */
struct reweigh_band {
    int64_t hi_ug;
    int64_t deviation_ug;
    const char *text; /* "1 kg < m <= 2 kg" */
};

/* The bands of a category, ascending; NULL and 0 for REWEIGH_NONE. */
const struct reweigh_band *reweigh_bands(enum reweigh_category cat, size_t *count);

/* 附表1's footnote: goods the table does not cover. */
#define REWEIGH_EXCLUDED_ZH "活禽、活鱼、水发物"
#define REWEIGH_EXCLUDED_EN "live poultry, live fish and soaked goods"

/* The six categories, in table order. */
const struct reweigh_category_info *reweigh_categories(size_t *count);
const struct reweigh_category_info *reweigh_category_info(enum reweigh_category cat);

/* "grain-veg-fruit" ... "silver"; SC_ERR_NOTFOUND with the list otherwise. */
int reweigh_category_parse(const char *id, enum reweigh_category *out);

/* The Table 1 row whose price band holds this unit price (分/kg, > 0). */
int reweigh_category_by_price(int64_t price_fen_per_kg, enum reweigh_category *out);

/* Parses "--method": "higher" / "own" / "equal"; SC_ERR_PARSE otherwise. */
int reweigh_method_parse(const char *text, enum reweigh_method *out);
const char *reweigh_method_id(enum reweigh_method m);

/* The table's negative deviation for the mass charged (Table 1 / Table 2),
 * and the band as text ("1 kg < m <= 2 kg").  SC_ERR_RANGE, with a message
 * naming the table's range, when the mass is outside it (Art. 5 applies
 * only "在本办法附表1、附表2称重范围内"). */
int reweigh_deviation(enum reweigh_category cat, int64_t charged_ug, int64_t *deviation_ug,
                      const char **band);

/* Parses a unit price: "80" and "80元/kg" are 元 per kg; "40元/斤" per jin
 * (500 g); "8000分/kg" 分 per kg.  Exact to 1 分/kg or SC_ERR_RANGE. */
int reweigh_price_parse(const char *text, int64_t *fen_per_kg);

enum reweigh_outcome {
    REWEIGH_PASS = 0,
    REWEIGH_FAIL,
    REWEIGH_OUTSIDE, /* the mass charged is outside the table: no verdict */
    REWEIGH_OUTCOME_COUNT
};

/* The stored form of an outcome: "pass", "fail", "outside" (one table; the
 * database's reweighs.verdict holds it).  parse: SC_ERR_PARSE if unknown. */
const char *reweigh_outcome_id(enum reweigh_outcome o);
int reweigh_outcome_parse(const char *text, enum reweigh_outcome *out);

/* The outcome that a shortfall and an allowed deviation make (Art. 5: pass
 * when shortfall <= allowed; has_allowed 0: outside the table, no verdict). */
enum reweigh_outcome reweigh_outcome_of(int has_allowed, int64_t allowed_ug, int64_t shortfall_ug);

/* Which row applies when the kind of goods and the price band differ. */
enum reweigh_row {
    REWEIGH_ROW_LARGER = 0, /* the larger deviation: benefit of the doubt (default) */
    REWEIGH_ROW_KIND,       /* the officer's override: the kind of goods' row */
    REWEIGH_ROW_PRICE,      /* the officer's override: the price band's row */
};

/* "larger" / "kind" / "price"; SC_ERR_PARSE otherwise. */
int reweigh_row_parse(const char *text, enum reweigh_row *out);
const char *reweigh_row_id(enum reweigh_row row);

struct reweigh_input {
    enum reweigh_category cat;  /* REWEIGH_NONE: chosen by price */
    int64_t charged_ug;         /* 结算重量, > 0 */
    int64_t measured_ug;        /* re-weighed (核称) mass, >= 0 */
    int64_t price_fen_per_kg;   /* 0 = not given */
    enum reweigh_method method;
    /* The reference the goods were re-weighed on (the officer's scale, the
     * fair scale) or the check weights (REWEIGH_OWN); NULL = not recorded.
     * When given it must be in date on `today` (SC_ERR_EXPIRED), and its
     * MPE, when declared, no more than 1/3 of the negative deviation
     * (Art. 6; SC_ERR_INCONSISTENT). */
    const struct reference *reference;
    day_t today;
    enum reweigh_row row;       /* REWEIGH_ROW_KIND needs cat, _PRICE a food price */
};

struct reweigh_verdict {
    enum reweigh_outcome outcome;
    enum reweigh_category cat;  /* the row applied */
    const char *band;           /* its mass range, "" when outside */
    int64_t deviation_ug;       /* the table's negative deviation */
    int64_t allowed_ug;         /* the limit: deviation, ×2 for REWEIGH_EQUAL */
    int64_t shortfall_ug;       /* charged - measured; negative = over-weight */
    int has_money;
    int64_t money_short_fen;    /* price × shortfall, rounded half up to 1 分 */
    char reason[320];           /* one line saying why, with the clause */
    char reference_id[REFERENCE_ID_MAX]; /* "" when not recorded */
    day_t reference_valid_until;
};

/* Judges one re-weigh.  Where both a category and a price are given and
 * they point to different rows (beef at 80 元/kg: 肉 by kind, 30-100 元/kg
 * by price), the row with the larger deviation for this mass is applied,
 * benefit of the doubt to the seller, and the reason says so.
 * Errors (SC_ERR_ARG): no category and no price, a mass <= 0, a negative
 * re-weighed mass, a gold/silver category with only a price. */
int reweigh_judge(const struct reweigh_input *in, struct reweigh_verdict *out);

#endif
