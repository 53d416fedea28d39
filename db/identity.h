/* This handheld's identity as an admin meets it: the public key it enrols
 * on the district, and a new identity for a database that is a copy.  Above
 * db/audit.h (the chain) and db/device.h (the key store and signatures),
 * which it joins: a key made here enters the chain the way the first audit
 * entry would enter it. */
#ifndef STALLCHECK_DB_IDENTITY_H
#define STALLCHECK_DB_IDENTITY_H

#include "db/db.h"
#include "db/device.h"

/* This database's public key (hex), making the key when there is none
 * yet: what an admin enrols on the district.  Writes (in its own
 * transaction) only when it makes the key.  SC_ERR_DENIED for a copy. */
int identity_public_key(struct db *db, char out[DEVICE_KEY_HEX]);

/* Gives this database a new device id and key (an admin's act on a copy),
 * keeping every record: a "device" entry names the device it replaces.
 * Its own transaction.  The new id in out. */
int identity_new(struct db *db, char out[DB_UUID_LEN]);

#endif
