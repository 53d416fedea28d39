/* The device's signing key: the key store, signing, copy detection. */
#include "db/device.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "db/internal.h"

#define ENTRY_DOMAIN "stallcheck audit entry v1"

int device_key_dir(char *out, size_t size)
{
    const char *env = getenv("STALLCHECK_KEYS");
    int n;
    if (env && *env) {
        n = snprintf(out, size, "%s", env);
    } else if ((env = getenv("XDG_DATA_HOME")) && *env == '/') {
        n = snprintf(out, size, "%s/stallcheck/keys", env);
    } else if ((env = getenv("HOME")) && *env) {
        n = snprintf(out, size, "%s/.local/share/stallcheck/keys", env);
    } else {
        return sc_error_set(SC_ERR_NOTFOUND, "no key store: set STALLCHECK_KEYS to a private "
                                             "directory (HOME is not set)");
    }
    if (n < 0 || (size_t)n >= size)
        return sc_error_set(SC_ERR_RANGE, "key store path too long");
    return 0;
}

int device_key_path(const char *device, char *out, size_t size)
{
    char dir[900];
    int rc = device_key_dir(dir, sizeof dir);
    if (rc < 0)
        return rc;
    int n = snprintf(out, size, "%s/%s.key", dir, device);
    if (n < 0 || (size_t)n >= size)
        return sc_error_set(SC_ERR_RANGE, "key store path too long");
    return 0;
}

/* mkdir -p with 0700 for what it creates; the last directory must be the
 * user's alone (a key store others can list is refused). */
static int ensure_dir(const char *dir)
{
    char p[1200];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0700) < 0 && errno != EEXIST)
            return sc_error_set(SC_ERR_IO, "key store %s: %s", p, strerror(errno));
        *s = '/';
    }
    if (mkdir(p, 0700) < 0 && errno != EEXIST)
        return sc_error_set(SC_ERR_IO, "key store %s: %s", p, strerror(errno));
    struct stat st;
    if (stat(p, &st) < 0)
        return sc_error_set(SC_ERR_IO, "key store %s: %s", p, strerror(errno));
    if (st.st_uid != geteuid() || (st.st_mode & 077))
        return sc_error_set(SC_ERR_DENIED, "key store %s is open to other users: chmod 700 it",
                            p);
    return 0;
}

/* ---- key files ------------------------------------------------------------
 * Text, one "name value" per line:
 *   device   the device id (or the district id for the office's key)
 *   public   32 bytes hex
 *   secret   64 bytes hex (libsodium's secret key: seed and public key)
 *   database st_dev:st_ino of the database file it belongs to, then its path
 */
struct keyfile {
    char device[96];
    char pk[DEVICE_KEY_HEX];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    char bound[64];       /* "dev:ino", "" for an office key */
};

static void file_identity(const char *path, char out[64])
{
    struct stat st;
    out[0] = '\0';
    if (path && stat(path, &st) == 0)
        snprintf(out, 64, "%llu:%llu", (unsigned long long)st.st_dev,
                 (unsigned long long)st.st_ino);
}

