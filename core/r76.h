/* Non-automatic weighing instruments: accuracy classes, the consistency of
 * a scale's class, Max, Min, e, d and n, and the maximum permissible error
 * (MPE).  OIML R76-1 (2006); JJG 539-2016 (数字指示秤检定规程, digital
 * indicating scales) takes the same tables for its classes ③ and ④.
 *
 * Masses are int64 µg (core/mass.h).  Every valid e is at least 1 mg, so
 * ½ e and 1.5 e are exact in µg: no rounding anywhere here.
 *
 * Single-interval and multi-interval instruments ("Max 6/15 kg, e = 2/5 g":
 * one range, the interval growing with the load, R76-1 3.3) are handled.
 * Multiple-range instruments (several ranges each from zero, the range in
 * use chosen by the instrument or the user, R76-1 3.2) are refused with
 * SC_ERR_UNSUPPORTED rather than judged with the wrong e. */
#ifndef STALLCHECK_CORE_R76_H
#define STALLCHECK_CORE_R76_H

#include <stdbool.h>
#include <stdint.h>

enum r76_class { R76_CLASS_I = 1, R76_CLASS_II, R76_CLASS_III, R76_CLASS_IIII };

/* Which MPE applies (R76-1 3.5.1, 3.5.2; JJG 539: 首次检定/后续检定 use
 * the table, 使用中检查 twice it). */
enum r76_stage {
    R76_VERIFICATION = 0, /* initial and subsequent verification */
    R76_IN_SERVICE = 1,   /* in-service inspection: twice the verification MPE */
};

/* Parses a class: "I", "II", "III", "IIII" (any case, also "IV"), the
 * circled marks of Chinese scale plates ①②③④, the Unicode Roman numerals
 * ⅠⅡⅢ, or the digits 1-4.  SC_ERR_PARSE with a message otherwise. */
int r76_class_parse(const char *text, enum r76_class *out);

/* "I", "II", "III", "IIII"; "?" for a value outside the enum. */
const char *r76_class_name(enum r76_class cls);

/* True when v is 1, 2 or 5 × 10^k µg (k >= 0): the only values e, d and
 * every scale interval may take (R76-1 3.1.2). */
bool r76_interval_valid(int64_t v_ug);

/* Checks that a single-interval scale's class, Max, Min, e and d agree with
 * R76-1 (3.1.2, 3.2, 3.4.1-3.4.4, Table 3), and gives n = Max / e.  With
 * d < e (classes I and II only): d < e <= 10 d, e a power of ten, Min
 * counted in d; class I with d < 1 mg has e = 1 mg, and with d < 0.1 mg
 * may have n below 50 000.
 *   min_ug  0 = not given (the Min check is skipped)
 *   d_ug    0 = not given (d = e)
 * SC_ERR_INCONSISTENT with the reason in sc_error_message(), e.g.
 * "class III with e = 5 g needs n >= 500, got 100"; SC_ERR_ARG for a
 * negative or zero Max/e.  *n_out (may be NULL) is set whenever Max is a
 * multiple of e, even when another rule fails. */
int r76_check(enum r76_class cls, int64_t max_ug, int64_t min_ug, int64_t e_ug,
              int64_t d_ug, int64_t *n_out);

/* The lower limit of Min for this class and e (R76-1 Table 3): 100 e, 20 e,
 * 50 e, 20 e or 10 e; counted in d when d < e (3.4.3); d_ug 0 = d = e.
 * SC_ERR_INCONSISTENT when e is outside the class. */
int r76_min_limit(enum r76_class cls, int64_t e_ug, int64_t d_ug, int64_t *min_ug);

/* The MPE (a positive magnitude: the error must lie within ± it) for a load
 * on a scale of this class and e (R76-1 Table 6; ×2 in service, 3.5.2).
 * The load is the net or gross load alike (3.5.3.3).  A load exactly at a
 * change point takes the smaller MPE (e.g. class III: m <= 500 e is ±0.5 e).
 * SC_ERR_RANGE for a negative load or one beyond the table (class III above
 * 10 000 e); SC_ERR_INCONSISTENT for an e the class does not allow. */
int r76_mpe(enum r76_class cls, int64_t e_ug, int64_t load_ug, enum r76_stage stage,
            int64_t *mpe_ug);

/* The loads (in µg, ascending) where the MPE changes for this class and e,
 * those at or below max_ug only: class III 500 e and 2 000 e, class II
 * 5 000 e and 20 000 e, ...  Returns how many were written (0-2). */
int r76_change_points(enum r76_class cls, int64_t e_ug, int64_t max_ug, int64_t out_ug[2]);

/* A weighing instrument as declared on its plate. */
#define R76_MAX_PARTS 3
enum r76_scheme {
    R76_SINGLE = 0,        /* one range, one e */
    R76_MULTI_INTERVAL,    /* one range split into partial ranges e1 < e2 ... (R76-1 3.3) */
    R76_MULTI_RANGE,       /* two or more ranges, each 0..Max_i: refused */
};

struct r76_instrument {
    enum r76_class cls;
    enum r76_scheme scheme;
    int parts;                         /* 1 for R76_SINGLE */
    int64_t max_ug[R76_MAX_PARTS];     /* Max of each part, ascending */
    int64_t e_ug[R76_MAX_PARTS];       /* e of each part, ascending */
    int64_t min_ug;                    /* 0 = not given */
    int64_t d_ug;                      /* 0 = d = e */
    int64_t n;                         /* set by r76_instrument_check: Max / e of
                                          the last (or only) partial range */
    int64_t n_part[R76_MAX_PARTS];     /* n_i = Max_i / e_i, set likewise */
};

/* Fills a single-interval instrument (scheme R76_SINGLE, parts 1). */
void r76_instrument_single(struct r76_instrument *in, enum r76_class cls, int64_t max_ug,
                           int64_t min_ug, int64_t e_ug, int64_t d_ug);

/* r76_check for the instrument, setting in->n and in->n_part.  For a
 * multi-interval instrument (R76-1 3.3): e_i and Max_i growing, each
 * partial range within Table 3 (Min with the first), Max_i / e_(i+1) per
 * Table 4, no d < e; the message names the partial range at fault.
 * SC_ERR_UNSUPPORTED for multiple-range instruments. */
int r76_instrument_check(struct r76_instrument *in);

/* The partial range (0-based) that holds a load: the first with
 * load <= Max_i; SC_ERR_RANGE above Max. */
int r76_instrument_part(const struct r76_instrument *in, int64_t load_ug);

/* The MPE for a load on a checked instrument, in the e of the partial range
 * holding it; SC_ERR_RANGE for a load above Max (its indication is outside
 * what the instrument may show for trade) or below zero; SC_ERR_UNSUPPORTED
 * as above. */
int r76_instrument_mpe(const struct r76_instrument *in, int64_t load_ug,
                       enum r76_stage stage, int64_t *mpe_ug);

#endif
