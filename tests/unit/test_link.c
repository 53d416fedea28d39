/* The link over real pseudo-terminals (openpty) and a loopback TCP socket:
 * split frames, polling, commands, timeouts, a vanished port; the stability
 * rule; every driver's encoder read back by its own parser. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/error.h"
#include "devices/driver.h"
#include "devices/link.h"
#include "devices/parser.h"
#include "devices/stability.h"
#include "devices/transport.h"
#include "tests/unit/hexbytes.h"

static int64_t ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void nap(int ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

struct pty {
    int master, slave;
    char path[64];
};

static void pty_open(struct pty *p)
{
    assert_int_equal(openpty(&p->master, &p->slave, p->path, NULL, NULL), 0);
}

/* "DRIVER:conn=" + path + rest */
static struct link *open_link(const char *driver, const char *path, const char *rest)
{
    char spec[256];
    snprintf(spec, sizeof spec, "%s:conn=%s%s", driver, path, rest);
    struct link *l = NULL;
    if (link_open(spec, &l) < 0)
        fail_msg("link_open %s: %s", spec, sc_error_message());
    return l;
}

static void split_frames_over_a_pty(void **state)
{
    (void)state;
    struct pty p;
    pty_open(&p);
    struct link *l = open_link("kern", p.path, ":timeout=1000");
    assert_string_equal(link_transport(l), "termios");
    assert_string_equal(link_serialcomm(l), "1200/8n2");
    struct reading r;
    /* Nothing yet: link_poll does not wait. */
    int64_t t0 = ms_now();
    assert_int_equal(link_poll(l, &r), 0);
    assert_true(ms_now() - t0 < 50);
    /* Frames in pieces, with pauses between them. */
    const char *stream = "  123.450 G S\r\n  -12.500 G U\r\n";
    size_t n = strlen(stream);
    for (size_t i = 0; i < n; i += 4) {
        size_t k = n - i < 4 ? n - i : 4;
        assert_int_equal(write(p.master, stream + i, k), (ssize_t)k);
        nap(5);
    }
    assert_int_equal(link_read(l, &r, 1000), 1);
    assert_string_equal(r.text, "123.450");
    assert_true(r.stable);
    assert_int_equal(link_read(l, &r, 1000), 1);
    assert_string_equal(r.text, "-12.500");
    assert_false(r.stable);
    /* The fd is pollable: POLLIN once a frame is there. */
    struct pollfd pf = {link_fd(l), POLLIN, 0};
    assert_int_equal(poll(&pf, 1, 0), 0);
    assert_int_equal(write(p.master, "    1.000 G S\r\n", 15), 15);
    assert_int_equal(poll(&pf, 1, 1000), 1);
    assert_int_equal(link_poll(l, &r), 1);
    assert_string_equal(r.text, "1.000");
    link_close(l);
    close(p.slave);
    close(p.master);
}

static void commands_reach_the_device(void **state)
{
    (void)state;
    struct pty p;
    pty_open(&p);
    struct link *l = open_link("mt-sics", p.path, "");
    assert_int_equal(link_request(l, DRIVER_REQ_STABLE), 0);
    assert_int_equal(link_request(l, DRIVER_REQ_SERIAL), 0);
    char buf[32] = {0};
    nap(20);
    assert_int_equal(read(p.master, buf, sizeof buf - 1), 7);
    assert_string_equal(buf, "S\r\nI4\r\n");
    link_close(l);
    /* A stream-only scale takes no commands. */
    l = open_link("ascii", p.path, ":pattern=snnnnnn");
    assert_int_equal(link_request(l, DRIVER_REQ_STABLE), SC_ERR_UNSUPPORTED);
    link_close(l);
    close(p.slave);
    close(p.master);
}

static void timeout_and_a_vanished_port(void **state)
{
    (void)state;
    struct pty p;
    pty_open(&p);
    struct link *l = open_link("kern", p.path, "");
    struct reading r;
    int64_t t0 = ms_now();
    assert_int_equal(link_read(l, &r, 200), SC_ERR_TIMEOUT);
    int64_t took = ms_now() - t0;
    assert_true(took >= 190 && took < 600);
    /* Garbage then silence: the timeout says bytes came that did not parse. */
    assert_int_equal(write(p.master, "\x13\x99\x42", 3), 3);
    assert_int_equal(link_read(l, &r, 100), SC_ERR_TIMEOUT);
    assert_non_null(strstr(sc_error_message(), "did not parse"));
    /* A frame, then the device goes away: GONE at once, not a timeout. */
    assert_int_equal(write(p.master, "\r\n    5.000 G S\r\n", 17), 17);
    int got_value = 0, rc;
    while (!got_value && (rc = link_read(l, &r, 1000)) == 1)
        got_value = r.kind == READING_VALUE && strcmp(r.text, "5.000") == 0;
    assert_true(got_value);
    close(p.master);
    close(p.slave);
    t0 = ms_now();
    rc = link_read(l, &r, 5000);
    assert_int_equal(rc, SC_ERR_GONE);
    assert_true(ms_now() - t0 < 500); /* no hang */
    assert_int_equal(link_fd(l), -1);
    assert_int_equal(link_poll(l, &r), SC_ERR_GONE);
    assert_int_equal(link_request(l, DRIVER_REQ_CONTINUOUS), SC_ERR_GONE);
    /* The pty is gone for good: reopening fails, saying why. */
    assert_true(link_reopen(l) < 0);
    link_close(l);
}

