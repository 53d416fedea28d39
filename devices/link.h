/* A link: one device on one connection, read through its driver.
 *
 *   struct link *l;
 *   link_open("kern:conn=/dev/ttyUSB0:serialcomm=9600/8n1", &l);
 *   link_request(l, DRIVER_REQ_STABLE);       -- send the driver's command
 *   poll({link_fd(l), POLLIN}) ...            -- in your own loop, or:
 *   while ((rc = link_poll(l, &r)) > 0) ...   -- readings available now
 *   link_read(l, &r, 2000);                   -- or block up to 2 s
 *
 * Connection strings are sigrok's: DRIVER:conn=PATH|tcp-raw/HOST/PORT
 * [:serialcomm=9600/8n1] plus the driver's own options and the link's:
 *   transport=auto|serial|termios|tcp   (auto: termios for a pty, else
 *                                        libserialport; tcp for tcp-raw/)
 *   timeout=MS                          link_read's default wait (2000)
 *   window=N d=DECIMAL                  the stability rule (stability.h)
 *   silence=MS                          Modbus RTU: the silence that ends a
 *                                       frame (default 3.5 characters)
 *
 * Nothing here spins: the caller polls link_fd(), link_read() polls it.  A
 * port that vanishes (cable pulled, pty closed) gives SC_ERR_GONE from then
 * on; link_reopen() tries to open it again. */
#ifndef STALLCHECK_DEVICES_LINK_H
#define STALLCHECK_DEVICES_LINK_H

#include <stddef.h>
#include <stdint.h>

#include "devices/driver.h"
#include "devices/reading.h"

struct link;

/* Opens the device of a connection string.  SC_ERR_ARG (bad string),
 * SC_ERR_NOTFOUND (no such driver or port), SC_ERR_DENIED, SC_ERR_IO,
 * SC_ERR_UNSUPPORTED (the port refuses a line setting); message set. */
int link_open(const char *connstr, struct link **out);
void link_close(struct link *l);

/* The fd to poll for POLLIN (readings may be waiting); -1 once gone. */
int link_fd(const struct link *l);

/* Sends the driver's command for what.  SC_ERR_UNSUPPORTED when the
 * protocol has none (stream-only scales), SC_ERR_GONE, SC_ERR_TIMEOUT. */
int link_request(struct link *l, enum driver_request what);

/* Non-blocking: consumes the bytes waiting on the port and returns 1 with
 * the next reading, 0 when there is none yet, SC_ERR_GONE when the port
 * vanished (readings decoded before that are returned first). */
int link_poll(struct link *l, struct reading *out);

/* How long a caller polling link_fd() may wait before calling link_poll()
 * again though nothing comes: a frame delimited by silence (Modbus RTU) ends
 * when the line stays quiet, not when bytes arrive.  -1: wait for the fd. */
int link_wait_ms(const struct link *l);

/* Blocking: the next reading within timeout_ms (< 0: the link's timeout=),
 * polling the fd.  1, SC_ERR_TIMEOUT or SC_ERR_GONE. */
int link_read(struct link *l, struct reading *out, int timeout_ms);

/* Closes and opens the port again (after SC_ERR_GONE); drops buffered bytes. */
int link_reopen(struct link *l);

/* Writes raw bytes to the port (a receipt printer on a serial line). */
int link_write(struct link *l, const uint8_t *buf, size_t len);

const struct driver *link_driver(const struct link *l);
/* The port as given in conn=, and the line settings in use ("1200/8n2"). */
const char *link_conn(const struct link *l);
const char *link_serialcomm(const struct link *l);
/* "serial" (libserialport), "termios" or "tcp". */
const char *link_transport(const struct link *l);

#endif
