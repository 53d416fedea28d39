/* core/utf8.h: strict decoding (RFC 3629 section 3), widths in columns
 * whatever the caller's locale, fitting without cutting a character. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>
#include <cmocka.h>

#include "core/utf8.h"

static void decode_is_strict(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(utf8_decode("秤", 3, &cp), 3);
    assert_int_equal(cp, 0x79E4);
    assert_int_equal(utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(utf8_decode("\xC0\x80", 2, &cp), 0);         /* overlong NUL */
    assert_int_equal(utf8_decode("\xE0\x80\xAF", 3, &cp), 0);     /* overlong '/' */
    assert_int_equal(utf8_decode("\xED\xA0\x80", 3, &cp), 0);     /* a surrogate */
    assert_int_equal(utf8_decode("\xF4\x90\x80\x80", 4, &cp), 0); /* above U+10FFFF */
    assert_int_equal(utf8_decode("\xE7\xA7", 2, &cp), 0);         /* cut short */
    assert_int_equal(utf8_decode("\xE7\xA7\xA4", 2, &cp), 0);     /* left too short */
    assert_int_equal(utf8_decode("\x80", 1, &cp), 0);             /* lone continuation */
    assert_int_equal(utf8_decode("\xFF", 1, &cp), 0);
}

/* The test runs in the "C" locale, where wcwidth is -1 for every
 * non-ASCII character: the widths must not depend on it. */
static void widths_whatever_the_locale(void **state)
{
    (void)state;
    assert_int_equal(utf8_width("abc"), 3);
    assert_int_equal(utf8_width("李记"), 4);
    assert_int_equal(utf8_width("封印 seal"), 9);
    assert_int_equal(utf8_width("，"), 2);     /* U+FF0C fullwidth comma */
    assert_int_equal(utf8_width("±0.5 g"), 6);
    assert_int_equal(utf8_width("e\xCC\x81"), 1); /* e + combining acute */
    assert_int_equal(utf8_width(""), 0);
    assert_int_equal(utf8_width(NULL), 0);
    assert_int_equal(utf8_width("\xff"), 1);      /* one U+FFFD */
    assert_int_equal(utf8_width("a\tb"), 3);      /* the tab drawn as U+FFFD */
    assert_int_equal(utf8_width("\xe5\xa4"), 2);  /* cut: two bytes, two U+FFFD */
    int c_locale = utf8_width("复秤合格 25℃");
    assert_int_equal(c_locale, 12);
    /* The same in a UTF-8 locale, and the same as wcwidth's own answer. */
    assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
    assert_int_equal(utf8_width("复秤合格 25℃"), c_locale);
    assert_int_equal(utf8_cp_width(0x79E4), wcwidth(0x79E4));
    assert_int_equal(utf8_cp_width(0x2103), wcwidth(0x2103));
    assert_non_null(setlocale(LC_CTYPE, "C"));
}

static void next_replaces_what_cannot_be_drawn(void **state)
{
    (void)state;
    struct utf8_char c;
    assert_int_equal(utf8_next("\x1b[2J", 4, &c), 1); /* ESC never reaches a terminal */
    assert_true(c.replaced);
    assert_int_equal(c.cp, 0xFFFD);
    assert_int_equal(c.width, 1);
    assert_int_equal(utf8_next("\xC2\x85", 2, &c), 2); /* C1 control NEL */
    assert_true(c.replaced);
    assert_int_equal(utf8_next("摊", 3, &c), 3);
    assert_false(c.replaced);
    assert_int_equal(c.width, 2);
}