static void bad_connection_strings(void **state)
{
    (void)state;
    struct link *l;
    assert_int_equal(link_open("nosuch:conn=/dev/null", &l), SC_ERR_NOTFOUND);
    assert_int_equal(link_open("kern", &l), SC_ERR_ARG);
    assert_int_equal(link_open("kern:conn=/no/such/port", &l), SC_ERR_NOTFOUND);
    assert_int_equal(link_open("kern:conn=/dev/null:serialcomm=fast", &l), SC_ERR_ARG);
    assert_int_equal(link_open("kern:conn=/dev/null:transport=pigeon", &l), SC_ERR_ARG);
    assert_int_equal(link_open("kern:conn=/dev/null:window=0", &l), SC_ERR_ARG);
    assert_int_equal(link_open("mt-continuous:conn=/dev/null:checksum=maybe", &l), SC_ERR_ARG);
    /* /dev/null is no terminal */
    assert_true(link_open("kern:conn=/dev/null:transport=termios", &l) < 0);
}

static void tcp_raw(void **state)
{
    (void)state;
    int srv = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(srv, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(srv, (struct sockaddr *)&a, &len);
    assert_int_equal(listen(srv, 1), 0);
    char spec[128];
    snprintf(spec, sizeof spec, "and-std:conn=tcp-raw/127.0.0.1/%u", ntohs(a.sin_port));
    struct link *l;
    assert_int_equal(link_open(spec, &l), 0);
    assert_string_equal(link_transport(l), "tcp");
    int c = accept(srv, NULL, NULL);
    assert_true(c >= 0);
    assert_int_equal(link_request(l, DRIVER_REQ_IMMEDIATE), 0);
    char buf[8] = {0};
    assert_int_equal(read(c, buf, 3), 3);
    assert_string_equal(buf, "Q\r\n");
    const char *f = "ST,+00123.45  g\r\n";
    assert_int_equal(write(c, f, strlen(f)), (ssize_t)strlen(f));
    struct reading r;
    assert_int_equal(link_read(l, &r, 1000), 1);
    assert_string_equal(r.text, "00123.45");
    close(c);
    assert_int_equal(link_read(l, &r, 1000), SC_ERR_GONE);
    link_close(l);
    close(srv);
    /* Nobody listening: refused, said so. */
    assert_true(link_open(spec, &l) < 0);
}

static struct reading value(const char *text, bool reported)
{
    struct reading r;
    reading_clear(&r);
    reading_set_text(&r, text, strlen(text));
    snprintf(r.unit, sizeof r.unit, "g");
    r.stable_reported = reported;
    return r;
}

static void stability_window(void **state)
{
    (void)state;
    struct stability s;
    stability_init(&s, 3, NULL); /* d: one step of the last digit */
    const char *seq[] = {"10.00", "10.01", "10.00", "10.02", "10.02", "10.02", "10.03"};
    const bool want[] = {false, false, true, false, false, true, true};
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
        struct reading r = value(seq[i], false);
        assert_int_equal(stability_update(&s, &r), want[i]);
        assert_int_equal(r.stable, want[i]);
    }
    /* d given; an overload empties the window. */
    struct decimal d = {5, 2};
    stability_init(&s, 2, &d);
    struct reading r = value("1.00", false);
    stability_update(&s, &r);
    r = value("1.05", false);
    assert_true(stability_update(&s, &r));
    r = value("1.11", false);
    assert_false(stability_update(&s, &r));
    reading_clear(&r);
    r.status = READING_STATUS_OVERLOAD;
    assert_false(stability_update(&s, &r));
    r = value("1.11", false);
    assert_false(stability_update(&s, &r));
    /* a device that reports stability is believed */
    r = value("9.99", true);
    r.stable = true;
    assert_true(stability_update(&s, &r));
    assert_int_equal(stability_set(&s, "window", "65"), SC_ERR_ARG);
    assert_int_equal(stability_set(&s, "d", "-1"), SC_ERR_ARG);
    assert_int_equal(stability_set(&s, "d", "0.5"), 0);
}

