#include "devices/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <libserialport.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "core/error.h"

struct transport {
    enum transport_kind kind;
    int fd;
    struct sp_port *port; /* TRANSPORT_SERIAL */
};

int serialcomm_parse(const char *text, struct serialcomm *out)
{
    /* "9600/8n1"; the frame part may be left out ("9600"), as in sigrok. */
    char *end;
    long baud = strtol(text, &end, 10);
    if (end == text || baud < 50 || baud > 4000000)
        return sc_error_set(SC_ERR_ARG, "serialcomm=%s: want BAUD/8n1", text);
    out->baud = (int)baud;
    out->bits = 8;
    out->parity = 'n';
    out->stop = 1;
    if (*end == '\0')
        return SC_OK;
    if (*end != '/' || strlen(end) != 4 || end[1] < '5' || end[1] > '8' ||
        strchr("neoNEO", end[2]) == NULL || (end[3] != '1' && end[3] != '2'))
        return sc_error_set(SC_ERR_ARG, "serialcomm=%s: want BAUD/BITS PARITY STOP, e.g. 9600/8n1", text);
    out->bits = end[1] - '0';
    out->parity = (char)(end[2] | 0x20);
    out->stop = end[3] - '0';
    return SC_OK;
}

int transport_kind_parse(const char *name)
{
    static const char *const names[] = {"auto", "serial", "termios", "tcp"};
    for (int i = 0; i < 4; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

const char *transport_kind_name(enum transport_kind kind)
{
    switch (kind) {
    case TRANSPORT_AUTO: return "auto";
    case TRANSPORT_SERIAL: return "serial";
    case TRANSPORT_TERMIOS: return "termios";
    case TRANSPORT_TCP: return "tcp";
    }
    return "?";
}

int transport_is_pty(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISCHR(st.st_mode))
        return 0;
    /* Unix98 pty slaves have majors 136-143 (Documentation/admin-guide/devices.txt). */
    unsigned maj = major(st.st_rdev);
    return maj >= 136 && maj <= 143;
}

static int errno_code(int e)
{
    switch (e) {
    case ENOENT:
    case ENODEV:
    case ENXIO:
        return SC_ERR_NOTFOUND;
    case EACCES:
    case EPERM:
        return SC_ERR_DENIED;
    case EBUSY:
        return SC_ERR_LOCKED;
    default:
        return SC_ERR_IO;
    }
}

static speed_t baud_constant(int baud)
{
    switch (baud) {
    case 300: return B300;
    case 600: return B600;
    case 1200: return B1200;
    case 2400: return B2400;
    case 4800: return B4800;
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    default: return 0;
    }
}

static int open_termios(const char *path, const struct serialcomm *sc, struct transport *t)
{
    int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return sc_error_set(errno_code(errno), "%s: %s", path, strerror(errno));
    struct termios tio;
    if (tcgetattr(fd, &tio) != 0) {
        int e = errno;
        close(fd);
        return sc_error_set(SC_ERR_UNSUPPORTED, "%s: not a terminal: %s", path, strerror(e));
    }
    cfmakeraw(&tio);
    speed_t sp = baud_constant(sc->baud);
    if (sp == 0) {
        close(fd);
        return sc_error_set(SC_ERR_UNSUPPORTED, "%s: baud rate %d not supported", path, sc->baud);
    }
    cfsetispeed(&tio, sp);
    cfsetospeed(&tio, sp);
    tio.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
    tio.c_cflag |= CLOCAL | CREAD;
    tio.c_cflag |= sc->bits == 5 ? CS5 : sc->bits == 6 ? CS6 : sc->bits == 7 ? CS7 : CS8;
    if (sc->parity != 'n')
        tio.c_cflag |= PARENB | (sc->parity == 'o' ? PARODD : 0);
    if (sc->stop == 2)
        tio.c_cflag |= CSTOPB;
    tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 0;
    if (tcsetattr(fd, TCSANOW, &tio) != 0) {
        /* A pty refuses 7-bit and parity settings (EINVAL): no wire, no
         * parity to check; take 8 bits without parity and go on. */
        if (errno == EINVAL && transport_is_pty(path)) {
            tio.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | PARODD);
            tio.c_cflag |= CS8;
            if (tcsetattr(fd, TCSANOW, &tio) == 0)
                goto done;
        }
        int e = errno;
        close(fd);
        return sc_error_set(SC_ERR_UNSUPPORTED, "%s: line settings %d/%d%c%d refused: %s", path,
                            sc->baud, sc->bits, sc->parity, sc->stop, strerror(e));
    }
done:
    /* Bytes that arrived before we opened are not ours (sigrok flushes too). */
    tcflush(fd, TCIFLUSH);
    t->fd = fd;
    return SC_OK;
}

