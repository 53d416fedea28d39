/* Fuzz target: the registry import (libcsv + every row check + the USCC
 * check character + R76) on any bytes a CSV file can hold.  Dry run into
 * one database opened once: nothing is written, so runs stay independent. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/import.h"
#include "core/uscc.h"
#include "db/db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *db;
static char csv[256];

static void ignore(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static void cleanup(void)
{
    char path[300];
    db_close(db);
    unlink(csv);
    snprintf(path, sizeof path, "%s.db", csv);
    unlink(path);
    snprintf(path, sizeof path, "%s.db-wal", csv);
    unlink(path);
    snprintf(path, sizeof path, "%s.db-shm", csv);
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (db == NULL) {
        const char *tmp = getenv("TMPDIR");
        snprintf(csv, sizeof csv, "%s/fuzz_import.%d.csv", tmp && *tmp ? tmp : "/tmp",
                 (int)getpid());
        char path[300];
        snprintf(path, sizeof path, "%s.db", csv);
        if (db_open(path, &db) < 0)
            abort();
        atexit(cleanup);
    }
    FILE *fp = fopen(csv, "wb");
    if (fp == NULL)
        return 0;
    fwrite(data, 1, size, fp);
    fclose(fp);
    struct import_options opt = {.dry_run = 1, .error = ignore};
    struct import_result res;
    import_registry(db, csv, &opt, &res);
    /* The check character on the first 18 bytes as a code, too. */
    if (size >= 18) {
        char code[19];
        memcpy(code, data, 18);
        code[18] = '\0';
        if (strlen(code) == 18)
            uscc_validate(code);
    }
    return 0;
}