/* What a driver encodes, its own parser reads back the same. */
static void encoders_read_back(void **state)
{
    (void)state;
    static const char *const specs[] = {"mt-sics", "and-std", "kern", "mt-continuous",
                                        "mt-continuous:checksum=off",
                                        "ascii:pattern=ff,snnnnnnnnuuu:stable=ST:unstable=US",
                                        "ascii:pattern=\\=nnnnnnn:end=none:decimals=2:unit=g:reverse=1"};
    static const char *const values[] = {"123.45", "-12.50", "0.00", "9999.99"};
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        struct driver_spec ds;
        assert_int_equal(driver_spec_parse(specs[i], &ds), 0);
        struct parser *p;
        assert_int_equal(parser_new(ds.driver, ds.opts, ds.n_opts, &p), 0);
        for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
            for (int stable = 0; stable < 2; stable++) {
                struct reading r = value(values[v], true);
                r.stable = stable;
                uint8_t buf[128];
                int n = ds.driver->encode(parser_state(p), &r, buf, sizeof buf);
                if (n < 0)
                    fail_msg("%s: encode %s: %s", specs[i], values[v], sc_error_message());
                struct reading back;
                assert_int_equal(parser_feed(p, buf, (size_t)n), 0);
                if (parser_next(p, &back) != 1 && parser_flush(p, &back) != 1)
                    fail_msg("%s: %s did not read back", specs[i], values[v]);
                if (back.kind != READING_VALUE)
                    fail_msg("%s: %s read back as %s (%s)", specs[i], values[v],
                             reading_kind_name(back.kind), back.info);
                assert_int_equal(decimal_cmp(back.value, r.value), 0);
                assert_string_equal(back.unit, "g");
                if (back.stable_reported)
                    assert_int_equal(back.stable, stable);
            }
        }
        /* overload */
        struct reading r = value("1.00", true);
        r.status = READING_STATUS_OVERLOAD;
        r.has_value = false;
        uint8_t buf[128];
        int n = ds.driver->encode(parser_state(p), &r, buf, sizeof buf);
        if (n > 0 && strncmp(specs[i], "ascii", 5) != 0) {
            struct reading back;
            parser_feed(p, buf, (size_t)n);
            if (parser_next(p, &back) != 1)
                assert_int_equal(parser_flush(p, &back), 1);
            assert_false(back.has_value);
            assert_int_not_equal(back.status, READING_STATUS_OK);
        }
        parser_free(p);
        driver_spec_free(&ds);
    }
}



static void put(struct pty *p, const char *hex)
{
    uint8_t b[300];
    size_t n = hex_bytes(hex, b, sizeof b);
    assert_int_equal(write(p->master, b, n), (ssize_t)n);
}

/* A reply one byte too long whose first 8 bytes pass the CRC of a request:
 * 01 03 04 00 00 01 85 3A 00 is a 2-register reply (its CRC 3A 00 holds),
 * 7E one byte more; and 01 03 04 00 00 01 85 3A alone reads as "read
 * holding register 0x0400".  On the line it comes between two silences, so
 * it is one bad frame, not a request (Modbus over serial line V1.02
 * §2.5.1.1: frames are delimited by 3.5 character times of silence). */
#define LONG_REPLY "01 03 04 00 00 01 85 3A 00 7E"
#define REPLY_770 "01 03 02 03 02 39 75"