static int sp_fail(const char *path, const char *what, enum sp_return r)
{
    char *msg = r == SP_ERR_FAIL ? sp_last_error_message() : NULL;
    int code = r == SP_ERR_FAIL ? errno_code(sp_last_error_code()) : SC_ERR_IO;
    int rc = sc_error_set(code, "%s: %s: %s", path, what,
                          msg ? msg : r == SP_ERR_ARG ? "invalid argument"
                                    : r == SP_ERR_SUPP ? "not supported" : "failed");
    if (msg)
        sp_free_error_message(msg);
    return rc;
}

static int open_serial(const char *path, const struct serialcomm *sc, struct transport *t)
{
    enum sp_return r = sp_get_port_by_name(path, &t->port);
    if (r != SP_OK) {
        t->port = NULL;
        if (access(path, F_OK) != 0)
            return sc_error_set(SC_ERR_NOTFOUND, "%s: no such port", path);
        return sp_fail(path, "not a serial port libserialport knows", r);
    }
    r = sp_open(t->port, SP_MODE_READ_WRITE);
    if (r != SP_OK)
        goto fail_open;
    struct sp_port_config *cfg;
    if ((r = sp_new_config(&cfg)) != SP_OK)
        goto fail;
    sp_set_config_baudrate(cfg, sc->baud);
    sp_set_config_bits(cfg, sc->bits);
    sp_set_config_parity(cfg, sc->parity == 'e' ? SP_PARITY_EVEN : sc->parity == 'o' ? SP_PARITY_ODD
                                                                                    : SP_PARITY_NONE);
    sp_set_config_stopbits(cfg, sc->stop);
    sp_set_config_flowcontrol(cfg, SP_FLOWCONTROL_NONE);
    r = sp_set_config(t->port, cfg);
    sp_free_config(cfg);
    if (r != SP_OK)
        goto fail;
    if ((r = sp_get_port_handle(t->port, &t->fd)) != SP_OK)
        goto fail;
    sp_flush(t->port, SP_BUF_INPUT);
    return SC_OK;
fail:
    sp_close(t->port);
fail_open:;
    int rc = sp_fail(path, "cannot open or configure", r);
    sp_free_port(t->port);
    t->port = NULL;
    return rc;
}

static int open_tcp(const char *conn, struct transport *t)
{
    /* tcp-raw/HOST/PORT */
    const char *host = conn + strlen("tcp-raw/");
    const char *slash = strrchr(host, '/');
    if (slash == NULL || slash == host || slash[1] == '\0')
        return sc_error_set(SC_ERR_ARG, "conn=%s: want tcp-raw/HOST/PORT", conn);
    char h[256];
    snprintf(h, sizeof h, "%.*s", (int)(slash - host), host);
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res;
    int g = getaddrinfo(h, slash + 1, &hints, &res);
    if (g != 0)
        return sc_error_set(SC_ERR_NOTFOUND, "%s: %s", conn, gai_strerror(g));
    int rc = SC_ERR_IO, fd = -1;
    for (struct addrinfo *a = res; a != NULL; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
            rc = SC_OK;
            break;
        }
        if (errno == EINPROGRESS) {
            struct pollfd p = {fd, POLLOUT, 0};
            int err = 0;
            socklen_t len = sizeof err;
            if (poll(&p, 1, 5000) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
                err == 0) {
                rc = SC_OK;
                break;
            }
            errno = err ? err : ETIMEDOUT;
        }
        rc = sc_error_set(errno == ECONNREFUSED ? SC_ERR_NOTFOUND : SC_ERR_IO, "%s: %s", conn,
                          strerror(errno));
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (rc == SC_OK)
        t->fd = fd;
    return rc;
}

