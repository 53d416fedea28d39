/* The words the public reads on the papers and the pages: what a failed
 * checklist item means in a stall holder's words (短斤缺两, not "reweigh:
 * fail"), why a stall is on the black list, and the fixed result phrases
 * under which 双随机 spot-check results are made public (未发现问题,
 * 发现问题已责令改正, 发现问题待后续处理).
 *
 * Every text is an English msgid translated by gettext (po/zh_CN.po): the
 * caller chooses the language of messages before it prints (a Chinese
 * paper or the public site: zh_CN). */
#ifndef STALLCHECK_REPORT_WORDS_H
#define STALLCHECK_REPORT_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "core/checklist.h"
#include "core/rules.h"
#include "core/score.h"

/* The item's name ("亮照经营"). */
const char *words_item(enum checklist_item item);
/* What was wrong when the item failed with answer, in plain words
 * ("短斤缺两", "使用作弊装置（鬼秤）"). */
const char *words_violation(enum checklist_item item, enum checklist_answer answer);

/* Why the stall is on the black list, naming the rule broken in plain
 * words ("短斤缺两", "限期整改逾期未改：未明码标价", "诚信分低于 60 分"). */
void words_black_reason(const struct rules *r, const struct score_result *res, char *buf,
                        size_t size);

/* The result of one inspection in the fixed wording of published spot
 * checks. */
enum words_result {
    WORDS_RESULT_CLEAN,       /* 未发现问题 */
    WORDS_RESULT_CORRECTED,   /* 发现问题已责令改正: a failure, none serious */
    WORDS_RESULT_PENDING,     /* 发现问题待后续处理: a failure the rules make black */
};
enum words_result words_result_of(const struct rules *r, const struct score_event *e);
const char *words_result(enum words_result w);

/* 红榜 / 黑榜 / "" and the star bands (红星 ...). */
const char *words_list(enum score_list list);
const char *words_grade(enum score_grade grade);

/* A re-weigh's verdict ("足量", "短缺超出允许误差", "超出表列范围"). */
const char *words_reweigh_verdict(const char *verdict);
/* A mass as the public reads it: "1.25 kg" from 1 kg up, else "950 g";
 * exact (trailing zeros dropped, never rounded). */
void words_mass(int64_t ug, char *buf, size_t size);
/* A re-weigh found short, in plain words: "牛肉：标称 290 g，复秤 286.6 g，
 * 短缺 3.4 g（允许 5 g）" (allowed_ug < 0: outside the table, not said). */
void words_reweigh_short(const char *goods, int64_t declared_ug, int64_t measured_ug,
                         int64_t shortfall_ug, int64_t allowed_ug, char *buf, size_t size);
/* An instrument's kind ("电子计价秤", "公平秤", ...). */
const char *words_instrument_kind(const char *kind);

#endif