static void modbus_frames_end_at_silences(void **state)
{
    (void)state;
    struct pty p;
    pty_open(&p);
    struct link *l = open_link("modbus-rtu", p.path, ":register=0x0121:fc=3:type=u16:decimals=0");
    struct reading r;
    put(&p, LONG_REPLY);
    assert_int_equal(link_read(l, &r, 2000), 1);
    if (r.kind != READING_BAD)
        fail_msg("the long reply read as %s: %s", reading_kind_name(r.kind), r.info);
    assert_int_equal(r.raw_len, 10);
    assert_non_null(strstr(r.info, "bytes too many"));
    /* The next reply, after a silence, is read as it is. */
    put(&p, REPLY_770);
    assert_int_equal(link_read(l, &r, 2000), 1);
    assert_int_equal(r.kind, READING_VALUE);
    assert_string_equal(r.text, "770");
    /* A meter that stops mid-frame for longer than t3.5: two bad pieces
     * (the link reads the first piece before the second is written). */
    put(&p, "01 03 02 03");
    assert_int_equal(link_read(l, &r, 2000), 1);
    assert_int_equal(r.kind, READING_BAD);
    assert_int_equal(r.raw_len, 4);
    put(&p, "02 39 75");
    assert_int_equal(link_read(l, &r, 2000), 1);
    assert_int_equal(r.kind, READING_BAD);
    assert_int_equal(r.raw_len, 3);
    /* Two whole frames that came before the reader looked: both. */
    put(&p, REPLY_770 " " REPLY_770);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(link_read(l, &r, 2000), 1);
        assert_int_equal(r.kind, READING_VALUE);
        assert_string_equal(r.text, "770");
    }
    link_close(l);
    /* silence=MS: a line whose adapter delivers a frame in pieces some ms
     * apart keeps the pieces together. */
    l = open_link("modbus-rtu", p.path, ":register=0x0121:fc=3:type=u16:decimals=0:silence=1000");
    put(&p, "01 03 02 03");
    assert_int_equal(link_poll(l, &r), 0);
    nap(20);
    put(&p, "02 39 75");
    assert_int_equal(link_read(l, &r, 3000), 1);
    assert_int_equal(r.kind, READING_VALUE);
    assert_string_equal(r.text, "770");
    link_close(l);
    /* A capture has no timing: there the bytes are split by their layout
     * alone, the longer complete frame first: the reply, then one byte too
     * many. */
    struct driver_spec ds;
    struct parser *ps;
    assert_int_equal(driver_spec_parse("modbus-rtu:register=0x0121:fc=3:type=u16:decimals=0", &ds), 0);
    assert_int_equal(parser_new(ds.driver, ds.opts, ds.n_opts, &ps), 0);
    uint8_t b[16];
    size_t n = hex_bytes(LONG_REPLY, b, sizeof b);
    parser_feed(ps, b, n);
    assert_int_equal(parser_next(ps, &r), 1);
    assert_int_equal(r.kind, READING_VALUE);
    assert_int_equal(r.raw_len, 9);
    assert_int_equal(parser_flush(ps, &r), 1);
    assert_int_equal(r.kind, READING_BAD);
    assert_int_equal(r.raw_len, 1);
    parser_free(ps);
    driver_spec_free(&ds);
    close(p.slave);
    close(p.master);
}

/* A 7E1 terminal read by an 8N1 port (here a pty, which takes no parity):
 * bit 7 of each byte is the character's even parity bit; the parser strips
 * it (WILDCAT manual appendix 2: 7-bit ASCII with parity). */
static void seven_bit_device_at_8n1(void **state)
{
    (void)state;
    struct pty p;
    pty_open(&p);
    struct link *l = open_link("mt-continuous", p.path, ":serialcomm=9600/8n1");
    /* 02 2C 30 20 "001234" "000000" 0D 2B with the parity bits set */
    put(&p, "82 AC 30 A0 30 30 B1 B2 33 B4 30 30 30 30 30 30 8D 2B");
    struct reading r;
    assert_int_equal(link_read(l, &r, 2000), 1);
    if (r.kind != READING_VALUE)
        fail_msg("%s: %s", reading_kind_name(r.kind), r.info);
    assert_string_equal(r.text, "12.34");
    assert_string_equal(r.unit, "kg");
    link_close(l);
    close(p.slave);
    close(p.master);
}

static void serialcomm_strings(void **state)
{
    (void)state;
    struct serialcomm sc;
    assert_int_equal(serialcomm_parse("9600/8n1", &sc), 0);
    assert_int_equal(sc.baud, 9600);
    assert_int_equal(sc.bits, 8);
    assert_int_equal(sc.parity, 'n');
    assert_int_equal(sc.stop, 1);
    assert_int_equal(serialcomm_parse("2400/7E1", &sc), 0);
    assert_int_equal(sc.bits, 7);
    assert_int_equal(sc.parity, 'e');
    assert_int_equal(serialcomm_parse("1200", &sc), 0);
    assert_int_equal(sc.stop, 1);
    assert_true(serialcomm_parse("9600/9n1", &sc) < 0);
    assert_true(serialcomm_parse("9600/8x1", &sc) < 0);
    assert_true(serialcomm_parse("9600/8n3", &sc) < 0);
    assert_true(serialcomm_parse("fast", &sc) < 0);
    assert_true(serialcomm_parse("9600/8n1x", &sc) < 0);
    assert_true(transport_is_pty("/dev/null") == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(split_frames_over_a_pty),
        cmocka_unit_test(commands_reach_the_device),
        cmocka_unit_test(timeout_and_a_vanished_port),
        cmocka_unit_test(bad_connection_strings),
        cmocka_unit_test(tcp_raw),
        cmocka_unit_test(stability_window),
        cmocka_unit_test(serialcomm_strings),
        cmocka_unit_test(encoders_read_back),
        cmocka_unit_test(modbus_frames_end_at_silences),
        cmocka_unit_test(seven_bit_device_at_8n1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
