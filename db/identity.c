/* The device's identity: its key shown for enrolment, a new one for a copy. */
#include "db/identity.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "db/audit.h"

int identity_public_key(struct db *db, char out[DEVICE_KEY_HEX])
{
    int rc = device_key_recorded(db, out);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    /* No key recorded yet: make it, with its chain entry, now. */
    if ((rc = db_begin(db)) < 0)
        return rc;
    if ((rc = audit_key_ensure(db)) < 0) {
        db_rollback(db);
        return rc;
    }
    if ((rc = db_commit(db)) < 0)
        return rc;
    rc = device_key_recorded(db, out);
    return rc < 0 ? rc : 0;
}

int identity_new(struct db *db, char out[DB_UUID_LEN])
{
    char old[DB_UUID_LEN], fresh[DB_UUID_LEN];
    snprintf(old, sizeof old, "%s", db_device_id(db));
    db_uuid_random(fresh);
    int rc = db_begin(db), made = 0;
    if (rc < 0)
        return rc;
    /* The new key names the device it replaces; its "device" entry follows
     * (no adoption: the predecessor's key adopted what there was). */
    if ((rc = db_set_device_id(db, fresh)) < 0 ||
        (rc = device_key_ensure(db, old, &made)) < 0)
        goto fail;
    int64_t seq = audit_append(db, "device", fresh);
    if (seq < 0) {
        rc = (int)seq;
        goto fail;
    }
    if ((rc = db_commit(db)) < 0)
        goto fail_committed;
    memcpy(out, fresh, DB_UUID_LEN);
    return 0;
fail:
    db_rollback(db);
fail_committed:
    /* The device id in memory goes back with the transaction. */
    {
        char keep[512];
        snprintf(keep, sizeof keep, "%s", sc_error_message());
        db_set_device_id(db, old);
        sc_error_set(rc, "%s", keep);
    }
    return rc;
}
