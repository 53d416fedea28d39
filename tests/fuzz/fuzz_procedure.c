/* Fuzz target: proc_load() on stored procedure state, which a later session
 * reads back from the database (a damaged row must be refused, never crash). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/day.h"
#include "core/procedure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct proc *p = NULL;
    if (proc_load(text, day_from_ymd(2026, 11, 25), &p) == 0) {
        /* Whatever loads must save and show its steps. */
        char buf[256];
        proc_save(p, buf, sizeof buf);
        struct proc_step s;
        proc_current(p, &s);
        struct proc_verdict v;
        proc_verdict_get(p, &v);
        proc_free(p);
    }
    free(text);
    return 0;
}
