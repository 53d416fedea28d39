/* Cards rendered as text and as ESC/POS receipts, the receipt decoded back
 * (devices/escpos.h's decoder). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/utf8.h"
#include "devices/escpos.h"
#include "report/card.h"
#include "report/output.h"

static struct card *sample(void)
{
    struct card *c = card_new();
    assert_non_null(c);
    assert_int_equal(card_title(c, "诚信计量记分卡"), 0);
    assert_int_equal(card_qr(c, "stallcheck:stall:M01-002"), 0);
    assert_int_equal(card_field(c, "摊位 Stall", "%s  %s", "M01-002", "李记鲜肉"), 0);
    assert_int_equal(card_big(c, "20 分"), 0);
    assert_int_equal(card_table(c, 3, (const int[]){12, 10, 8}), 0);
    assert_int_equal(card_row(c, (const char *[]){"日期 Date", "项目", "扣分"}), 0);
    assert_int_equal(card_row(c, (const char *[]){"2026-02-01", "封印 seal", "-40"}), 0);
    assert_int_equal(card_page(c), 0);
    return c;
}

static void widths(void **state)
{
    (void)state;
    assert_int_equal(utf8_width("abc"), 3);
    assert_int_equal(utf8_width("李记"), 4);
    assert_int_equal(utf8_width("封印 seal"), 9);
    assert_int_equal(utf8_width("\xff"), 1); /* invalid byte: one U+FFFD */
}

static void text_lines_up_chinese(void **state)
{
    (void)state;
    struct card *c = sample();
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_int_equal(card_text(c, m), 0);
    fclose(m);
    /* Columns by display width: "日期 Date" is 9 columns, padded to 12. */
    assert_non_null(strstr(buf, "日期 Date   项目      扣分\n"));
    assert_non_null(strstr(buf, "2026-02-01  封印 seal -40\n"));
    assert_non_null(strstr(buf, "诚信计量记分卡\n==============\n"));
    assert_non_null(strstr(buf, "QR: stallcheck:stall:M01-002\n"));
    free(buf);
    card_free(c);
}

static void receipt_decodes_back(void **state)
{
    (void)state;
    struct card *c = sample();
    struct escpos *e = escpos_new();
    assert_non_null(e);
    assert_int_equal(card_escpos(c, e), 0);
    size_t len;
    const uint8_t *bytes = escpos_bytes(e, &len);
    /* GB18030 on the wire: 李 is C0 EE. */
    int found = 0;
    for (size_t i = 0; i + 1 < len; i++)
        if (bytes[i] == 0xC0 && bytes[i + 1] == 0xEE)
            found = 1;
    assert_true(found);
    char *text = NULL;
    assert_int_equal(escpos_decode(bytes, len, &text), 0);
    assert_non_null(strstr(text, "[init]"));
    assert_non_null(strstr(text, "诚信计量记分卡\n"));
    assert_non_null(strstr(text, "[qr stallcheck:stall:M01-002]"));
    assert_non_null(strstr(text, "摊位 Stall: M01-002  李记鲜肉\n"));
    assert_non_null(strstr(text, "[size 2x2]20 分\n"));
    assert_non_null(strstr(text, "[bold]日期 Date   项目      扣分\n[/bold]"));
    assert_non_null(strstr(text, "2026-02-01  封印 seal -40\n"));
    assert_non_null(strstr(text, "[cut]"));
    free(text);
    escpos_free(e);
    card_free(c);
}

/* The card as a receipt, decoded back to text (the caller frees it). */
static char *receipt_text(const struct card *c)
{
    struct escpos *e = escpos_new();
    assert_non_null(e);
    assert_int_equal(card_escpos(c, e), 0);
    size_t len;
    const uint8_t *bytes = escpos_bytes(e, &len);
    char *text = NULL;
    assert_int_equal(escpos_decode(bytes, len, &text), 0);
    escpos_free(e);
    return text;
}

/* On 48-column paper a long field and a wide table row wrap; nothing is
 * cut off. */
static void receipt_wraps(void **state)
{
    (void)state;
    struct card *c = card_new();
    card_field(c, "移出 Can end", "%s", "2027-02-12, at a clean re-inspection (复查合格) tail-end");
    card_table(c, 5, (const int[]){12, 10, 30, 8, 22});
    card_row(c, (const char *[]){"2026-03-24", "003a4a0e", "检定合格标志 verification-mark",
                                 "-10", "deduction.major"});
    char *text = receipt_text(c);
    assert_non_null(strstr(text, "tail-end"));
    assert_non_null(strstr(text, "deduction.major"));
    assert_non_null(strstr(text, "检定合格标志 verification-mark -10"));
    /* No line wider than the paper. */
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        char *mark;
        while ((mark = strchr(line, '[')) != NULL && strchr(mark, ']') != NULL)
            memmove(mark, strchr(mark, ']') + 1, strlen(strchr(mark, ']') + 1) + 1);
        assert_true(utf8_width(line) <= 48);
    }
    free(text);
    card_free(c);
}

/* A cell longer than a whole receipt line goes on over the next lines to
 * its end, and a field's value that a line of its own holds (a credit
 * code) is not broken after its label. */
