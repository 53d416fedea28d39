/* The driver table: one row per protocol (libsigrok's SCALE() rows).  A row
 * names the protocol, its default line settings, whether it takes commands,
 * a pure incremental frame parser and the command builders.  Lists, --help,
 * `decode`, `sim` and the link all walk this table.
 *
 * A parser never touches a port.  It is handed the bytes buffered so far and
 * answers, libsigrok-style, with one of three: a frame (valid or bad, with
 * its length), invalid (skip this many bytes and resynchronise), or need
 * more.  struct parser (parser.h) does the buffering, so bytes may come in any
 * chunking. */
#ifndef STALLCHECK_DEVICES_DRIVER_H
#define STALLCHECK_DEVICES_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/decimal.h"
#include "devices/reading.h"

enum frame_result {
    FRAME_NEED_MORE,  /* buf may start a frame; come back with more bytes */
    FRAME_INVALID,    /* buf does not start a frame: skip *used bytes (>= 1) */
    FRAME_OK,         /* a frame of *used bytes; *out is filled.  A frame whose
                         structure is right but whose content is not (a bad
                         checksum, a garbled field) is FRAME_OK with out->kind
                         READING_BAD and the reason in out->info. */
    FRAME_PART,       /* one reading of a frame of *used bytes that holds
                         several (a DL/T 645 data block): the parser calls
                         frame() again on the same bytes for the next one;
                         the driver counts in its state and ends with
                         FRAME_OK. */
};

/* The commands a driver can build (not every protocol has every one). */
enum driver_request {
    DRIVER_REQ_STABLE,      /* send the weight when stable (MT-SICS S, A&D S) */
    DRIVER_REQ_IMMEDIATE,   /* send the weight now (SI, Q); meters: read the value */
    DRIVER_REQ_ZERO,        /* Z */
    DRIVER_REQ_TARE,        /* T */
    DRIVER_REQ_TARE_CLEAR,  /* TAC */
    DRIVER_REQ_IDENTIFY,    /* model / type (I2; DL/T 645 read address) */
    DRIVER_REQ_SERIAL,      /* serial number (I4) */
    DRIVER_REQ_CONTINUOUS,  /* start streaming (SIR, KERN O1) */
    DRIVER_REQ_STOP,        /* stop streaming / cancel (@, A&D C) */
    DRIVER_REQ_NEXT,        /* the next frame of a multi-frame reply (DL/T 645
                               read follow-up data, 12H); the link sends it by
                               itself when a reading says follow_up */
    DRIVER_REQ_COUNT
};

/* Flags of a driver row. */
#define DRIVER_COMMANDS 0x1u  /* the device answers commands */
#define DRIVER_STREAMS  0x2u  /* the device can stream without being asked */
#define DRIVER_BINARY   0x4u  /* binary frames (meters) rather than text lines */
#define DRIVER_7BIT     0x8u  /* 7-bit ASCII: bit 7 of every byte is a parity
                                 bit (a 7E1 device read at 8N1) or 0, so the
                                 parser strips it */
#define DRIVER_SILENCE  0x10u /* frames are delimited by line silence (Modbus
                                 RTU t3.5): on a live serial link the parser
                                 is told where the silences fell */

/* A meter's present values, for the device side of meter drivers (sim).
 * Per phase values are the same on every phase the meter has; phases 1: a
 * single-phase meter (the other phases are absent in data blocks). */
struct meter_values {
    struct decimal voltage, current, power, energy;
    struct decimal reactive_power, apparent_power, power_factor, reactive_energy;
    int phases;
    int frame_limit;  /* DL/T 645: at most this many data bytes a reply frame
                         (the rest in follow-up frames); 0: 200 */
};

/* One key=value option from a connection string (after conn/serialcomm). */
struct driver_opt {
    const char *key;
    const char *value;
};

