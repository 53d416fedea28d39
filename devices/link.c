#include "devices/link.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "devices/parser.h"
#include "devices/stability.h"
#include "devices/transport.h"

#define LINK_DEFAULT_TIMEOUT 2000

struct link {
    struct driver_spec spec;
    struct serialcomm sc;
    char serialcomm[24];
    enum transport_kind kind;
    int timeout_ms;
    struct transport *t;
    struct parser *parser;
    struct stability stab;
    int gone;
    int silence_ms;          /* silence=MS given, else 0 */
    int by_silence;          /* frames cut at line silences (Modbus RTU) */
    int64_t t35_us;          /* the silence that ends a frame */
    int64_t last_rx_us;      /* when bytes last came */
};

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t now_ms(void)
{
    return now_us() / 1000;
}

/* Modbus over serial line V1.02 §2.5.1.1: frames are separated by a silence
 * of at least 3.5 character times; above 19200 bps a fixed 1.750 ms.  A
 * character is start, data, parity and stop bits (11 with 8E1, §2.5.1). */
static int64_t t35_us(const struct serialcomm *sc)
{
    if (sc->baud > 19200)
        return 1750;
    int bits = 1 + sc->bits + (sc->parity != 'n') + sc->stop;
    return (int64_t)bits * 3500000 / sc->baud;
}

int link_open(const char *connstr, struct link **out)
{
    struct link *l = calloc(1, sizeof *l);
    if (l == NULL)
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    int rc = driver_spec_parse(connstr, &l->spec);
    if (rc < 0) {
        free(l);
        return rc;
    }
    l->timeout_ms = LINK_DEFAULT_TIMEOUT;
    stability_init(&l->stab, 0, NULL);
    /* The link's own options come out; the rest are the driver's. */
    struct driver_opt drv_opts[DRIVER_SPEC_MAX_OPTS];
    size_t nd = 0;
    for (size_t i = 0; i < l->spec.n_opts && rc == SC_OK; i++) {
        const char *k = l->spec.opts[i].key, *v = l->spec.opts[i].value;
        if (strcmp(k, "transport") == 0) {
            int kind = transport_kind_parse(v);
            if (kind < 0)
                rc = sc_error_set(SC_ERR_ARG, "transport=%s: want auto, serial, termios or tcp", v);
            else
                l->kind = (enum transport_kind)kind;
        } else if (strcmp(k, "timeout") == 0) {
            char *end;
            long ms = strtol(v, &end, 10);
            if (*v == '\0' || *end != '\0' || ms < 1 || ms > 600000)
                rc = sc_error_set(SC_ERR_ARG, "timeout=%s: want 1-600000 ms", v);
            l->timeout_ms = (int)ms;
        } else if (strcmp(k, "window") == 0 || strcmp(k, "d") == 0) {
            rc = stability_set(&l->stab, k, v);
        } else if (strcmp(k, "silence") == 0) {
            /* Frames by silence, the silence longer than t3.5: for adapters
             * that deliver a frame in pieces some ms apart (USB latency). */
            char *end;
            long ms = strtol(v, &end, 10);
            if (*v == '\0' || *end != '\0' || ms < 1 || ms > 10000)
                rc = sc_error_set(SC_ERR_ARG, "silence=%s: want 1-10000 ms", v);
            l->silence_ms = (int)ms;
        } else {
            drv_opts[nd++] = l->spec.opts[i];
        }
    }
    if (rc == SC_OK) {
        snprintf(l->serialcomm, sizeof l->serialcomm, "%s",
                 l->spec.serialcomm ? l->spec.serialcomm : l->spec.driver->serialcomm);
        rc = serialcomm_parse(l->serialcomm, &l->sc);
    }
    if (rc == SC_OK)
        rc = parser_new(l->spec.driver, drv_opts, nd, &l->parser);
    if (rc == SC_OK)
        rc = transport_open(l->spec.conn, &l->sc, l->kind, &l->t);
    if (rc == SC_OK && (l->spec.driver->flags & DRIVER_SILENCE) &&
        transport_kind(l->t) != TRANSPORT_TCP) {
        /* A live serial line: frames end where the line falls silent.  (A
         * TCP bridge packs bytes into segments as it likes: there frames
         * are found by their layout, as in a capture.) */
        l->by_silence = 1;
        l->t35_us = l->silence_ms > 0 ? (int64_t)l->silence_ms * 1000 : t35_us(&l->sc);
        parser_by_silence(l->parser, true);
    }
    if (rc < 0) {
        parser_free(l->parser);
        driver_spec_free(&l->spec);
        free(l);
        return rc;
    }
    *out = l;
    return SC_OK;
}

void link_close(struct link *l)
{
    if (l == NULL)
        return;
    transport_close(l->t);
    parser_free(l->parser);
    driver_spec_free(&l->spec);
    free(l);
}

int link_fd(const struct link *l)
{
    return l->gone || l->t == NULL ? -1 : transport_fd(l->t);
}

