#include "core/checklist.h"

#include <string.h>

/* Severities follow ../shared/domain/scoring.md: a cheating device, a broken
 * or missing seal, an unverified or overdue scale in use and short weight
 * beyond tolerance are the serious violations that put a stall straight on
 * the black list (《集贸市场计量监督管理办法》: operators must use verified
 * instruments and must not cheat or damage their accuracy). */
static const struct checklist_item_info items[CHECK_ITEM_COUNT] = {
    {CHECK_LICENCE_SHOWN, "licence-shown", "Licence shown", SEVERITY_MINOR},
    {CHECK_PRICE_TAGS, "price-tags", "Price tags", SEVERITY_MINOR},
    {CHECK_VERIFICATION_MARK, "verification-mark", "Verification mark", SEVERITY_MAJOR},
    {CHECK_VERIFICATION_DUE, "verification-due", "Verification in date", SEVERITY_SERIOUS},
    {CHECK_SEAL, "seal", "Seal", SEVERITY_SERIOUS},
    {CHECK_FAIR_SCALE, "fair-scale", "Fair scale present", SEVERITY_MINOR},
    {CHECK_CHEATING_DEVICE, "cheating-device", "No cheating device", SEVERITY_SERIOUS},
    {CHECK_REWEIGH, "reweigh", "Re-weigh within tolerance", SEVERITY_SERIOUS},
};

static const char *const answer_ids[ANSWER_COUNT] = {
    [ANSWER_NONE] = "none",
    [ANSWER_PASS] = "pass",
    [ANSWER_FAIL] = "fail",
    [ANSWER_NA] = "na",
    [ANSWER_SEAL_INTACT] = "intact",
    [ANSWER_SEAL_BROKEN] = "broken",
    [ANSWER_SEAL_MISSING] = "missing",
    [ANSWER_SEAL_NOT_SEALABLE] = "not-sealable",
};

const struct checklist_item_info *checklist_items(size_t *count)
{
    if (count != NULL)
        *count = CHECK_ITEM_COUNT;
    return items;
}

const char *checklist_item_id(enum checklist_item item)
{
    return (unsigned)item < CHECK_ITEM_COUNT ? items[item].id : "";
}

const struct checklist_item_info *checklist_item_by_id(const char *id)
{
    for (size_t i = 0; id != NULL && i < CHECK_ITEM_COUNT; i++)
        if (strcmp(items[i].id, id) == 0)
            return &items[i];
    return NULL;
}

const char *checklist_answer_id(enum checklist_answer a)
{
    return (unsigned)a < ANSWER_COUNT ? answer_ids[a] : "none";
}

enum checklist_answer checklist_answer_from_id(const char *id)
{
    for (int a = ANSWER_PASS; id != NULL && a < ANSWER_COUNT; a++)
        if (strcmp(answer_ids[a], id) == 0)
            return (enum checklist_answer)a;
    return ANSWER_NONE;
}

int checklist_answer_valid(enum checklist_item item, enum checklist_answer a)
{
    if ((unsigned)item >= CHECK_ITEM_COUNT)
        return 0;
    if (item == CHECK_SEAL)
        return a >= ANSWER_SEAL_INTACT && a <= ANSWER_SEAL_NOT_SEALABLE;
    return a == ANSWER_PASS || a == ANSWER_FAIL || a == ANSWER_NA;
}

int checklist_answer_failed(enum checklist_answer a)
{
    return a == ANSWER_FAIL || a == ANSWER_SEAL_BROKEN || a == ANSWER_SEAL_MISSING;
}
