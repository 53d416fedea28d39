/* This handheld's identity: its device id and its Ed25519 signing key
 * (libsodium crypto_sign), with which every audit entry is signed.
 *
 * The key is made on first use (the first audit entry the database writes)
 * and never enters the database, a sync or a printout.  It is kept in the
 * key store, a directory of this machine's user: $STALLCHECK_KEYS, else
 * $XDG_DATA_HOME/stallcheck/keys, else ~/.local/share/stallcheck/keys;
 * mode 0700, one file DEVICE-ID.key of mode 0600 per device, which also
 * names the database file it belongs to (st_dev:st_ino and path).  Copying
 * the database therefore does not copy the key: a copy (or a database whose
 * device id was edited) finds no key of its own and writes nothing until an
 * admin gives it its own identity (identity_new, db/identity.h), keeping
 * its records.
 *
 * The public key is in the chain itself: table device_keys, audit kind
 * "device".  The district holds the same key from the device's enrolment.
 * This module keeps keys and makes and checks signatures; it writes no
 * audit entry: db/audit.c enters a new key in the chain. */
#ifndef STALLCHECK_DB_DEVICE_H
#define STALLCHECK_DB_DEVICE_H

#include <stddef.h>

#include "db/db.h"

#define DEVICE_KEY_HEX 65  /* 32-byte public key in hex + NUL */
#define DEVICE_SIG_HEX 129 /* 64-byte signature in hex + NUL */

/* The key store directory ($STALLCHECK_KEYS, $XDG_DATA_HOME, $HOME);
 * SC_ERR_NOTFOUND when none can be named. */
int device_key_dir(char *out, size_t size);

/* Loads this database's key, making it (key store + device_keys row,
 * naming predecessor, or NULL) when the database records none yet: made is
 * then 1, and the caller enters the key in the chain (audit_key_ensure).
 * Inside the caller's transaction.  SC_ERR_DENIED when this database is a
 * copy: the message says what an admin does. */
int device_key_ensure(struct db *db, const char *predecessor, int *made);

/* Signs an audit entry's chain hash (64 hex) with this database's device
 * key (made first by device_key_ensure).  SC_ERR_DENIED for a copy,
 * SC_ERR_NOTFOUND when there is no key yet. */
int device_sign_entry(struct db *db, const char *hash, char sig[DEVICE_SIG_HEX]);

/* Whether a signature (hex) of an entry's hash is the device's (public key
 * in hex): 1 yes, 0 no (also for malformed hex).  Pure. */
int device_verify_entry(const char *public_key, const char *hash, const char *sig);

/* Signatures of other texts, with a domain of their own (the district's
 * registry rows, its log): message = domain + "\n" + text. */
int device_verify_text(const char *public_key, const char *domain, const char *text,
                       size_t len, const char *sig);

/* 0 when this database may sign (its key is here and is its own), else
 * SC_ERR_DENIED with why and what to do in sc_error_message().  Read-only. */
int device_check(struct db *db);

/* This database's public key (hex) when it is made and recorded: 1 and the
 * key in out; 0 when there is none yet (identity_public_key makes it).
 * Read-only; SC_ERR_DENIED for a copy. */
int device_key_recorded(struct db *db, char out[DEVICE_KEY_HEX]);

/* The district office's own key (db/enrol.h), kept in this machine's key
 * store as district-ID.key: loaded, or made when make is set and there is
 * none (SC_ERR_NOTFOUND otherwise). */
int device_office_key(const char *district_id, int make, char pk[DEVICE_KEY_HEX],
                      unsigned char sk[64]);

/* Signs a text with a domain (message = domain + "\n" + text). */
void device_sign_text(const unsigned char sk[64], const char *domain, const char *text,
                      size_t len, char sig[DEVICE_SIG_HEX]);

/* The key store's file for a device (for messages and tests). */
int device_key_path(const char *device, char *out, size_t size);

#endif
