#include "tui/scales.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"
#include "devices/link.h"
#include "tui/i18n.h"
#include "tui/scale_view.h"
#include "tui/text.h"

#define REQUEST_MS 200
#define NO_ANSWER_MS 3000

struct scale_link {
    struct link *link;
    char conn[256];
    int given;              /* on the command line: the registry's cable is not used */
    int streaming;          /* the protocol sends without being asked */
    long long next_request; /* ms */
    long long last_heard;   /* ms */
    uint64_t seq;
};

struct scales {
    struct scale_link at[SCALE_COUNT];
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void scale_close(struct scales *sc, struct session *ses, int which)
{
    struct scale_link *sl = &sc->at[which];
    link_close(sl->link);
    sl->link = NULL;
    ses->scales[which].online = 0;
}

static int scale_open(struct scales *sc, struct session *ses, int which, const char *conn)
{
    struct scale_link *sl = &sc->at[which];
    struct tui_scale *t = &ses->scales[which];
    if (sl->link != NULL && strcmp(sl->conn, conn) == 0 && t->online)
        return 0;
    scale_close(sc, ses, which);
    text_copy(sl->conn, sizeof sl->conn, conn);
    t->configured = 1;
    memset(&t->last, 0, sizeof t->last);
    struct driver_spec spec;
    if (driver_spec_parse(conn, &spec) == 0) {
        /* The port by its name (ttyUSB0): the officer knows the cable by
         * it, and a directory's path would push the rest off a narrow screen. */
        const char *port = spec.conn != NULL ? spec.conn : "";
        const char *slash = port[0] == '/' ? strrchr(port, '/') : NULL;
        snprintf(t->name, sizeof t->name, "%s @ %s", spec.driver->name,
                 slash != NULL ? slash + 1 : port);
        text_copy(t->driver, sizeof t->driver, spec.driver->name);
        driver_spec_free(&spec);
    } else {
        text_copy(t->name, sizeof t->name, conn);
        t->driver[0] = '\0';
    }
    int rc = link_open(conn, &sl->link);
    if (rc < 0) {
        sl->link = NULL;
        t->online = 0;
        text_copy(t->error, sizeof t->error, i18n_port_error(rc));
        return rc;
    }
    t->online = 1;
    t->error[0] = '\0';
    sl->streaming = !(link_driver(sl->link)->flags & DRIVER_COMMANDS);
    sl->next_request = now_ms();
    sl->last_heard = now_ms();
    return 0;
}

int scales_open(const char *const conn[SCALE_COUNT], struct session *ses, struct scales **out)
{
    struct scales *sc = calloc(1, sizeof *sc);
    if (sc == NULL)
        return SC_ERR_NOMEM;
    for (int i = 0; i < SCALE_COUNT; i++)
        if (conn[i] != NULL && *conn[i] != '\0') {
            sc->at[i].given = 1;
            scale_open(sc, ses, i, conn[i]);
        }
    *out = sc;
    return 0;
}

void scales_close(struct scales *sc)
{
    if (sc == NULL)
        return;
    for (int i = 0; i < SCALE_COUNT; i++)
        link_close(sc->at[i].link);
    free(sc);
}

int scales_use(struct scales *sc, struct session *ses, int which, const char *conn)
{
    return sc->at[which].given ? 0 : scale_open(sc, ses, which, conn);
}

int scales_retry(struct scales *sc, struct session *ses, int which)
{
    struct scale_link *sl = &sc->at[which];
    if (sl->conn[0] == '\0')
        return SC_ERR_NOTFOUND;
    char conn[sizeof sl->conn];
    text_copy(conn, sizeof conn, sl->conn);
    scale_close(sc, ses, which);
    return scale_open(sc, ses, which, conn);
}

int scales_request(struct scales *sc, const struct session *ses, int which,
                   enum driver_request req)
{
    struct scale_link *sl = &sc->at[which];
    if (sl->link == NULL || !ses->scales[which].online)
        return SC_ERR_GONE;
    return link_request(sl->link, req);
}

int scales_fds(const struct scales *sc, struct pollfd *fds, int max, int *timeout_ms)
{
    int n = 0;
    long long now = now_ms();
    *timeout_ms = -1;
    for (int i = 0; i < SCALE_COUNT && n < max; i++) {
        const struct scale_link *sl = &sc->at[i];
        if (sl->link == NULL || link_fd(sl->link) < 0)
            continue;
        fds[n].fd = link_fd(sl->link);
        fds[n].events = POLLIN;
        fds[n].revents = 0;
        n++;
        long long wait = sl->streaming ? NO_ANSWER_MS : sl->next_request - now;
        /* A frame that ends at a silence on the line (Modbus RTU) is
         * complete when the line has been quiet long enough. */
        int quiet = link_wait_ms(sl->link);
        if (quiet >= 0 && quiet < wait)
            wait = quiet;
        if (wait < 0)
            wait = 0;
        if (*timeout_ms < 0 || wait < *timeout_ms)
            *timeout_ms = (int)wait;
    }
    if (*timeout_ms >= 0 && *timeout_ms < 10)
        *timeout_ms = 10;
    return n;
}

static void gone(struct session *ses, int which, const char *why)
{
    ses->scales[which].online = 0;
    text_copy(ses->scales[which].error, sizeof ses->scales[which].error, why);
}

/* Asks a command-taking scale for its next reading when it is time. */
static void ask(struct scale_link *sl, struct session *ses, int which, long long now)
{
    if (sl->streaming || now < sl->next_request)
        return;
    int rc = link_request(sl->link, DRIVER_REQ_IMMEDIATE);
    if (rc == SC_ERR_UNSUPPORTED)
        sl->streaming = 1;
    else if (rc == SC_ERR_GONE)
        gone(ses, which, _("the scale's link is gone (cable or simulator)"));
    sl->next_request = now + REQUEST_MS;
}

int scales_poll(struct scales *sc, struct session *ses, struct tui_event *out, int max)
{
    int n = 0;
    long long now = now_ms();
    for (int i = 0; i < SCALE_COUNT; i++) {
        struct scale_link *sl = &sc->at[i];
        if (sl->link == NULL || !ses->scales[i].online)
            continue;
        struct reading r;
        int rc;
        while ((rc = link_poll(sl->link, &r)) > 0) {
            if (r.kind != READING_VALUE)
                continue;
            sl->last_heard = now;
            scale_reading(&ses->scales[i].last, &r, ++sl->seq);
            if (n < max)
                out[n++] = (struct tui_event){.kind = EV_READING, .which = i};
        }
        if (rc == SC_ERR_GONE)
            gone(ses, i, _("the scale's link is gone (cable or simulator)"));
        else if (now - sl->last_heard > NO_ANSWER_MS)
            gone(ses, i, _("no answer from the scale"));
        else
            ask(sl, ses, i, now);
        if (!ses->scales[i].online && n < max)
            out[n++] = (struct tui_event){.kind = EV_DEVICE, .which = i};
    }
    return n;
}