/* 1 read, 0 no such file, SC_ERR_* otherwise. */
static int key_read(const char *path, struct keyfile *k)
{
    memset(k, 0, sizeof *k);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        return sc_error_set(SC_ERR_IO, "%s: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 077)) {
        close(fd);
        return sc_error_set(SC_ERR_DENIED, "%s: a key file must be the user's alone "
                                           "(chmod 600)", path);
    }
    char text[2048];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0)
        return sc_error_set(SC_ERR_PARSE, "%s: empty or unreadable key file", path);
    text[n] = '\0';
    int have = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *v = strchr(line, ' ');
        if (!v)
            continue;
        *v++ = '\0';
        if (strcmp(line, "device") == 0) {
            snprintf(k->device, sizeof k->device, "%s", v);
            have |= 1;
        } else if (strcmp(line, "public") == 0 && strlen(v) == 64) {
            memcpy(k->pk, v, 65);
            have |= 2;
        } else if (strcmp(line, "secret") == 0) {
            size_t bin = 0;
            if (sodium_hex2bin(k->sk, sizeof k->sk, v, strlen(v), NULL, &bin, NULL) == 0 &&
                bin == sizeof k->sk)
                have |= 4;
        } else if (strcmp(line, "database") == 0) {
            size_t w = strcspn(v, " ");
            snprintf(k->bound, sizeof k->bound, "%.*s", (int)w, v);
        }
    }
    sodium_memzero(text, sizeof text);
    /* The public key must be the secret key's (a hand-edited file is no key). */
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    char pkhex[DEVICE_KEY_HEX];
    if (have != 7 || crypto_sign_ed25519_sk_to_pk(pk, k->sk) != 0)
        return sc_error_set(SC_ERR_PARSE, "%s: not a stallcheck key file", path);
    sodium_bin2hex(pkhex, sizeof pkhex, pk, sizeof pk);
    if (strcmp(pkhex, k->pk) != 0)
        return sc_error_set(SC_ERR_PARSE, "%s: its public key is not its secret key's", path);
    return 1;
}

/* Writes a new key file (never over an existing one): temp file 0600,
 * fsync, link into place (fails if the name exists), fsync the directory. */
