/* The TUI's text: widths and fitting through core/utf8.h, columns not bytes
 * (STYLE.md 10); fields edited by character (tui/text.h). */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/utf8.h"
#include "tui/text.h"

static int setup(void **state)
{
    (void)state;
    /* wcwidth needs a UTF-8 character type; C.UTF-8 is always there on glibc. */
    return setlocale(LC_CTYPE, "C.UTF-8") == NULL ? -1 : 0;
}

static void widths(void **state)
{
    (void)state;
    assert_int_equal(utf8_width("abc"), 3);
    assert_int_equal(utf8_width("复秤"), 4);                 /* CJK: two columns each */
    assert_int_equal(utf8_width("±0.5 g"), 6);              /* ± is one column */
    assert_int_equal(utf8_width("25℃"), 3);                 /* ℃ one column in wcwidth */
    assert_int_equal(utf8_width(""), 0);
    assert_int_equal(utf8_width("a\xff" "b"), 3);           /* invalid byte: U+FFFD, 1 col */
    assert_int_equal(utf8_width("\xe5\xa4"), 2);            /* cut sequence: 2 bytes, 2 x FFFD */
}

static void fit_never_cuts_a_character(void **state)
{
    (void)state;
    char buf[64];
    /* 5 columns cannot hold three 2-column characters: two fit, 4 columns. */
    assert_int_equal(utf8_fit("复秤合格", 5, buf, sizeof buf, 0), 4);
    assert_string_equal(buf, "复秤");
    /* Padded: the odd column becomes a space, so columns line up. */
    assert_int_equal(utf8_fit("复秤合格", 5, buf, sizeof buf, UTF8_PAD), 5);
    assert_string_equal(buf, "复秤 ");
    assert_int_equal(utf8_fit("±0.5 g", 4, buf, sizeof buf, 0), 4);
    assert_string_equal(buf, "±0.5");
    assert_int_equal(utf8_fit("25℃", 10, buf, sizeof buf, 0), 3);
    assert_string_equal(buf, "25℃");
    assert_int_equal(utf8_fit("ab", 4, buf, sizeof buf, UTF8_PAD), 4);
    assert_string_equal(buf, "ab  ");
}

static void fit_marks_a_cut(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(utf8_fit("摊位秤读数", 6, buf, sizeof buf, UTF8_ELLIPSIS), 5);
    assert_string_equal(buf, "摊位~");
    assert_int_equal(utf8_fit("abc", 3, buf, sizeof buf, UTF8_ELLIPSIS), 3);
    assert_string_equal(buf, "abc"); /* fits whole: no mark */
}

static void fit_replaces_invalid_bytes(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(utf8_fit("a\xff" "b", 10, buf, sizeof buf, 0), 3);
    assert_string_equal(buf, "a\xef\xbf\xbd" "b");
    /* A control character is never sent to the terminal raw. */
    utf8_fit("a\x1b[2Jb", 10, buf, sizeof buf, 0);
    assert_null(strchr(buf, '\x1b'));
}

static void fit_respects_the_buffer(void **state)
{
    (void)state;
    char buf[7]; /* room for two 3-byte characters and the NUL */
    assert_int_equal(utf8_fit("复秤合格", 20, buf, sizeof buf, 0), 4);
    assert_string_equal(buf, "复秤");
    assert_int_equal(utf8_fit("abc", 0, buf, sizeof buf, UTF8_PAD), 0);
    assert_string_equal(buf, "");
}

static void editing(void **state)
{
    (void)state;
    char s[16] = "秤a";
    text_backspace(s);
    assert_string_equal(s, "秤");
    text_backspace(s);
    assert_string_equal(s, "");
    text_backspace(s);
    assert_string_equal(s, "");
    assert_int_equal(text_append(s, sizeof s, 0x79E4), 0); /* 秤 */
    assert_int_equal(text_append(s, sizeof s, 'x'), 0);
    assert_string_equal(s, "秤x");
    char small[3] = "";
    assert_int_equal(text_append(small, sizeof small, 0x79E4), -1);
}

/* Lines of a wrapped message, each at most cols columns. */
static void wrap_lines(const char *text, int cols, char out[][128], int *n)
{
    *n = 0;
    while (*text != '\0' && *n < 8) {
        size_t next, line = text_wrap(text, cols, &next);
        snprintf(out[*n], 128, "%.*s", (int)line, text);
        assert_true(utf8_width(out[*n]) <= cols);
        (*n)++;
        text += next;
    }
}

/* Wrapped, never cut: at spaces, but a number keeps its unit and its
 * neighbours; Chinese breaks between characters; an amount stays whole. */
