/* An inbox row's audit entry judged: see ingest_entry.h. */
#include "db/ingest_entry.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"
#include "db/audit.h"
#include "db/device.h"

/* The entry text: "<seq>\n<id>\n<at>\n<device>\n<kind>\n<record>\n
 * <content_hash>\n<prev_hash>\n", each field checked for its form. */
int ingest_entry_parse(struct ingest_row *r)
{
    const char *p = (const char *)r->entry, *end = p + r->entry_len;
    char seq[24], device[40];
    char *dst[8] = {seq, r->id, r->at, device, r->kind, r->record, r->content_hash,
                    r->prev_hash};
    size_t size[8] = {sizeof seq, sizeof r->id, sizeof r->at, sizeof device, sizeof r->kind,
                      sizeof r->record, sizeof r->content_hash, sizeof r->prev_hash};
    for (int i = 0; i < 8; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return 0;
        size_t n = (size_t)(nl - p);
        if (n >= size[i] || memchr(p, '\0', n) || !utf8_valid(p, n, NULL))
            return 0;
        memcpy(dst[i], p, n);
        dst[i][n] = '\0';
        p = nl + 1;
    }
    if (p != end)
        return 0;
    char want[24];
    snprintf(want, sizeof want, "%lld", r->seq);
    return strcmp(seq, want) == 0 && strcmp(device, r->device) == 0 &&
           strlen(r->id) == 36 && strlen(r->content_hash) == 64 && strlen(r->prev_hash) == 64;
}

static const char zero_hash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

int ingest_judge_entry(struct ingest_run *run, struct ingest_row *r)
{
    struct ingest_device *d = ingest_device_find(run, r->device);
    if (!d) {
        r->entry_v = V_WAIT; /* enrolled later, taken then */
        return 0;
    }
    if (strcmp(d->status, "active") != 0) {
        r->entry_v = V_REFUSE;
        ingest_refuse(r,
                      "an admin enrols the handheld that replaces it (stallcheck district enrol)",
                      "device %s is %s%s%s: what it pushes is not taken", r->device, d->status,
                      d->replaced_by[0] ? " by " : "", d->replaced_by);
        return 0;
    }
    char h[AUDIT_HASH_HEX];
    audit_sha256_hex(r->entry, r->entry_len, h);
    if (strcmp(h, r->hash) != 0 || !ingest_entry_parse(r)) {
        r->entry_v = V_REFUSE;
        ingest_refuse(r, "stallcheck verify on the handheld names what was altered",
                      "audit entry %lld is not what its hash was made of", r->seq);
        return 0;
    }
    if (!r->signed_ok) {
        r->entry_v = V_REFUSE;
        ingest_refuse(r,
                      "stallcheck verify on the handheld; an admin checks who wrote this database",
                      "audit entry %lld (%s %s) is not signed by device %s's enrolled key", r->seq,
                      r->kind, r->record, r->device);
        return 0;
    }
    int rc = ingest_held_load(run, d, r->seq);
    if (rc < 0)
        return rc;
    const char *held = ingest_held_hash(d, r->seq);
    if (held) {
        if (strcmp(held, r->hash) == 0) {
            r->entry_v = V_DUP;
            return 0;
        }
        r->entry_v = V_REFUSE;
        ingest_refuse(r, "this database was altered or restored after it pushed: an admin compares "
                         "it with stallcheck verify --remote",
                      "audit entry %lld (%s %s) differs from the one the district holds", r->seq,
                      r->kind, r->record);
        return 0;
    }
    const char *prev = ingest_held_hash(d, r->seq - 1);
    if (prev ? strcmp(prev, r->prev_hash) != 0
             : !(d->n == 0 && (r->seq == 1 ? strcmp(r->prev_hash, zero_hash) == 0
                                           : strcmp(r->kind, "device") == 0))) {
        if (!prev && d->n > 0 && d->seqs[d->n - 1] < r->seq - 1) {
            r->entry_v = V_WAIT; /* an earlier entry has not arrived yet */
            return 0;
        }
        r->entry_v = V_REFUSE;
        ingest_refuse(r, "this database was altered or restored: an admin compares it with "
                         "stallcheck verify --remote",
                      "audit entry %lld (%s %s) does not follow the device's entry %lld held here",
                      r->seq, r->kind, r->record, r->seq - 1);
        return 0;
    }
    r->entry_v = V_ACCEPT;
    return ingest_held_push(d, r->seq, r->hash);
}

/* The signatures of a batch's entries, verified before they are judged in
 * order: each is a pure check of one row against its device's enrolled
 * key (ingest_judge_entry and ingest_judge_registry read the answer where they checked
 * it themselves, so every refusal and its reason stay as they were).
 * Ed25519 verification is most of the ingest's own time and libsodium has
 * no batch verification: the rows are split over two threads (a second
 * core, where there is one, is otherwise idle while this process judges:
 * the server waits for it). */
struct sigs {
    struct ingest_run *run;
    struct ingest_row *rows;
    size_t from, to;
};

static void *sigs_part(void *arg)
{
    struct sigs *s = arg;
    for (size_t i = s->from; i < s->to; i++) {
        struct ingest_row *r = &s->rows[i];
        struct ingest_device *d = ingest_device_find(s->run, r->device);
        r->signed_ok = d && device_verify_entry(d->pk, r->hash, r->sig);
    }
    return NULL;
}

void ingest_sigs_verify(struct ingest_run *run, struct ingest_row *rows, size_t n)
{
    struct sigs half[2] = {{run, rows, 0, n / 2}, {run, rows, n / 2, n}};
    pthread_t t;
    int threaded = n >= 64 && pthread_create(&t, NULL, sigs_part, &half[0]) == 0;
    if (!threaded)
        half[1].from = 0;
    sigs_part(&half[1]);
    if (threaded)
        pthread_join(t, NULL);
}
