/* An incremental parser: one driver's frame() over a byte buffer, so bytes
 * can arrive in any chunking (byte by byte, random splits, a whole capture).
 * Bytes skipped while resynchronising are reported as one READING_BAD reading
 * (how many, and why) before the next good frame, so nothing vanishes
 * silently; a garbled frame that still has its structure is reported by the
 * driver itself and decoding goes on with the next frame. */
#ifndef STALLCHECK_DEVICES_PARSER_H
#define STALLCHECK_DEVICES_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/driver.h"

struct parser;

/* A parser for drv with the driver's options (may be NULL/0).  Returns SC_OK
 * or a negative SC_ERR_* (bad option) with the message set. */
int parser_new(const struct driver *drv, const struct driver_opt *opts, size_t n_opts,
               struct parser **out);
void parser_free(struct parser *p);

/* Appends bytes.  SC_ERR_NOMEM only. */
int parser_feed(struct parser *p, const uint8_t *bytes, size_t len);

/* The next reading from the bytes fed so far: 1 and *out filled, or 0 when
 * more bytes are needed. */
int parser_next(struct parser *p, struct reading *out);

/* No more bytes will come: frames waiting for a look-ahead end now and what
 * is left over is reported as READING_BAD.  Call until it returns 0. */
int parser_flush(struct parser *p, struct reading *out);

/* Bytes received that have not become a reading yet (buffered or being
 * skipped): after a timeout, "N bytes did not parse" says more than silence. */
size_t parser_pending(const struct parser *p);

/* Framing by line silence (Modbus RTU on a live link, DRIVER_SILENCE): with
 * on, frames are cut only where parser_silence() said a silence fell (the
 * bytes fed until then are one or more whole frames), never guessed from the
 * bytes alone.  Off (captures, pipes): frames are found by their layout. */
void parser_by_silence(struct parser *p, bool on);
/* A silence on the line after the bytes fed so far. */
void parser_silence(struct parser *p);
/* Bytes fed since the last silence (0: nothing waits for one). */
size_t parser_unbounded(const struct parser *p);

/* Drops buffered bytes (after a reconnect). */
void parser_reset(struct parser *p);

/* The driver and its state, to build commands that depend on it (Modbus
 * remembers what it asked for, to decode the reply). */
const struct driver *parser_driver(const struct parser *p);
void *parser_state(struct parser *p);

#endif
