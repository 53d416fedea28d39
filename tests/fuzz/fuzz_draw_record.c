/* Fuzz target: a draw's published record (the public site's draw/ID.txt,
 * read by stallcheck draw --check from anyone's hands): any text gives an
 * error or a record that replays without a crash.  And a pushed draw's
 * inputs, kind and day as the district's ingest holds them to each other
 * (draw_days_agree): any text as inputs, its second half as kind or day. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "db/draw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct draw_record rec;
    if (draw_record_parse(text, &rec) == 0) {
        struct draw_result again;
        if (draw_replay(&rec, &again) >= 0)
            draw_result_free(&again);
        draw_record_free(&rec);
    }
    const char *half = text + size / 2;
    (void)draw_days_agree(text, "legacy", half, text);
    (void)draw_days_agree(text, half, "2026-03-02", "2026-03-01T00:00:00Z");
    (void)draw_days_agree(text, "production", half, text);
    free(text);
    return 0;
}
