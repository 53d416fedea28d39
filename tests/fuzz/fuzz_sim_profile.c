/* Fuzz target: a scale profile file (sim_profile_parse), and the simulated
 * scale reading with whatever it accepted. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "devices/sim_scale.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct sim_profile p;
    if (sim_profile_parse(text, &p) == 0) {
        struct sim_scale s;
        sim_scale_init(&s, 10000, 6200000000, 1);
        sim_scale_set_profile(&s, &p);
        struct sim_weight w;
        int64_t loads[] = {0, 1, 100000000, 5000000000, 15000000000, p.max_ug, p.segment_load_ug};
        for (size_t i = 0; i < sizeof loads / sizeof loads[0]; i++) {
            sim_scale_position(&s, (int)(i % 5), (int64_t)i * 1000);
            sim_scale_load(&s, loads[i], (int64_t)i * 1000 + 1);
            sim_scale_read(&s, (int64_t)i * 1000 + 5000, &w);
            sim_scale_test_mode(&s, (int)(i & 1));
        }
    }
    free(text);
    return 0;
}
