/* Fuzz target: cg18_load() on a stored calibration's state (nawi_calibrations
 * .state), which a later session reads back from the database: a damaged row
 * must be refused, never crash; whatever loads saves, shows its step and
 * computes its results (the uncertainty's integer arithmetic included). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cg18.h"
#include "core/day.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct cg18 *c = NULL;
    if (cg18_load(text, day_from_ymd(2026, 11, 25), &c) == 0) {
        char buf[256];
        cg18_save(c, buf, sizeof buf);
        struct cg18_step s;
        cg18_current(c, &s);
        struct cg18_results r;
        cg18_results(c, &r);
        cg18_free(c);
    }
    free(text);
    return 0;
}
