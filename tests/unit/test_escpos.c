/* ESC/POS receipts: the bytes built, Chinese in GB18030, read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pty.h>
#include <unistd.h>
#include <cmocka.h>

#include "devices/escpos.h"

static void builds_and_reads_back(void **state)
{
    (void)state;
    struct escpos *e = escpos_new();
    assert_non_null(e);
    assert_int_equal(escpos_align(e, ESCPOS_CENTER), 0);
    assert_int_equal(escpos_size(e, 2, 2), 0);
    assert_int_equal(escpos_line(e, "诚信计量示范摊位"), 0);
    assert_int_equal(escpos_size(e, 1, 1), 0);
    assert_int_equal(escpos_bold(e, true), 0);
    assert_int_equal(escpos_line(e, "Score 92 分"), 0);
    assert_int_equal(escpos_bold(e, false), 0);
    assert_int_equal(escpos_qr(e, "https://example.org/stall/A-017", 6), 0);
    assert_int_equal(escpos_feed(e, 3), 0);
    assert_int_equal(escpos_cut(e), 0);
    size_t n;
    const uint8_t *b = escpos_bytes(e, &n);
    /* ESC @, FS & first; GB18030 for 诚 is B3 CF. */
    assert_memory_equal(b, "\x1b@\x1c&", 4);
    const uint8_t cheng[] = {0xB3, 0xCF};
    assert_non_null(memmem(b, n, cheng, 2));
    /* GS ( k store: pL pH = len + 3 */
    const char *data = "https://example.org/stall/A-017";
    uint8_t store[8] = {0x1D, '(', 'k', (uint8_t)(strlen(data) + 3), 0, '1', 'P', '0'};
    const uint8_t *s = memmem(b, n, store, 8);
    assert_non_null(s);
    assert_memory_equal(s + 8, data, strlen(data));
    /* cut at the end */
    assert_memory_equal(b + n - 4, "\x1dV\x42\x00", 4);
    char *text;
    assert_int_equal(escpos_decode(b, n, &text), 0);
    assert_string_equal(text, "[init][cjk][center][size 2x2]诚信计量示范摊位\n[size 1x1][bold]Score 92 分\n"
                              "[/bold][qr https://example.org/stall/A-017][feed 3][cut]");
    free(text);
    escpos_free(e);
}

static void refuses_bad_input(void **state)
{
    (void)state;
    struct escpos *e = escpos_new();
    assert_true(escpos_text(e, "bad \xff utf-8") < 0);
    assert_true(escpos_text(e, "a\x1b@b") < 0);
    assert_true(escpos_size(e, 0, 1) < 0);
    assert_true(escpos_size(e, 9, 1) < 0);
    assert_true(escpos_qr(e, "", 4) < 0);
    escpos_free(e);
    char *text;
    static const uint8_t cut_short[] = {0x1B};
    assert_true(escpos_decode(cut_short, sizeof cut_short, &text) < 0);
    static const uint8_t qr_short[] = {0x1D, '(', 'k', 40, 0, '1', 'P', '0', 'a'};
    assert_true(escpos_decode(qr_short, sizeof qr_short, &text) < 0);
    static const uint8_t unknown[] = {0x1B, 'Z', 1};
    assert_true(escpos_decode(unknown, sizeof unknown, &text) < 0);
}

static void writes_a_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/escpos-test.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/r.bin", dir);
    struct escpos *e = escpos_new();
    escpos_line(e, "公平秤 fair scale");
    escpos_cut(e);
    assert_int_equal(escpos_write_file(e, path), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t buf[256];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    size_t want;
    const uint8_t *b = escpos_bytes(e, &want);
    assert_int_equal(n, want);
    assert_memory_equal(buf, b, n);
    unlink(path);
    rmdir(dir);
    escpos_free(e);
}

/* To a printer on a serial port: the same bytes arrive at the other end. */
static void sends_to_a_serial_port(void **state)
{
    (void)state;
    int master, slave;
    char path[64];
    assert_int_equal(openpty(&master, &slave, path, NULL, NULL), 0);
    struct escpos *e = escpos_new();
    escpos_line(e, "复秤 12.34 kg");
    escpos_qr(e, "A-017", 4);
    escpos_cut(e);
    assert_int_equal(escpos_send(e, path, "9600/8n1"), 0);
    size_t want;
    const uint8_t *b = escpos_bytes(e, &want);
    uint8_t buf[512];
    size_t got = 0;
    while (got < want) {
        ssize_t n = read(master, buf + got, sizeof buf - got);
        assert_true(n > 0);
        got += (size_t)n;
    }
    assert_int_equal(got, want);
    assert_memory_equal(buf, b, want);
    assert_true(escpos_send(e, "/no/such/printer", NULL) < 0);
    escpos_free(e);
    close(slave);
    close(master);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builds_and_reads_back),
        cmocka_unit_test(refuses_bad_input),
        cmocka_unit_test(writes_a_file),
        cmocka_unit_test(sends_to_a_serial_port),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
