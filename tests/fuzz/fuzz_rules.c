/* Fuzz target: the scoring rules file (libinih + rules_set + rules_check),
 * and when it parses, a score computed under it: any file a bureau writes
 * must give an error or rules that score without a crash. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/score.h"
#include "db/rules_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct rules r;
    if (rules_file_parse("fuzz.ini", text, &r) == 0) {
        static const struct score_finding f[] = {{CHECK_SEAL, ANSWER_SEAL_BROKEN, 20100},
                                                 {CHECK_PRICE_TAGS, ANSWER_FAIL, 0}};
        struct score_event ev[] = {
            {"a", 20000, SCORE_EVENT_INSPECTION, f, 2, 1, 1},
            {"b", 20200, SCORE_EVENT_INSPECTION, f, 2, 0, 0},
            {"c", 20300, SCORE_EVENT_FAIRSCALE, NULL, 0, 1, 1},
        };
        struct score_result res;
        if (score_compute(&r, ev, 3, 20400, &res) == 0)
            score_result_free(&res);
        int64_t owed;
        rules_fairscale_owed(&r, 3000, 50000000, &owed);
    }
    free(text);
    return 0;
}