int transport_open(const char *conn, const struct serialcomm *sc, enum transport_kind kind,
                   struct transport **out)
{
    if (conn == NULL || *conn == '\0')
        return sc_error_set(SC_ERR_ARG, "no conn= given (a port like /dev/ttyUSB0 or tcp-raw/HOST/PORT)");
    int is_tcp = strncmp(conn, "tcp-raw/", 8) == 0;
    if (kind == TRANSPORT_AUTO)
        kind = is_tcp ? TRANSPORT_TCP : transport_is_pty(conn) ? TRANSPORT_TERMIOS : TRANSPORT_SERIAL;
    if ((kind == TRANSPORT_TCP) != is_tcp)
        return sc_error_set(SC_ERR_ARG, "conn=%s: transport=%s does not fit", conn, transport_kind_name(kind));
    struct transport *t = calloc(1, sizeof *t);
    if (t == NULL)
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    t->kind = kind;
    t->fd = -1;
    int rc = kind == TRANSPORT_TCP       ? open_tcp(conn, t)
             : kind == TRANSPORT_TERMIOS ? open_termios(conn, sc, t)
                                         : open_serial(conn, sc, t);
    if (rc < 0) {
        free(t);
        return rc;
    }
    *out = t;
    return SC_OK;
}

void transport_close(struct transport *t)
{
    if (t == NULL)
        return;
    if (t->port != NULL) {
        sp_close(t->port);
        sp_free_port(t->port);
    } else if (t->fd >= 0) {
        close(t->fd);
    }
    free(t);
}

int transport_fd(const struct transport *t)
{
    return t->fd;
}

enum transport_kind transport_kind(const struct transport *t)
{
    return t->kind;
}

ssize_t transport_read(struct transport *t, uint8_t *buf, size_t size)
{
    /* poll first: a hang-up shows as POLLHUP even with no bytes. */
    struct pollfd p = {t->fd, POLLIN, 0};
    int n = poll(&p, 1, 0);
    if (n < 0)
        return errno == EINTR ? 0 : sc_error_set(SC_ERR_IO, "poll: %s", strerror(errno));
    if (n == 0)
        return 0;
    if (p.revents & POLLNVAL)
        return sc_error_set(SC_ERR_GONE, "port closed");
    ssize_t got;
    if (t->port != NULL) {
        enum sp_return r = sp_nonblocking_read(t->port, buf, size);
        if (r < 0) {
            int e = sp_last_error_code();
            got = -1;
            errno = e;
        } else {
            got = r;
        }
    } else {
        got = read(t->fd, buf, size);
    }
    if (got > 0)
        return got;
    if (p.revents & (POLLHUP | POLLERR))
        return sc_error_set(SC_ERR_GONE, "%s", got == 0 || errno == EAGAIN ? "hung up" : strerror(errno));
    if (got == 0 || (got < 0 && (errno == EIO || errno == ENODEV || errno == ENXIO ||
                                 errno == ECONNRESET || errno == EPIPE))) {
        /* Readable but no byte: the other end is gone (EOF on a socket, EIO
         * on a pty whose master closed, ENODEV on an unplugged USB port). */
        if (got == 0 && t->kind != TRANSPORT_TCP && !(p.revents & (POLLHUP | POLLERR)))
            return 0;
        return sc_error_set(SC_ERR_GONE, "%s", got == 0 ? "connection closed" : strerror(errno));
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return 0;
    return sc_error_set(SC_ERR_IO, "read: %s", strerror(errno));
}

int transport_write(struct transport *t, const uint8_t *buf, size_t len, int timeout_ms)
{
    size_t done = 0;
    while (done < len) {
        /* MSG_NOSIGNAL: a closed socket is SC_ERR_GONE, not SIGPIPE. */
        ssize_t n = t->kind == TRANSPORT_TCP ? send(t->fd, buf + done, len - done, MSG_NOSIGNAL)
                                             : write(t->fd, buf + done, len - done);
        if (n > 0) {
            done += (size_t)n;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            struct pollfd p = {t->fd, POLLOUT, 0};
            int r = poll(&p, 1, timeout_ms);
            if (r == 0)
                return sc_error_set(SC_ERR_TIMEOUT, "write: port not ready in %d ms", timeout_ms);
            if (r > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)) && !(p.revents & POLLOUT))
                return sc_error_set(SC_ERR_GONE, "write: the port hung up");
            continue;
        }
        if (n < 0 && (errno == EIO || errno == ENODEV || errno == EPIPE || errno == ECONNRESET))
            return sc_error_set(SC_ERR_GONE, "write: %s", strerror(errno));
        return sc_error_set(SC_ERR_IO, "write: %s", n < 0 ? strerror(errno) : "wrote nothing");
    }
    return (int)done;
}
