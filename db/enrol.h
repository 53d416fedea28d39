/* The district's trust in handhelds: enrolled devices with their public
 * keys, the district's own signing key and log, and the schema that fences
 * handhelds in (PostgreSQL roles and row-level security).
 *
 * Roles (made by sync --init): stallcheck_handheld, a group role without
 * login: INSERT on inbox (row-level security: only rows of the device
 * enrolled to the login role, while it is active); SELECT on the registry,
 * its signatures, district_info, the lists and the audit entries; SELECT on
 * refusals of its own device.  Nothing else: no handheld writes a final
 * table.  Each enrolled device gets a login role of its own, sc_ + the first
 * 12 hex digits of its id, member of stallcheck_handheld, with a random
 * password.  The office's command (stallcheck district) uses the owner's
 * connection.
 *
 * The district log (district_log) is a hash chain like the handheld's,
 * each entry signed by the district's key: enrolments, retirements,
 * replacements, registry changes, rules.  The district key lives in the
 * office machine's key store (db/device.h) as district-ID.key; its public
 * half is in district_info (key 'district_key') for handhelds to check
 * against what the office tells them. */
#ifndef STALLCHECK_DB_ENROL_H
#define STALLCHECK_DB_ENROL_H

#include <stddef.h>

#include "db/device.h"

struct pg_conn; /* libpq's PGconn */

/* The trust schema and roles, inside sync --init's transaction. */
int enrol_schema(struct pg_conn *c);

/* The district key: loaded from this machine's key store, or made (and
 * recorded in district_info) when make is set and the district has none.
 * SC_ERR_NOTFOUND when the district has a key this machine does not hold.
 * Inside a transaction of the caller's when made. */
int enrol_district_key(struct pg_conn *c, int make, char pk[DEVICE_KEY_HEX],
                       unsigned char sk[64]);

/* Appends a signed entry to the district log; seq returned (> 0). */
long long enrol_log(struct pg_conn *c, const unsigned char sk[64], const char *actor,
                    const char *action, const char *subject, const char *detail);

struct enrol_request {
    const char *device;      /* the handheld's device id (device show) */
    const char *public_key;  /* its public key, 64 hex */
    const char *actor;       /* who enrols: "BADGE name", or "bootstrap (role)" */
    const char *replaces;    /* a device this one replaces (retired), or NULL */
    const char *note;        /* free text, or NULL */
    int registry;            /* may change the registry (the office's handheld) */
};

struct enrol_result {
    char role[40];           /* its PostgreSQL login role */
    char password[40];       /* a fresh random password for it */
    long long log_seq;       /* the district log entry */
};

/* Enrols a device (admin's act on the district, url = the owner's
 * connection): checks the id and key, refuses a device or key already
 * enrolled and a device whose record-id tag another enrolled device has;
 * makes its login role; records and logs it.  One transaction. */
int enrol_device(const char *url, const struct enrol_request *rq, struct enrol_result *out);

/* The same inside sync --init's transaction (the office's own handheld). */
int enrol_device_in(struct pg_conn *c, const unsigned char sk[64],
                    const struct enrol_request *rq, struct enrol_result *out);

/* Retires a device: its role can no longer log in, what it still pushes is
 * refused.  Logged with why. */
int enrol_retire(const char *url, const char *device, const char *actor, const char *why);

/* The admin signing in on the district: badge and PIN checked against the
 * district's officers (an active admin).  actor gets "BADGE name".  With no
 * officer on the district yet, actor is "bootstrap (ROLE)" and it is 0. */
int enrol_sign_in(const char *url, const char *badge, const char *pin, char *actor,
                  size_t size);

struct enrol_device_info {
    char device[40], public_key[DEVICE_KEY_HEX], role[40], status[16];
    char enrolled_at[40], enrolled_by[120], predecessor[40];
    int registry;
    long long entries;       /* audit entries held from it */
    long long waiting;       /* rows of it waiting in the inbox */
    long long refused;       /* refusals recorded */
};

/* Every enrolled device, enrolment order. */
int enrol_list(const char *url, int (*fn)(const struct enrol_device_info *, void *), void *arg);

/* The district key's public half, as recorded (for the office to show). */
int enrol_show_key(const char *url, char district_id[40], char pk[DEVICE_KEY_HEX]);

#endif