struct driver {
    const char *name;         /* as in connection strings: "mt-sics" */
    const char *maker;        /* "Mettler Toledo" */
    const char *description;  /* "MT-SICS level 0/1" */
    const char *serialcomm;   /* default line settings, sigrok's form "9600/8n1" */
    const char *protocol;     /* the protocol row a model row speaks ("mt-sics");
                                 NULL on the protocol rows themselves */
    const char *model;        /* a model row: the model as on its plate */
    const char *preset;       /* a model row: driver options it implies
                                 ("model=sdm"), before the user's */
    unsigned flags;
    size_t max_frame;         /* longest frame in bytes: the parser's bound */
    const char *options_help; /* the driver's own options, "" if none */
    /* Per-connection state built from the options (NULL functions: none).
     * Returns SC_OK or a negative SC_ERR_* with the message set. */
    int (*state_new)(void **state, const struct driver_opt *opts, size_t n_opts);
    void (*state_free)(void *state);
    /* The parser: see enum frame_result.  at_end: no more bytes will come, so
     * a frame that waits for a look-ahead byte may end here. */
    enum frame_result (*frame)(void *state, const uint8_t *buf, size_t len,
                               bool at_end, size_t *used, struct reading *out);
    /* Writes the bytes of a command into buf; returns their count, or
     * SC_ERR_UNSUPPORTED when the protocol has no such command. */
    int (*command)(void *state, enum driver_request req, uint8_t *buf, size_t size);
    /* The device side (for `stallcheck sim` and round-trip tests): the bytes
     * a device of this protocol sends for r (a value, a tare, an ack, a busy
     * or reject reply, an identification), r->reply naming the command it
     * answers ("S", "SI", "Z", "I4" ...).  SC_ERR_UNSUPPORTED for a kind the
     * protocol cannot say, SC_ERR_RANGE when the value does not fit. */
    int (*encode)(void *state, const struct reading *r, uint8_t *buf, size_t size);
    /* Meters only, the device side (for `stallcheck sim`): finds one host
     * request at buf, as frame() does, and writes the meter's answer into
     * reply (*reply_len 0: no answer, e.g. another slave's address). */
    enum frame_result (*serve)(void *state, const uint8_t *buf, size_t len,
                               const struct meter_values *values, size_t *used,
                               uint8_t *reply, size_t *reply_len);
};

/* The table, and a lookup by name (NULL if unknown).  Protocol rows first,
 * then model rows (libsigrok's way: one row per model, with its maker and
 * default line settings, sharing its protocol's functions). */
size_t driver_count(void);
const struct driver *driver_at(size_t i);
const struct driver *driver_find(const char *name);
/* The protocol's name: the row's own, or the one a model row speaks. */
const char *driver_protocol(const struct driver *drv);

/* Builds a command with a driver and its state; SC_ERR_UNSUPPORTED if none. */
int driver_command(const struct driver *drv, void *state, enum driver_request req,
                   uint8_t *buf, size_t size);
const char *driver_request_name(enum driver_request req);
/* "stable", "immediate", "zero", "tare", "tare-clear", "identify", "serial",
 * "continuous", "stop", "next" -> the request; -1 if unknown. */
int driver_request_parse(const char *name);

/* A connection string in sigrok's form, split:
 *   DRIVER[:conn=/dev/ttyUSB0][:serialcomm=9600/8n1][:key=value ...]
 * Other keys are the driver's own options (model=, pattern=, ...).  A ':'
 * inside a value is written "\:".  The spec owns copies of every string.
 * A model row's preset options come first, so the user's win. */
#define DRIVER_SPEC_MAX_OPTS 16
struct driver_spec {
    const struct driver *driver;
    char *conn;        /* NULL when not given */
    char *serialcomm;  /* NULL: the driver's default */
    size_t n_opts;
    struct driver_opt opts[DRIVER_SPEC_MAX_OPTS];
    char *buf;         /* storage for the strings above */
};
int driver_spec_parse(const char *text, struct driver_spec *out);
void driver_spec_free(struct driver_spec *spec);
/* The value of option key in opts, or NULL. */
const char *driver_opt_get(const struct driver_opt *opts, size_t n, const char *key);

#endif
