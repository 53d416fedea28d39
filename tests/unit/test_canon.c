/* core/canon.h: the canonical text of an audited record, written and read
 * back strictly (one text per record), and db_record_id's device tags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/canon.h"
#include "core/error.h"
#include "db/db.h"

static const char sample[] =
    "#1\n--\nid:t=abc\nnote:t=line\\none \\\\ back\nvalue_ug:i=-1250000000\nended_at:null\n"
    "#2\n--\nraw:b=53540d0a\nn:i=0\n--\nraw:b=\nn:i=9223372036854775807\n#3\n";

static void parse_and_write_round_trip(void **state)
{
    (void)state;
    struct canon_doc d;
    assert_int_equal(canon_parse(sample, sizeof sample - 1, &d), 0);
    assert_int_equal(d.nqueries, 3);
    assert_int_equal(d.queries[0].nrows, 1);
    const struct canon_row *r = &d.queries[0].rows[0];
    const struct canon_col *note = canon_get(r, "note");
    assert_non_null(note);
    assert_int_equal(note->type, CANON_TEXT);
    assert_int_equal(note->len, strlen("line\none \\ back"));
    assert_memory_equal(note->data, "line\none \\ back", note->len);
    assert_int_equal(canon_get(r, "value_ug")->i, -1250000000LL);
    assert_int_equal(canon_get(r, "ended_at")->type, CANON_NULL);
    assert_null(canon_get(r, "nothing"));
    assert_int_equal(d.queries[1].nrows, 2);
    const struct canon_col *raw = canon_get(&d.queries[1].rows[0], "raw");
    assert_int_equal(raw->type, CANON_BLOB);
    assert_int_equal(raw->len, 4);
    assert_memory_equal(raw->data, "ST\r\n", 4);
    assert_int_equal(canon_get(&d.queries[1].rows[1], "n")->i, INT64_MAX);
    assert_int_equal(d.queries[2].nrows, 0);
    struct canon_buf out = {0};
    canon_write(&d, &out);
    assert_int_equal(out.len, sizeof sample - 1);
    assert_memory_equal(out.p, sample, out.len);
    canon_buf_free(&out);
    canon_free(&d);
}

/* Anything the writer would not write is refused, with the line. */
/* The writer's integers and bytes, written by hand, are what printf
 * writes: every hash of every record depends on it. */
static void integers_and_bytes_as_printf(void **state)
{
    (void)state;
    const int64_t v[] = {0, 1, -1, 9, 10, -10, 123456789, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        struct canon_buf b = {0};
        canon_int(&b, "n", v[i]);
        char want[64];
        snprintf(want, sizeof want, "n:i=%lld\n", (long long)v[i]);
        assert_string_equal(b.p, want);
        canon_buf_free(&b);
    }
    unsigned char bytes[300];
    char want[2 * sizeof bytes + 16] = "raw:b=";
    for (size_t i = 0; i < sizeof bytes; i++) {
        bytes[i] = (unsigned char)(i * 37 + 11);
        snprintf(want + strlen(want), 3, "%02x", bytes[i]);
    }
    strcat(want, "\n");
    struct canon_buf b = {0};
    canon_blob(&b, "raw", bytes, sizeof bytes);
    assert_string_equal(b.p, want);
    canon_buf_free(&b);
}

static void refuses_what_is_not_canonical(void **state)
{
    (void)state;
    static const struct {
        const char *text, *why;
    } bad[] = {
        {"#2\n", "line 1: queries are numbered"},
        {"#1\n--\nn:i=007\n", "line 3: not an integer"},
        {"#1\n--\nn:i=-0\n", "line 3: not an integer"},
        {"#1\n--\nn:i=+1\n", "line 3: not an integer"},
        {"#1\n--\nn:i=9223372036854775808\n", "line 3: not an integer"},
        {"#1\n--\nt:t=a\\tb\n", "line 3: a backslash"},
        {"#1\n--\nb:b=ABCD\n", "line 3: a blob is lower-case"},
        {"#1\n--\nb:b=abc\n", "line 3: a blob is pairs"},
        {"#1\n--\nName:t=x\n", "line 3: a column name"},
        {"#1\nx:t=1\n", "line 2: a column outside a row"},
        {"--\n", "line 1: a row before"},
        {"#1\n--\nx:t=1", "line 3: the last line does not end"},
        {"#1\n--\nx:q=1\n", "line 3: a column's type"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct canon_doc d;
        int rc = canon_parse(bad[i].text, strlen(bad[i].text), &d);
        canon_free(&d);
        if (rc != SC_ERR_PARSE || strstr(sc_error_message(), bad[i].why) == NULL)
            fail_msg("%zu: '%s' gave %d '%s', want '%s'", i, bad[i].text, rc,
                     sc_error_message(), bad[i].why);
    }
    /* Bytes inside text are kept as they are, NUL and invalid UTF-8 too:
     * judging them is the reader's business. */
    static const char odd[] = "#1\n--\nt:t=a\0b\xff\n";
    struct canon_doc d;
    assert_int_equal(canon_parse(odd, sizeof odd - 1, &d), 0);
    assert_int_equal(d.queries[0].rows[0].cols[0].len, 4);
    canon_free(&d);
}

/* A record id names its device: another device's tag is not its own. */
static void record_ids_carry_their_device(void **state)
{
    (void)state;
    const char *a = "0b1c2d3e-0000-4000-8000-000000000001";
    const char *b = "9f8e7d6c-0000-4000-8000-000000000002";
    char ta[13], tb[13];
    db_device_tag(a, ta);
    db_device_tag(b, tb);
    assert_int_equal(strlen(ta), 12);
    assert_string_not_equal(ta, tb);
    char id[DB_UUID_LEN];
    snprintf(id, sizeof id, "%.8s-%.4s-8123-9456-0123456789ab", ta, ta + 8);
    assert_int_equal(db_record_id_owner(id, strlen(id), a), 1);
    assert_int_equal(db_record_id_owner(id, strlen(id), b), -1);
    /* An untagged version-4 id (made before tags) is anyone's. */
    assert_int_equal(db_record_id_owner(b, strlen(b), a), 0);
    /* Not a record id: upper case, a byte more, another version. */
    assert_int_equal(db_record_id_owner("0B1C2D3E-0000-4000-8000-000000000001", 36, a), -1);
    char longer[48];
    snprintf(longer, sizeof longer, "%sX", id);
    assert_int_equal(db_record_id_owner(longer, strlen(longer), a), -1);
    assert_int_equal(db_record_id_owner("0b1c2d3e-0000-1000-8000-000000000001", 36, a), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_and_write_round_trip),
        cmocka_unit_test(integers_and_bytes_as_printf),
        cmocka_unit_test(refuses_what_is_not_canonical),
        cmocka_unit_test(record_ids_carry_their_device),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
