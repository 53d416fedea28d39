/* core/termsafe: text from the database, a file or a device is shown, never
 * obeyed by the terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/termsafe.h"
#include "report/csv.h"

static char *printed(const char *fmt, ...)
{
    static char buf[512];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    assert_non_null(f);
    va_list ap;
    va_start(ap, fmt);
    int n = term_vprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
    assert_true(n >= 0);
    assert_int_equal((size_t)n, strlen(buf));
    return buf;
}

static void controls_are_escaped(void **state)
{
    (void)state;
    char out[128];
    /* ESC [ 2 J clears a screen, ESC ] 0 ; retitles a window, CR returns
     * to the start of the line, BEL rings. */
    assert_string_equal(term_escape("x\033[2J\r\ny", out, sizeof out), "x\\x1b[2J\\r\\ny");
    assert_string_equal(term_escape("m\033]0;t\007", out, sizeof out), "m\\x1b]0;t\\x07");
    assert_string_equal(term_escape("a\tb\x7f", out, sizeof out), "a\\tb\\x7f");
    /* C1 controls, UTF-8 encoded: U+009B is CSI on terminals that obey C1. */
    assert_string_equal(term_escape("a\xc2\x9b" "2J", out, sizeof out), "a\\u009b2J");
    /* Bytes that are not UTF-8: 0xff, half of 王, a lone continuation. */
    assert_string_equal(term_escape("\xff\xe7\x8e", out, sizeof out), "\\xff\\xe7\\x8e");
    assert_string_equal(term_escape("\x80z", out, sizeof out), "\\x80z");
    /* Everything else passes: Chinese, a backslash, the empty string. */
    assert_string_equal(term_escape("王记水产 M01-003 \\n", out, sizeof out), "王记水产 M01-003 \\n");
    assert_string_equal(term_escape("", out, sizeof out), "");
    assert_true(term_clean("王记水产 =HYPERLINK(1)"));
    assert_false(term_clean("a\033b"));
    assert_false(term_clean("\xff"));
}

static void cut_at_boundaries(void **state)
{
    (void)state;
    char out[16];
    /* 王记 is 6 bytes; a third character does not fit in 7. */
    assert_string_equal(term_escape("王记水", out, 8), "王记");
    /* An escape is never cut in half. */
    assert_string_equal(term_escape("abcd\033", out, 7), "abcd");
    assert_string_equal(term_escape("abcd\033", out, 9), "abcd\\x1b");
}

static void printf_escapes_only_strings(void **state)
{
    (void)state;
    assert_string_equal(printed("%s|%-6s|%3d|%zu|%lld|%.2f|%*d|%%|%c\n", "a\033b", "c\rd", 7,
                                (size_t)12, -5LL, 1.5, 4, 9, 'z'),
                        "a\\x1bb|c\\rd  |  7|12|-5|1.50|   9|%|z\n");
    /* The format's own newline and escapes are the program's: kept. */
    assert_string_equal(printed("%s\n%.3s\n", "\n", "abcdef"), "\\n\nabc\n");
    assert_string_equal(printed("%ld %lu %x", -3L, 4UL, 255u), "-3 4 ff");
}

/* A CSV cell a spreadsheet would take for a formula starts with an
 * apostrophe, quoted (report/csv.h): = + - @ and their full-width forms. */
static const char *cell(const char *text)
{
    static char buf[256];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    assert_non_null(f);
    csv_field(f, text);
    fclose(f);
    return buf;
}

static void csv_cells_never_start_a_formula(void **state)
{
    (void)state;
    assert_string_equal(cell("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"");
    assert_string_equal(cell("@SUM(1)"), "\"'@SUM(1)\"");
    assert_string_equal(cell("\xef\xbc\x9dHYPERLINK(1)"), "\"'\xef\xbc\x9dHYPERLINK(1)\"");
    assert_string_equal(cell("\xef\xbc\x8b" "1"), "\"'\xef\xbc\x8b" "1\"");
    assert_string_equal(cell("\xef\xbc\x8d" "1"), "\"'\xef\xbc\x8d" "1\"");
    assert_string_equal(cell("\xef\xbc\xa0SUM(1)"), "\"'\xef\xbc\xa0SUM(1)\"");
    /* Full-width text that starts no formula is left as it is. */
    assert_string_equal(cell("\xef\xbc\x88\xe7\x94\xb2\xef\xbc\x89"), "\xef\xbc\x88\xe7\x94\xb2\xef\xbc\x89");
    assert_string_equal(cell("王记 =1"), "王记 =1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(controls_are_escaped),
        cmocka_unit_test(cut_at_boundaries),
        cmocka_unit_test(printf_escapes_only_strings),
        cmocka_unit_test(csv_cells_never_start_a_formula),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
