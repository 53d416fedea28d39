/* The registry: markets, stall operators, stalls, measuring instruments and
 * reference weight sets, as the district keeps them (imported from CSV,
 * synced back from the district).  Natural keys: market code, operator
 * licence (USCC, 统一社会信用代码), stall code, instrument code, weight-set
 * code.
 *
 * registry_put_* insert or update one record and append an audit entry, in
 * one transaction (nested in the caller's when there is one).  They return 1
 * when something was written, 0 when the stored record was already the same
 * (so a re-import changes nothing, not even updated_at), or SC_ERR_*.  They
 * store what they are given: validating it (licence check digit, R76
 * consistency) is the caller's job (cli/cmd_registry.c).
 *
 * Text fields are NUL-terminated UTF-8 in fixed arrays; "" means unset (an
 * empty optional reference is stored as NULL).  Lists call fn for each
 * record; fn returning non-zero stops the walk and is returned. */
#ifndef STALLCHECK_DB_REGISTRY_H
#define STALLCHECK_DB_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define REG_CODE 48   /* codes: market, stall, instrument, weight set */
#define REG_NAME 160  /* names, addresses (UTF-8: about 50 Chinese characters) */
#define REG_DATE 11   /* "YYYY-MM-DD" */
#define USCC_LEN 19   /* 18 characters + NUL */

/* The domain of the district key's signature over a registry record
 * ("district\nkind\nrecord\nversion\ncontent hash"): the district signs
 * with it (db/ingest_registry.h), a handheld checks it (db/sync_pull.h). */
#define REGISTRY_SIGN_DOMAIN "stallcheck registry v1"

struct market {
    char code[REG_CODE];
    char name[REG_NAME];
    char district[REG_NAME];  /* 区 */
    char address[REG_NAME];
    char organiser[REG_NAME]; /* 市场开办者 */
};

struct stall_operator {
    char licence[USCC_LEN];   /* 18-char unified social credit code */
    char name[REG_NAME];
    char phone[32];
};

struct stall {
    char code[REG_CODE];
    char market[REG_CODE];
    char name[REG_NAME];
    char category[24];        /* core/category.h id: vegetables, meat, ... */
    char operator_licence[USCC_LEN]; /* "" when unknown */
    int active;               /* 0: closed, kept for history */
};

/* Instrument kinds, as stored. */
#define INSTRUMENT_KINDS "price-computing, platform, fair, reference, meter"
int instrument_kind_valid(const char *kind);

struct instrument {
    char code[REG_CODE];
    char kind[16];            /* price-computing (电子计价秤), platform (台秤),
                                 fair (公平秤), reference, meter */
    char market[REG_CODE];
    char stall[REG_CODE];     /* "" for a market's fair or reference scale */
    char maker[REG_NAME];
    char model[64];
    char serial[64];
    char cls[8];              /* "I", "II", "III", "IIII"; "" for a meter */
    int64_t max_ug, min_ug, e_ug, d_ug;
    char mark_no[64];         /* 检定合格标志 number */
    char seal_no[64];         /* 封印 number */
    char last_verified[REG_DATE];
    char due[REG_DATE];       /* next verification due */
    char protocol[32];        /* devices/ driver */
    char conn[256];           /* "DRIVER:conn=/dev/ttyUSB0:serialcomm=9600/8n1" */
    int active;
};

struct weight_item {
    int64_t nominal_ug;
    int count;
    int has_error;
    int64_t error_ug;         /* conventional-mass error from its certificate */
};

#define WEIGHT_SET_MAX_ITEMS 32
struct weight_set {
    char code[REG_CODE];
    char name[REG_NAME];
    char cls[8];              /* OIML R111: E1 E2 F1 F2 M1 M12 M2 M23 M3 */
    char market[REG_CODE];    /* "" for a district set */
    char certificate_no[64];
    char calibration_due[REG_DATE];
    char standard_name[REG_NAME];  /* the measurement standard it belongs to (计量标准) */
    char standard_cert_no[64];     /* that standard's 计量标准考核证书号 */
    size_t nitems;
    struct weight_item items[WEIGHT_SET_MAX_ITEMS];
};

int registry_put_market(struct db *db, const struct market *m);
int registry_put_operator(struct db *db, const struct stall_operator *o);
int registry_put_stall(struct db *db, const struct stall *s);
int registry_put_instrument(struct db *db, const struct instrument *in);
int registry_put_weight_set(struct db *db, const struct weight_set *ws);

/* 0, or SC_ERR_NOTFOUND. */
int registry_find_market(struct db *db, const char *code, struct market *out);
int registry_find_operator(struct db *db, const char *licence, struct stall_operator *out);
int registry_find_stall(struct db *db, const char *code, struct stall *out);
int registry_find_instrument(struct db *db, const char *code, struct instrument *out);
int registry_find_weight_set(struct db *db, const char *code, struct weight_set *out);

int registry_list_markets(struct db *db, int (*fn)(const struct market *, void *), void *arg);
int registry_list_operators(struct db *db, int (*fn)(const struct stall_operator *, void *),
                            void *arg);
/* market NULL: every stall.  Ordered by code. */
int registry_list_stalls(struct db *db, const char *market,
                         int (*fn)(const struct stall *, void *), void *arg);
/* The instruments of one stall. */
int registry_instruments_by_stall(struct db *db, const char *stall,
                                  int (*fn)(const struct instrument *, void *), void *arg);
/* The instruments of a market (stalls' and the market's own); kind NULL for
 * all kinds.  market NULL: every instrument. */
int registry_instruments_by_market(struct db *db, const char *market, const char *kind,
                                   int (*fn)(const struct instrument *, void *), void *arg);
int registry_list_weight_sets(struct db *db, const char *market,
                              int (*fn)(const struct weight_set *, void *), void *arg);

/* Counts, for summaries: "markets", "operators", "stalls", "instruments",
 * "weight_sets". */
int64_t registry_count(struct db *db, const char *table);

#endif
