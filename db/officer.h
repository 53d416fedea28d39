/* Officers: who may sign in, with which role.  PINs are kept only as
 * Argon2id hashes (libsodium crypto_pwhash_str, interactive limits).  After
 * OFFICER_MAX_FAILED wrong PINs in a row a badge is locked for
 * OFFICER_LOCK_MINUTES; a right PIN resets the count.  Adding an officer,
 * changing a PIN and recusals are audited ("officer" records). */
#ifndef STALLCHECK_DB_OFFICER_H
#define STALLCHECK_DB_OFFICER_H

#include <stddef.h>

#include "db/db.h"

#define OFFICER_MAX_FAILED 5
#define OFFICER_LOCK_MINUTES 15
#define OFFICER_BADGE 24
#define OFFICER_NAME 96
#define OFFICER_HASH_LEN 128  /* >= crypto_pwhash_STRBYTES */
#define OFFICER_PIN_MIN 4
#define OFFICER_PIN_MAX 12

enum officer_role {
    ROLE_OFFICER,   /* 执法人员: inspections */
    ROLE_METROLOGY, /* 计量检定人员: calibrations */
    ROLE_MANAGER,   /* 市场管理方: one market's scorecards and list */
    ROLE_ADMIN,     /* registry, officers, sync */
};

/* "officer", "metrology", "manager", "admin". */
const char *officer_role_id(enum officer_role role);
/* SC_ERR_PARSE when unknown. */
int officer_role_parse(const char *text, enum officer_role *out);

struct officer {
    char badge[OFFICER_BADGE];
    char name[OFFICER_NAME];
    enum officer_role role;
    char market[48];          /* a manager's market; "" otherwise */
    int active;
    int failed_pins;          /* wrong PINs in a row (signin_failures) */
    char locked_until[24];    /* UTC time, "" when not locked */
};

/* A PIN is 4 to 12 ASCII digits: typed on a handheld's keypad with gloves. */
int officer_pin_valid(const char *pin);

/* Hashes a PIN with Argon2id (interactive limits).  Slow on purpose (about
 * 0.1 s); generators hash once and use officer_add_hashed. */
int officer_hash_pin(const char *pin, char out[OFFICER_HASH_LEN]);

/* The same with a given 16-byte salt instead of a random one: for
 * generators that must be reproducible (demo-data).  The result is the
 * standard "$argon2id$v=19$m=65536,t=2,p=1$SALT$HASH" string that
 * crypto_pwhash_str_verify checks. */
int officer_hash_pin_salted(const char *pin, const unsigned char salt[16],
                            char out[OFFICER_HASH_LEN]);

/* Adds an officer (SC_ERR_EXISTS when the badge is taken). */
int officer_add(struct db *db, const struct officer *o, const char *pin);
int officer_add_hashed(struct db *db, const struct officer *o, const char *pin_hash);

/* 0 or SC_ERR_NOTFOUND. */
int officer_find(struct db *db, const char *badge, struct officer *out);
/* Ordered by badge; fn returning non-zero stops and is returned. */
int officer_list(struct db *db, int (*fn)(const struct officer *, void *), void *arg);

/* Checks a PIN at sign-in.  0: right (the failure count is reset).
 * SC_ERR_DENIED: unknown badge, inactive, or wrong PIN (the message says how
 * many tries are left).  SC_ERR_LOCKED: locked (the message says until
 * when); a locked badge is not checked at all, so guessing gains nothing.
 * Failures are counted per badge text, known or not, and an unknown badge's
 * PIN is hashed like a known one's: neither the words nor the time tell
 * whether a badge exists.  The attempt is counted before the PIN is hashed
 * (one IMMEDIATE transaction), so parallel guesses get OFFICER_MAX_FAILED
 * checks in all, not each.  Not inside a transaction (SC_ERR_ARG). */
int officer_check_pin(struct db *db, const char *badge, const char *pin);

/* The run of wrong PINs typed for a badge (counted per badge text, as
 * officer_check_pin does) and the lock it set ("" when none): for a
 * sign-in screen's "3 tries left" and "locked until 09:15" in its own
 * language.  A badge with no failures: 0 and "". */
int officer_signin_failures(struct db *db, const char *badge, int *failed, char *locked_until,
                            size_t size);

/* Sets a new PIN and clears any lock. */
int officer_set_pin(struct db *db, const char *badge, const char *pin);

/* Conflicts of interest: the draw skips this officer for that market. */
int officer_add_recusal(struct db *db, const char *badge, const char *market,
                        const char *reason);
/* 1 when recused, 0 when not, or SC_ERR_*. */
int officer_is_recused(struct db *db, const char *badge, const char *market);

#endif