static int key_write(const char *path, const struct keyfile *k, const char *dbpath)
{
    char dir[1200];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    int rc = ensure_dir(dir);
    if (rc < 0)
        return rc;
    char tmp[1200];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return sc_error_set(SC_ERR_IO, "%s: %s", tmp, strerror(errno));
    char sk[2 * crypto_sign_SECRETKEYBYTES + 1];
    sodium_bin2hex(sk, sizeof sk, k->sk, sizeof k->sk);
    char text[2048];
    int n = snprintf(text, sizeof text,
                     "# stallcheck signing key: secret, never copy it to another machine\n"
                     "device %s\npublic %s\nsecret %s\n",
                     k->device, k->pk, sk);
    if (k->bound[0] && n > 0 && (size_t)n < sizeof text)
        n += snprintf(text + n, sizeof text - (size_t)n, "database %s %s\n", k->bound,
                      dbpath ? dbpath : "");
    sodium_memzero(sk, sizeof sk);
    int ok = n > 0 && (size_t)n < sizeof text && write(fd, text, (size_t)n) == n &&
             fsync(fd) == 0;
    sodium_memzero(text, sizeof text);
    close(fd);
    if (!ok) {
        unlink(tmp);
        return sc_error_set(SC_ERR_IO, "%s: cannot write the key", tmp);
    }
    if (link(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        return sc_error_set(e == EEXIST ? SC_ERR_EXISTS : SC_ERR_IO, "%s: %s", path,
                            strerror(e));
    }
    unlink(tmp);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

static void key_new(struct keyfile *k, const char *device, const char *dbpath)
{
    memset(k, 0, sizeof *k);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_keypair(pk, k->sk);
    sodium_bin2hex(k->pk, sizeof k->pk, pk, sizeof pk);
    snprintf(k->device, sizeof k->device, "%s", device);
    if (dbpath)
        file_identity(dbpath, k->bound);
}

/* ---- this database's key ------------------------------------------------- */

/* The public key device_keys records for a device: 1 found, 0 none. */
static int recorded_key(struct db *db, const char *device, char out[DEVICE_KEY_HEX])
{
    sqlite3_stmt *st = db_stmt(db, "SELECT public_key FROM device_keys WHERE device = ?1");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, device);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        db_col_text(st, 0, out, DEVICE_KEY_HEX);
    db_done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_fail(db, "device key");
    return rc == SQLITE_ROW;
}

static int copy_error(struct db *db, const char *why)
{
    return sc_error_set(SC_ERR_DENIED,
                        _("this database (device %s) %s: it is a copy, or its device id was "
                          "changed; nothing was written. An admin gives it its own identity "
                          "with: stallcheck device new-identity --as BADGE (every record is "
                          "kept), then enrols the new device on the district"),
                        db_device_id(db), why);
}

/* Loads this database's key into db_signer; make_ok lets it make the key
 * when the database has none recorded yet.  0 loaded (and recorded, or
 * loaded earlier in this transaction), 1 no key yet (make_ok = 0), 2 loaded
 * but not yet in device_keys, SC_ERR_DENIED for a copy. */
static int load(struct db *db, int make_ok)
{
    struct db_signer *s = db_signer(db);
    const char *device = db_device_id(db);
    if (s->loaded && strcmp(s->device, device) == 0)
        return 0;
    char path[1100], rec[DEVICE_KEY_HEX] = "";
    int rc = device_key_path(device, path, sizeof path);
    if (rc < 0)
        return rc;
    int recorded = recorded_key(db, device, rec);
    if (recorded < 0)
        return recorded;
    struct keyfile k;
    int found = key_read(path, &k);
    if (found < 0)
        return found;
    char here[64];
    file_identity(db_path(db), here);
    if (found) {
        if (strcmp(k.device, device) != 0)
            return copy_error(db, _("has a key file of another device"));
        if (strcmp(k.bound, here) != 0)
            return copy_error(db, _("is not the file its signing key was made for"));
        if (recorded && strcmp(rec, k.pk) != 0)
            return copy_error(db, _("records another signing key than the one here"));
    } else {
        if (recorded)
            return copy_error(db, _("has no signing key on this machine"));
        if (!make_ok)
            return 1;
        key_new(&k, device, db_path(db));
        if ((rc = key_write(path, &k, db_path(db))) < 0) {
            sodium_memzero(&k, sizeof k);
            return rc;
        }
    }
    s->loaded = 1;
    snprintf(s->device, sizeof s->device, "%s", device);
    memcpy(s->sk, k.sk, sizeof s->sk);
    memcpy(s->pk, k.pk, sizeof s->pk);
    sodium_memzero(&k, sizeof k);
    return recorded ? 0 : 2; /* 2: loaded, but not yet in device_keys */
}

static void sign_hash(const struct db_signer *s, const char *hash, char sig[DEVICE_SIG_HEX])
{
    unsigned char msg[sizeof ENTRY_DOMAIN + 64], bin[crypto_sign_BYTES];
    memcpy(msg, ENTRY_DOMAIN "\n", sizeof ENTRY_DOMAIN);
    memcpy(msg + sizeof ENTRY_DOMAIN, hash, 64);
    crypto_sign_detached(bin, NULL, msg, sizeof msg, s->sk);
    sodium_bin2hex(sig, DEVICE_SIG_HEX, bin, sizeof bin);
}

/* Stores the loaded key's public half in device_keys (what the chain's
 * "device" entry hashes).  Inside the caller's transaction. */
static int store_key(struct db *db, const char *predecessor)
{
    struct db_signer *s = db_signer(db);
    char now[24];
    db_now(now, sizeof now);
    sqlite3_stmt *st = db_stmt(db, "INSERT INTO device_keys (device, public_key, predecessor, "
                                   "made_at) VALUES (?1, ?2, ?3, ?4)");
    if (!st)
        return SC_ERR_DB;
    db_bind_text(st, 1, s->device);
    db_bind_text(st, 2, s->pk);
    db_bind_text_or_null(st, 3, predecessor);
    db_bind_text(st, 4, now);
    return db_step_done(db, st, "device key");
}

int device_key_ensure(struct db *db, const char *predecessor, int *made)
{
    *made = 0;
    int rc = load(db, 1);
    if (rc < 0)
        return rc;
    if (rc == 2) {
        if ((rc = store_key(db, predecessor)) < 0) {
            db_signer(db)->loaded = 0;
            return rc;
        }
        *made = 1;
    }
    return 0;
}

int device_sign_entry(struct db *db, const char *hash, char sig[DEVICE_SIG_HEX])
{
    int rc = load(db, 0);
    if (rc < 0)
        return rc;
    if (rc == 1)
        return sc_error_set(SC_ERR_NOTFOUND, "device %s has no signing key yet",
                            db_device_id(db));
    sign_hash(db_signer(db), hash, sig);
    return 0;
}

int device_check(struct db *db)
{
    int rc = load(db, 0);
    return rc < 0 ? rc : 0;
}

int device_key_recorded(struct db *db, char out[DEVICE_KEY_HEX])
{
    int rc = load(db, 0);
    if (rc < 0)
        return rc;
    if (rc != 0)
        return 0; /* none made, or made but not yet in device_keys */
    memcpy(out, db_signer(db)->pk, DEVICE_KEY_HEX);
    return 1;
}

int device_office_key(const char *district_id, int make, char pk[DEVICE_KEY_HEX],
                      unsigned char sk[64])
{
    char name[80], path[1200];
    snprintf(name, sizeof name, "district-%.40s", district_id);
    int rc = device_key_path(name, path, sizeof path);
    if (rc < 0)
        return rc;
    struct keyfile k;
    int found = key_read(path, &k);
    if (found < 0)
        return found;
    if (!found) {
        if (!make)
            return sc_error_set(SC_ERR_NOTFOUND,
                                "this machine does not hold the district's signing key (%s): "
                                "run the office's commands where sync --init made it",
                                path);
        key_new(&k, name, NULL);
        if ((rc = key_write(path, &k, NULL)) < 0) {
            sodium_memzero(&k, sizeof k);
            return rc;
        }
    }
    memcpy(pk, k.pk, DEVICE_KEY_HEX);
    memcpy(sk, k.sk, crypto_sign_SECRETKEYBYTES);
    sodium_memzero(&k, sizeof k);
    return 0;
}

void device_sign_text(const unsigned char sk[64], const char *domain, const char *text,
                      size_t len, char sig[DEVICE_SIG_HEX])
{
    size_t d = strlen(domain);
    unsigned char bin[crypto_sign_BYTES];
    unsigned char *msg = malloc(d + 1 + len);
    if (!msg) {
        sig[0] = '\0';
        return;
    }
    memcpy(msg, domain, d);
    msg[d] = '\n';
    memcpy(msg + d + 1, text, len);
    crypto_sign_detached(bin, NULL, msg, d + 1 + len, sk);
    free(msg);
    sodium_bin2hex(sig, DEVICE_SIG_HEX, bin, sizeof bin);
}

static int verify_msg(const char *public_key, const unsigned char *msg, size_t len,
                      const char *sig)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], bin[crypto_sign_BYTES];
    size_t n = 0;
    if (!public_key || !sig || strlen(public_key) != 64 || strlen(sig) != 128)
        return 0;
    if (sodium_hex2bin(pk, sizeof pk, public_key, 64, NULL, &n, NULL) != 0 || n != sizeof pk)
        return 0;
    if (sodium_hex2bin(bin, sizeof bin, sig, 128, NULL, &n, NULL) != 0 || n != sizeof bin)
        return 0;
    return crypto_sign_verify_detached(bin, msg, len, pk) == 0;
}

int device_verify_entry(const char *public_key, const char *hash, const char *sig)
{
    if (!hash || strlen(hash) != 64)
        return 0;
    unsigned char msg[sizeof ENTRY_DOMAIN + 64];
    memcpy(msg, ENTRY_DOMAIN "\n", sizeof ENTRY_DOMAIN);
    memcpy(msg + sizeof ENTRY_DOMAIN, hash, 64);
    return verify_msg(public_key, msg, sizeof msg, sig);
}

int device_verify_text(const char *public_key, const char *domain, const char *text,
                       size_t len, const char *sig)
{
    size_t d = strlen(domain);
    unsigned char *msg = malloc(d + 1 + len);
    if (!msg)
        return 0;
    memcpy(msg, domain, d);
    msg[d] = '\n';
    memcpy(msg + d + 1, text, len);
    int ok = verify_msg(public_key, msg, d + 1 + len, sig);
    free(msg);
    return ok;
}