int link_request(struct link *l, enum driver_request what)
{
    if (l->gone || l->t == NULL)
        return sc_error_set(SC_ERR_GONE, "%s: the port is gone", l->spec.conn);
    uint8_t cmd[300];
    int n = driver_command(l->spec.driver, parser_state(l->parser), what, cmd, sizeof cmd);
    if (n < 0)
        return n;
    int rc = transport_write(l->t, cmd, (size_t)n, l->timeout_ms);
    if (rc == SC_ERR_GONE)
        l->gone = 1;
    return rc < 0 ? rc : SC_OK;
}

int link_write(struct link *l, const uint8_t *buf, size_t len)
{
    if (l->gone || l->t == NULL)
        return sc_error_set(SC_ERR_GONE, "%s: the port is gone", l->spec.conn);
    int rc = transport_write(l->t, buf, len, l->timeout_ms);
    if (rc == SC_ERR_GONE)
        l->gone = 1;
    return rc;
}

static int deliver(struct link *l, struct reading *out)
{
    stability_update(&l->stab, out);
    /* A reply in several frames: the device waits to be asked for the
     * next (DL/T 645 read follow-up data). */
    if (out->follow_up && !l->gone && l->t != NULL)
        link_request(l, DRIVER_REQ_NEXT);
    return 1;
}

/* The line has been quiet for t3.5 since the last bytes: they end a frame. */
static void check_silence(struct link *l, int64_t now)
{
    if (l->by_silence && parser_unbounded(l->parser) > 0 && now - l->last_rx_us >= l->t35_us)
        parser_silence(l->parser);
}

int link_wait_ms(const struct link *l)
{
    if (!l->by_silence || parser_unbounded(l->parser) == 0)
        return -1;
    int64_t left = l->last_rx_us + l->t35_us - now_us();
    return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

int link_poll(struct link *l, struct reading *out)
{
    check_silence(l, now_us());
    if (parser_next(l->parser, out) > 0)
        return deliver(l, out);
    if (l->gone || l->t == NULL)
        return sc_error_set(SC_ERR_GONE, "%s: the port is gone", l->spec.conn);
    uint8_t buf[4096];
    /* A bounded number of reads: a fast stream never starves the caller. */
    for (int i = 0; i < 16; i++) {
        ssize_t n = transport_read(l->t, buf, sizeof buf);
        if (n == SC_ERR_GONE) {
            l->gone = 1;
            /* Frames already complete still count; the rest is dropped. */
            if (parser_next(l->parser, out) > 0)
                return deliver(l, out);
            return sc_error_set(SC_ERR_GONE, "%s: the device went away", l->spec.conn);
        }
        if (n < 0)
            return (int)n;
        if (n == 0)
            break;
        if (l->by_silence) {
            /* The bytes before these ended at a silence if the line was
             * quiet long enough before they came. */
            int64_t now = now_us();
            check_silence(l, now);
            l->last_rx_us = now;
        }
        if (parser_feed(l->parser, buf, (size_t)n) < 0)
            return sc_error_code();
        if (parser_next(l->parser, out) > 0)
            return deliver(l, out);
    }
    return 0;
}

int link_read(struct link *l, struct reading *out, int timeout_ms)
{
    if (timeout_ms < 0)
        timeout_ms = l->timeout_ms;
    int64_t deadline = now_ms() + timeout_ms;
    for (;;) {
        int rc = link_poll(l, out);
        if (rc != 0)
            return rc;
        int64_t left = deadline - now_ms();
        if (left <= 0)
            break;
        /* Wake when the line has been silent long enough to end a frame. */
        int wait = link_wait_ms(l);
        if (wait >= 0 && wait < left)
            left = wait;
        struct pollfd p = {transport_fd(l->t), POLLIN, 0};
        int n = poll(&p, 1, (int)left);
        if (n < 0 && errno != EINTR)
            return sc_error_set(SC_ERR_IO, "poll: %s", strerror(errno));
    }
    /* Binary meters frame by silence: what is left after a quiet spell is
     * a frame that will not complete. */
    if ((l->spec.driver->flags & DRIVER_BINARY) && parser_flush(l->parser, out) > 0)
        return deliver(l, out);
    size_t junk = parser_pending(l->parser);
    if (junk > 0)
        return sc_error_set(SC_ERR_TIMEOUT,
                            "%s: no reading from %s in %d ms; %zu bytes came that did not parse "
                            "(a wrong baud rate, line settings or driver?)",
                            l->spec.conn, l->spec.driver->name, timeout_ms, junk);
    return sc_error_set(SC_ERR_TIMEOUT, "%s: no reading from %s in %d ms", l->spec.conn,
                        l->spec.driver->name, timeout_ms);
}

int link_reopen(struct link *l)
{
    transport_close(l->t);
    l->t = NULL;
    parser_reset(l->parser);
    stability_reset(&l->stab);
    l->gone = 1;
    int rc = transport_open(l->spec.conn, &l->sc, l->kind, &l->t);
    if (rc < 0) {
        l->t = NULL;
        return rc;
    }
    l->gone = 0;
    return SC_OK;
}

const struct driver *link_driver(const struct link *l)
{
    return l->spec.driver;
}

const char *link_conn(const struct link *l)
{
    return l->spec.conn;
}

const char *link_serialcomm(const struct link *l)
{
    return l->serialcomm;
}

const char *link_transport(const struct link *l)
{
    return l->t ? transport_kind_name(transport_kind(l->t)) : transport_kind_name(l->kind);
}
