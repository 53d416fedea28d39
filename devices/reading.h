/* A reading: one frame from a scale or meter, decoded.  More than a float
 * (STYLE.md 6): the value as the device printed it, the exact decimal, the
 * unit, stable or not, the status, and the raw bytes of the frame so an
 * inspection can store what the device really sent. */
#ifndef STALLCHECK_DEVICES_READING_H
#define STALLCHECK_DEVICES_READING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/decimal.h"

#define READING_TEXT_MAX 32
#define READING_UNIT_MAX 12
#define READING_INFO_MAX 96
#define READING_RAW_MAX 272  /* a DL/T 645 frame: 4 FE + 12 + 200 data + 2, a Modbus ADU 256 */

/* What the frame was. */
enum reading_kind {
    READING_VALUE,    /* a measured value: weight, count, energy, voltage ... */
    READING_TARE,     /* a tare value the device reports (MT-SICS T / TA) */
    READING_ACK,      /* a command was done, no value (MT-SICS "Z A", A&D <AK>) */
    READING_BUSY,     /* understood, not executable now (MT-SICS "S I"): retry later */
    READING_INFO,     /* text from the device: serial number, model, address */
    READING_REJECT,   /* the device refused: MT-SICS ES/ET/EL, A&D EC,Exx,
                         Modbus exception, DL/T 645 abnormal reply */
    READING_REQUEST,  /* a host->device command seen in a captured stream */
    READING_BAD,      /* bytes that did not parse: info says where and why */
};

enum reading_status {
    READING_STATUS_OK,
    READING_STATUS_OVERLOAD,   /* above the weighing range: no value */
    READING_STATUS_UNDERLOAD,  /* below it (negative out of range): no value */
    READING_STATUS_ERROR,
    READING_STATUS_ABSENT,     /* an item the device does not have (a meter's
                                  missing phase in a data block): no value */
};

struct reading {
    enum reading_kind kind;
    enum reading_status status;
    bool has_value;           /* false for overload, errors, acks */
    bool stable;              /* the device says stable (or the window rule did) */
    bool stable_reported;     /* false: the protocol has no stable flag; see
                                 stability.h for the window rule */
    bool net;                 /* the value is net (a tare is in use) */
    bool has_tare;
    bool follow_up;           /* the device has more frames for this reply and
                                 waits to be asked (DL/T 645 B1/B2): the link
                                 sends DRIVER_REQ_NEXT */
    uint8_t part, parts;      /* item part (1..parts) of a data block read in
                                 one frame; 0, 0 for a single value */
    struct decimal value;     /* exactly text's value */
    struct decimal tare;      /* the tare the frame carries (MT continuous) */
    char text[READING_TEXT_MAX];   /* the value as the device printed it, padding
                                      and a '+' removed: "100.00", "-0.0082",
                                      "00123.45"; binary protocols: the digits
                                      with the point placed ("12.34") */
    char unit[READING_UNIT_MAX];   /* "g", "kg", "pcs", "%", "kWh", "V", "A" ... */
    char reply[8];            /* the reply's command id ("S", "TA", "03"), or "" */
    char info[READING_INFO_MAX];   /* serial number, model text, the reason of a
                                      reject or of a bad frame; a block item's name */
    size_t raw_len;           /* bytes of the frame (raw is cut at READING_RAW_MAX) */
    uint8_t raw[READING_RAW_MAX];  /* last: reading_clear leaves it alone */
};

/* Clears r to an empty OK reading (every field but the raw bytes, which
 * raw_len = 0 makes empty: parsers clear a reading per frame). */
void reading_clear(struct reading *r);

/* Copies a C string into one of r's fixed fields (text, unit, reply, info),
 * cut at the field's size.  Cheaper than snprintf on the parsers' hot path. */
void reading_copy(char *dst, size_t size, const char *src);
#define READING_SET(r, field, src) reading_copy((r)->field, sizeof (r)->field, (src))

/* Sets text and value from a decimal string the device sent, after removing
 * padding spaces and a leading '+' (a '-' is kept, moved next to the digits).
 * SC_ERR_PARSE if it is not [+-]digits[.digits]. */
int reading_set_text(struct reading *r, const char *text, size_t len);

/* Sets text and value from an exact decimal (binary protocols). */
void reading_set_decimal(struct reading *r, struct decimal d);

/* Marks r as a bad frame: kind BAD, status error, info = the reason. */
void reading_set_bad(struct reading *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Copies the frame bytes into raw (cut at READING_RAW_MAX). */
void reading_set_raw(struct reading *r, const uint8_t *bytes, size_t len);

/* The reading's value as a mass in µg (core/mass.h: exact, never
 * rounded): SC_ERR_ARG when it has no value or its unit is not a mass,
 * SC_ERR_RANGE when finer than 1 µg.  The one conversion from a device's
 * reading to the masses the verdicts are made of. */
int reading_mass_ug(const struct reading *r, int64_t *ug);

/* A value in a unit of mass that is not lawful for trade in China (pound,
 * ounce, carat, tael, momme, tola, grain, pennyweight): the reading becomes
 * an error naming the unit and why, its value dropped, so no verdict is
 * made in it.  The Law of the PRC on Metrology, art. 3, makes the SI units
 * and the units the State chose the legal units of measurement; for mass
 * these are the gram with its SI prefixes and the tonne (Order of the State
 * Council on the uniform use of the legal units of measurement, 1984).
 * The market's jin and liang (斤, 两) are read by core/mass.h; a "tael" on
 * a balance is the Hong Kong, Taiwan or Singapore one, not the 50 g liang.
 * Returns 1 when r was refused. */
int reading_refuse_unlawful_unit(struct reading *r);
/* 1 when unit (any case) is one of those. */
int reading_unit_unlawful(const char *unit);

/* Stable names for JSON and logs: "value", "tare", ...; "ok", "overload" ... */
const char *reading_kind_name(enum reading_kind kind);
const char *reading_status_name(enum reading_status status);

/* The reading as one line of text, as `stallcheck read` and `decode` print
 * it: "123.45 g stable", "12.34 kg net stable (tare 0.50)", "overload: ...",
 * "reject EC: E11 stability error".  Returns the length (cut at size). */
size_t reading_format(const struct reading *r, char *buf, size_t size);

#endif