static void wrap_keeps_numbers_whole(void **state)
{
    (void)state;
    char l[8][128];
    int n;
    wrap_lines("Re-weigh: SHORT WEIGHT, 30 g short (20 g allowed), \xc2\xa5" "0.36", 38, l, &n);
    assert_int_equal(n, 2);
    assert_string_equal(l[0], "Re-weigh: SHORT WEIGHT, 30 g short");
    assert_string_equal(l[1], "(20 g allowed), \xc2\xa5" "0.36");
    wrap_lines("复秤:短斤缺两,短缺 30 g(允许 20 g),\xc2\xa5" "0.36", 38, l, &n);
    assert_int_equal(n, 2);
    assert_string_equal(l[0], "复秤:短斤缺两,短缺 30 g(允许 20 g),");
    assert_string_equal(l[1], "\xc2\xa5" "0.36");
    wrap_lines("Discard M001-001? Lost: 8 of 8 answers, 1 re-weigh(s)", 30, l, &n);
    assert_string_equal(l[0], "Discard M001-001? Lost: 8 of 8");
    assert_string_equal(l[1], "answers, 1 re-weigh(s)");
    wrap_lines("zero: E0 = +502.5 g outside 1.25 g", 18, l, &n);
    assert_string_equal(l[0], "zero: E0 =");
    assert_string_equal(l[1], "+502.5 g outside");
    /* a code longer than the line is cut, not lost */
    wrap_lines("/tmp/stallcheck-test.ABCDEF/certs/TZ20260302-58BC0F.pdf", 20, l, &n);
    assert_int_equal(n, 3);
    assert_string_equal(l[0], "/tmp/stallcheck-test");
    size_t next;
    assert_int_equal(text_wrap("short", 10, &next), 5);
    assert_int_equal(next, 5);
}

/* Lines of fields (a plate, two settings on a row), each at most cols. */
static int field_lines(const char *text, int cols, char out[][128])
{
    int n = 0;
    while (*text != '\0' && n < 8) {
        size_t next;
        text_fields(text, cols, out[n], 128, &next);
        assert_true(utf8_width(out[n]) <= cols);
        n++;
        text += next;
    }
    return n;
}

/* A plate or a row of settings keeps every field whole: as it is when it
 * fits, one space apart when that fits, else wrapped between fields. */
static void fields_never_split(void **state)
{
    (void)state;
    char l[8][128];
    /* fits as it is */
    assert_int_equal(field_lines("III  Max 6000 g  Min 40 g  e = 2 g", 38, l), 1);
    assert_string_equal(l[0], "III  Max 6000 g  Min 40 g  e = 2 g");
    /* 39 columns with two spaces: one space apart, "e = 50 g" whole */
    assert_int_equal(field_lines("III  Max 150000 g  Min 1000 g  e = 50 g", 38, l), 1);
    assert_string_equal(l[0], "III Max 150000 g Min 1000 g e = 50 g");
    /* narrower still: a field per row rather than "e =" / "50 g" */
    assert_int_equal(field_lines("III  Max 150000 g  Min 1000 g  e = 50 g", 20, l), 2);
    assert_string_equal(l[0], "III Max 150000 g");
    assert_string_equal(l[1], "Min 1000 g  e = 50 g"); /* the rest fits as it is */
    assert_int_equal(field_lines("F7 Kind: subsequent verification  F8 Zero-tracking: no", 38, l), 2);
    assert_string_equal(l[0], "F7 Kind: subsequent verification");
    assert_string_equal(l[1], "F8 Zero-tracking: no");
    /* Chinese measured in columns: 种类 is four */
    assert_int_equal(field_lines("F7 种类: 首次检定  F8 零点跟踪: 无", 38, l), 1);
    assert_int_equal(field_lines("F7 种类: 首次检定  F8 零点跟踪: 无", 20, l), 2);
    assert_string_equal(l[0], "F7 种类: 首次检定");
    assert_string_equal(l[1], "F8 零点跟踪: 无");
    /* a field wider than the line wraps as text does, nothing lost */
    assert_int_equal(field_lines("Weight set M001-W1 calibrated  ok", 12, l), 4);
    assert_string_equal(l[0], "Weight set");
    assert_string_equal(l[3], "ok");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wrap_keeps_numbers_whole),
        cmocka_unit_test(fields_never_split),
        cmocka_unit_test(widths),
        cmocka_unit_test(fit_never_cuts_a_character),
        cmocka_unit_test(fit_marks_a_cut),
        cmocka_unit_test(fit_replaces_invalid_bytes),
        cmocka_unit_test(fit_respects_the_buffer),
        cmocka_unit_test(editing),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
