/* The stall inspection checklist (一单: the one list of check items of
 * 双随机、一公开).  Items have stable string ids: they are stored in findings,
 * named in the scoring rules file and synced to the district, so an id never
 * changes meaning.  Titles are msgids for gettext (English, with the Chinese
 * term in the comment). */
#ifndef STALLCHECK_CORE_CHECKLIST_H
#define STALLCHECK_CORE_CHECKLIST_H

#include <stddef.h>

enum checklist_item {
    CHECK_LICENCE_SHOWN,     /* 亮照经营: business licence displayed */
    CHECK_PRICE_TAGS,        /* 明码标价: prices marked */
    CHECK_VERIFICATION_MARK, /* 检定合格标志: verification mark on the scale */
    CHECK_VERIFICATION_DUE,  /* 检定有效期: scale within its verification period */
    CHECK_SEAL,              /* 封印: the scale's seal */
    CHECK_FAIR_SCALE,        /* 公平秤: the market's fair scale present and working */
    CHECK_CHEATING_DEVICE,   /* 作弊装置: no sign of a cheating device (鬼秤) */
    CHECK_REWEIGH,           /* 复秤: goods re-weighed within the allowed deviation */
    CHECK_ITEM_COUNT
};

/* An answer.  The seal has its own states (intact, broken, missing, not
 * sealable); every other item is pass / fail / not applicable. */
enum checklist_answer {
    ANSWER_NONE = 0,        /* not answered yet */
    ANSWER_PASS,
    ANSWER_FAIL,
    ANSWER_NA,
    ANSWER_SEAL_INTACT,
    ANSWER_SEAL_BROKEN,
    ANSWER_SEAL_MISSING,
    ANSWER_SEAL_NOT_SEALABLE,
    ANSWER_COUNT
};

/* How grave a failed item is, before the rules file weighs it. */
enum checklist_severity {
    SEVERITY_MINOR,   /* a deduction */
    SEVERITY_MAJOR,   /* a larger deduction */
    SEVERITY_SERIOUS, /* straight to the black list (scoring rules) */
};

struct checklist_item_info {
    enum checklist_item item;
    const char *id;        /* "licence-shown", stored and synced */
    const char *title;     /* gettext msgid */
    enum checklist_severity severity;
};

const struct checklist_item_info *checklist_items(size_t *count);
const struct checklist_item_info *checklist_item_by_id(const char *id);
/* An item's stable id ("licence-shown"), "" for no item. */
const char *checklist_item_id(enum checklist_item item);

/* "pass", "fail", "na", "intact", "broken", "missing", "not-sealable"; the
 * stored form of an answer.  answer_from_id returns ANSWER_NONE if unknown. */
const char *checklist_answer_id(enum checklist_answer a);
enum checklist_answer checklist_answer_from_id(const char *id);

/* Whether an answer is valid for an item (seal answers only for the seal). */
int checklist_answer_valid(enum checklist_item item, enum checklist_answer a);

/* Whether an answer is a failure: FAIL, or a broken or missing seal. */
int checklist_answer_failed(enum checklist_answer a);

#endif
