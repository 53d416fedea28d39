/* Cards typeset by pango (report/card_pdf.c), read back by poppler through
 * tests/tools/pdfcheck.py: for every length of table from a few rows to
 * three pages, every word inside the frame, every page headed and
 * numbered, no last page left with a line or two; long unbreakable codes
 * and long Chinese lines wrap inside their cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "report/card.h"
#include "report/lang.h"
#include "tui/i18n.h"

static int have_tools(void)
{
    return system("command -v pdftotext >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1") ==
           0;
}

static struct card *sample(int rows)
{
    struct card *c = card_new();
    assert_non_null(c);
    card_title(c, "诚信计量记分卡" PAPER_GLOSS_S "Integrity scorecard");
    card_qr(c, "https://sc.example.gov.cn/gs/stall/M001-001.html");
    card_field(c, "摊位" PAPER_GLOSS_S "Stall", "M001-001  张记蔬菜");
    card_field(c, "说明" PAPER_GLOSS_S "Note", "%s",
               "一段很长的中文说明文字，没有空格也必须在格子里换行，不能超出页边距，"
               "一段很长的中文说明文字，没有空格也必须在格子里换行，不能超出页边距。");
    card_big(c, "60 分  黄星");
    card_heading(c, "检查记录" PAPER_GLOSS_S "Inspections");
    card_table(c, 4, (const int[]){14, 15, 22, 40});
    card_row(c, (const char *[]){"日期", "执法人员", "结果", "发现的问题"});
    for (int i = 0; i < rows; i++) {
        char day[16], what[200];
        snprintf(day, sizeof day, "2026-01-%02d", i % 28 + 1);
        snprintf(what, sizeof what, "%s",
                 i % 7 == 3 ? "0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
                            : i % 5 == 0 ? "使用未经检定或超过检定周期的计量器具（限 2026-02-10 前整改）"
                                         : "短斤缺两");
        card_row(c, (const char *[]){day, "1001, 1002", "发现问题已责令改正", what});
    }
    card_heading(c, "评定规则" PAPER_GLOSS_S "The rules");
    card_para(c, "每个摊位基础分 100 分，计最近 12 个月的扣分。");
    card_sign(c, "检定员" PAPER_GLOSS_S "Verifier");
    card_page(c);
    return c;
}

static void every_length(void **state)
{
    (void)state;
    if (!have_tools())
        skip();
    enum { FROM = 1, TO = 110 };
    struct card *cards[TO - FROM + 1];
    for (int n = FROM; n <= TO; n++)
        cards[n - FROM] = sample(n);
    char dir[] = "/tmp/test-card-pdf-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char pdf[600], cmd[1400];
    snprintf(pdf, sizeof pdf, "%s/cards.pdf", dir);
    struct paper_lang_saved saved;
    paper_lang_begin(PAPER_ZH, &saved);
    assert_int_equal(card_pdf(cards, TO - FROM + 1, pdf), 0);
    paper_lang_end(&saved);
    for (int n = FROM; n <= TO; n++)
        card_free(cards[n - FROM]);
    const char *top = getenv("STALLCHECK_TOP");
    snprintf(cmd, sizeof cmd, "python3 %s/tests/tools/pdfcheck.py %s --lang zh >%s/out.txt 2>&1",
             top ? top : ".", pdf, dir);
    int rc = system(cmd);
    /* What it found, then the scratch directory gone. */
    snprintf(cmd, sizeof cmd, "sed 's/^/# /' %s/out.txt | head -n 20; rm -rf '%s'", dir, dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(rc, 0);
}

int main(void)
{
    i18n_init(NULL); /* the build tree's catalogues: the pages are numbered in Chinese */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
