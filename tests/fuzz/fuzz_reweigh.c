/* Fuzz target: the re-weigh inputs a user types (price, category, masses)
 * through to a verdict. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mass.h"
#include "core/reweigh.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Fields split on newlines: price, category, declared, measured. */
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *field[4] = {"", "", "", ""};
    char *cur = text;
    for (int i = 0; i < 4 && cur; i++) {
        field[i] = cur;
        cur = strchr(cur, '\n');
        if (cur)
            *cur++ = '\0';
    }
    struct reweigh_input in = {REWEIGH_NONE, 0, 0, 0, REWEIGH_HIGHER, NULL, 0, REWEIGH_ROW_LARGER};
    if (reweigh_price_parse(field[0], &in.price_fen_per_kg) < 0)
        in.price_fen_per_kg = 0;
    if (reweigh_category_parse(field[1], &in.cat) < 0)
        in.cat = REWEIGH_NONE;
    if (mass_parse(field[2], MASS_G, &in.charged_ug) == 0 &&
        mass_parse(field[3], MASS_G, &in.measured_ug) == 0) {
        struct reweigh_verdict v;
        reweigh_judge(&in, &v);
    }
    free(text);
    return 0;
}