static void receipt_long_cell(void **state)
{
    (void)state;
    struct card *c = card_new();
    card_field(c, "统一社会信用代码 Unified social credit code", "%s", "92350103MA0000087T");
    card_table(c, 4, (const int[]){11, 10, 20, 40});
    card_row(c, (const char *[]){"2025-03-22", "1003", "消费者投诉公平秤复秤：短斤缺两",
                                 "香蕉：标称 1.8 kg，复秤 1.7344 kg，短缺 65.6 g（允许 40 g）"
                                 "；苹果：标称 230 g，复秤 199.6 g，短缺 30.4 g（允许 20 g）"});
    char *text = receipt_text(c);
    assert_non_null(strstr(text, "\n  92350103MA0000087T\n"));
    /* Every character of the long cell, in order, across its lines. */
    char joined[2048] = "";
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        char *mark;
        while ((mark = strchr(line, '[')) != NULL && strchr(mark, ']') != NULL)
            memmove(mark, strchr(mark, ']') + 1, strlen(strchr(mark, ']') + 1) + 1);
        assert_true(utf8_width(line) <= 48);
        strncat(joined, line[0] == ' ' && line[1] == ' ' ? line + 2 : line,
                sizeof joined - strlen(joined) - 1);
    }
    assert_non_null(strstr(joined, "短缺 65.6 g（允许 40 g）；苹果：标称 230 g，复秤 199.6 g，"
                                    "短缺 30.4 g（允许 20 g）"));
    free(text);
    card_free(c);
}

/* As text, a table's heads and middle cells are whole: the column widens
 * to its widest cell (a bilingual head, a fair-scale result). */
static void text_cells_whole(void **state)
{
    (void)state;
    struct card *c = card_new();
    card_table(c, 3, (const int[]){14, 15, 40});
    card_row(c, (const char *[]){"日期 Date", "执法人员（执法证号） Officers (badge)", "结果 Result"});
    card_row(c, (const char *[]){"2025-05-18", "消费者投诉公平秤复秤：合格", "—"});
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    assert_int_equal(card_text(c, m), 0);
    fclose(m);
    assert_non_null(strstr(buf, "执法人员（执法证号） Officers (badge)"));
    assert_non_null(strstr(buf, "消费者投诉公平秤复秤：合格"));
    free(buf);
    card_free(c);
}

/* report/output.h: one entry point writes the cards in every format. */
static void output_formats(void **state)
{
    (void)state;
    for (int i = 0; i < REPORT_FORMAT_COUNT; i++) {
        enum report_format f;
        assert_int_equal(report_format_parse(report_format_name((enum report_format)i), &f), 0);
        assert_int_equal(f, i);
    }
    enum report_format f;
    assert_int_equal(report_format_parse("docx", &f), SC_ERR_PARSE);
    struct card *c = sample();
    /* Cards are not rows: no JSON or CSV; a PDF needs a file. */
    struct report_to json = {.format = REPORT_JSON}, pdf = {.format = REPORT_PDF};
    assert_int_equal(report_cards(&c, 1, &json), SC_ERR_ARG);
    assert_int_equal(report_cards(&c, 1, &pdf), SC_ERR_ARG);
    char dir[] = "/tmp/stallcheck-output.XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    /* Text to a file, the same as card_text. */
    snprintf(path, sizeof path, "%s/card.txt", dir);
    struct report_to text = {.format = REPORT_TEXT, .path = path};
    assert_int_equal(report_cards(&c, 1, &text), 0);
    char got[4096] = "";
    FILE *in = fopen(path, "r");
    assert_non_null(in);
    got[fread(got, 1, sizeof got - 1, in)] = '\0';
    fclose(in);
    assert_non_null(strstr(got, "诚信计量记分卡\n"));
    assert_non_null(strstr(got, "李记鲜肉"));
    /* A receipt to a file decodes back. */
    snprintf(path, sizeof path, "%s/card.bin", dir);
    struct report_to receipt = {.format = REPORT_ESCPOS, .path = path};
    assert_int_equal(report_cards(&c, 1, &receipt), 0);
    uint8_t bytes[8192];
    in = fopen(path, "rb");
    assert_non_null(in);
    size_t len = fread(bytes, 1, sizeof bytes, in);
    fclose(in);
    char *decoded = NULL;
    assert_int_equal(escpos_decode(bytes, len, &decoded), 0);
    assert_non_null(strstr(decoded, "摊位 Stall: M01-002  李记鲜肉\n"));
    assert_non_null(strstr(decoded, "[cut]"));
    free(decoded);
    /* A PDF with a file: made, non-empty. */
    snprintf(path, sizeof path, "%s/card.pdf", dir);
    pdf.path = path;
    assert_int_equal(report_cards(&c, 1, &pdf), 0);
    in = fopen(path, "rb");
    assert_non_null(in);
    assert_int_equal(fread(bytes, 1, 5, in), 5);
    fclose(in);
    assert_memory_equal(bytes, "%PDF-", 5);
    struct report_to nowhere = {.format = REPORT_TEXT, .path = "/nonexistent-dir/x.txt"};
    assert_int_equal(report_cards(&c, 1, &nowhere), SC_ERR_IO);
    card_free(c);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(widths),
        cmocka_unit_test(text_lines_up_chinese),
        cmocka_unit_test(receipt_decodes_back),
        cmocka_unit_test(receipt_wraps),
        cmocka_unit_test(receipt_long_cell),
        cmocka_unit_test(text_cells_whole),
        cmocka_unit_test(output_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
