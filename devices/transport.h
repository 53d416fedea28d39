/* Transports under the drivers (as libsigrok's serial.c has): bytes in and
 * out of a real serial port through libserialport, a pseudo-terminal through
 * termios directly, or a TCP socket (sigrok's conn=tcp-raw/HOST/PORT).
 *
 * Debian's libserialport 0.1.1 cannot open a pseudo-terminal (name lookup,
 * TIOCMGET and parity settings fail on a pty: protocols.md, last section), so
 * `auto` picks termios for a pty and libserialport for anything else;
 * transport=serial forces libserialport (tests do, under their LD_PRELOAD
 * shim, so that path is exercised too). */
#ifndef STALLCHECK_DEVICES_TRANSPORT_H
#define STALLCHECK_DEVICES_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Line settings in sigrok's form "9600/8n1" (baud/bits parity stop bits). */
struct serialcomm {
    int baud;
    int bits;      /* 5-8 */
    char parity;   /* 'n', 'e', 'o' */
    int stop;      /* 1 or 2 */
};
int serialcomm_parse(const char *text, struct serialcomm *out);

enum transport_kind {
    TRANSPORT_AUTO,
    TRANSPORT_SERIAL,   /* libserialport */
    TRANSPORT_TERMIOS,  /* open(2) + termios: pseudo-terminals */
    TRANSPORT_TCP,      /* conn=tcp-raw/HOST/PORT */
};
/* "auto", "serial", "termios", "tcp" -> kind; -1 if unknown. */
int transport_kind_parse(const char *name);
const char *transport_kind_name(enum transport_kind kind);

struct transport;

/* Opens conn (a device path or tcp-raw/HOST/PORT) with the line settings
 * (ignored for TCP).  SC_ERR_NOTFOUND, SC_ERR_DENIED, SC_ERR_IO,
 * SC_ERR_UNSUPPORTED (a setting the port refuses), with the message set. */
int transport_open(const char *conn, const struct serialcomm *sc, enum transport_kind kind,
                   struct transport **out);
void transport_close(struct transport *t);

/* The fd to poll for POLLIN; it stays the same until close. */
int transport_fd(const struct transport *t);
enum transport_kind transport_kind(const struct transport *t);

/* Reads what is there without waiting: the byte count, 0 when nothing is
 * waiting, SC_ERR_GONE when the port vanished (cable pulled, pty closed,
 * peer closed the socket), SC_ERR_IO otherwise. */
ssize_t transport_read(struct transport *t, uint8_t *buf, size_t size);

/* Writes all of buf within timeout_ms (poll, no spin).  SC_ERR_TIMEOUT,
 * SC_ERR_GONE, SC_ERR_IO. */
int transport_write(struct transport *t, const uint8_t *buf, size_t len, int timeout_ms);

/* Whether path is a pseudo-terminal (a /dev/pts/N slave). */
int transport_is_pty(const char *path);

#endif