static void fit_never_cuts_a_character(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(utf8_fit("复秤合格", 5, buf, sizeof buf, 0), 4);
    assert_string_equal(buf, "复秤");
    assert_int_equal(utf8_fit("复秤合格", 5, buf, sizeof buf, UTF8_PAD), 5);
    assert_string_equal(buf, "复秤 ");
    assert_int_equal(utf8_fit("摊位秤读数", 6, buf, sizeof buf, UTF8_ELLIPSIS), 5);
    assert_string_equal(buf, "摊位~");
    assert_int_equal(utf8_fit("abc", 3, buf, sizeof buf, UTF8_ELLIPSIS), 3);
    assert_string_equal(buf, "abc");
    assert_int_equal(utf8_fit("a\xff\x01z", 10, buf, sizeof buf, 0), 4);
    assert_string_equal(buf, "a" UTF8_REPLACEMENT UTF8_REPLACEMENT "z");
    /* A buffer too small for the next character stops before it. */
    char small[5];
    assert_int_equal(utf8_fit("复秤", 10, small, sizeof small, 0), 2);
    assert_string_equal(small, "复");
    assert_int_equal(utf8_fit("x", 3, buf, 0, 0), 0);
    assert_int_equal(utf8_fit(NULL, 2, buf, sizeof buf, UTF8_PAD), 2);
    assert_string_equal(buf, "  ");
}

/* Stored text: cut only where a character ends, and invalid text named. */
static void copy_cuts_only_at_a_boundary(void **state)
{
    (void)state;
    char buf[8];
    /* "1" + 秤秤秤 = 10 bytes into 7 + NUL: "1秤秤" is 7 bytes exactly. */
    assert_int_equal(utf8_copy(buf, sizeof buf, "1秤秤秤"), 7);
    assert_string_equal(buf, "1秤秤");
    /* One byte less room: the second 秤 would be cut, so it is left out. */
    assert_int_equal(utf8_copy(buf, 7, "1秤秤秤"), 4);
    assert_string_equal(buf, "1秤");
    assert_int_equal(utf8_copy(buf, 5, "\xF0\x9F\x98\x80x"), 4); /* a 4-byte character fits */
    assert_int_equal(utf8_copy(buf, 4, "\xF0\x9F\x98\x80x"), 0); /* or goes whole */
    assert_string_equal(buf, "");
    assert_int_equal(utf8_copy(buf, sizeof buf, "abc"), 3);        /* whole */
    assert_int_equal(utf8_copy(buf, 0, "abc"), 0);
    /* Stray continuation bytes at the edge: backed off (at most three
     * bytes), never past the limit. */
    assert_true(utf8_copy(buf, 4, "\x80\x80\x80\x80\x80\x80") <= 3);
    /* Every cut of a long Chinese text at every size is valid UTF-8. */
    const char *goods = "1特级有机黑毛猪前腿肉特级有机黑毛猪前腿肉特级有机黑毛猪前腿肉";
    char big[96];
    for (size_t size = 1; size <= sizeof big; size++) {
        size_t n = utf8_copy(big, size, goods);
        assert_true(n < size);
        assert_true(utf8_valid(big, n, NULL));
        assert_true(n == strlen(goods) || size - 1 - n < 3);
    }
}

static void valid_names_the_first_bad_byte(void **state)
{
    (void)state;
    size_t bad = 99;
    assert_true(utf8_valid("复秤 ok", strlen("复秤 ok"), &bad));
    assert_true(utf8_valid("a\0b", 3, NULL)); /* a NUL is a character */
    assert_false(utf8_valid("1特\xE7\x89", 6, &bad));
    assert_int_equal(bad, 4);
    assert_false(utf8_valid("\xC0\x80", 2, &bad));
    assert_int_equal(bad, 0);
    assert_true(utf8_valid("", 0, NULL));
}

/* A field scrolled to its end keeps whole characters: 5 columns of
 * "无价签无价签" are "价签" (4), never half of "签". */
static void tail_keeps_whole_characters(void **state)
{
    (void)state;
    assert_string_equal(utf8_tail("无价签无价签", 5), "价签");
    assert_string_equal(utf8_tail("无价签无价签", 6), "无价签");
    assert_string_equal(utf8_tail("price 12", 20), "price 12");
    assert_string_equal(utf8_tail("price 12", 2), "12");
    assert_string_equal(utf8_tail("签", 1), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tail_keeps_whole_characters),
        cmocka_unit_test(decode_is_strict),
        cmocka_unit_test(widths_whatever_the_locale),
        cmocka_unit_test(next_replaces_what_cannot_be_drawn),
        cmocka_unit_test(fit_never_cuts_a_character),
        cmocka_unit_test(copy_cuts_only_at_a_boundary),
        cmocka_unit_test(valid_names_the_first_bad_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
