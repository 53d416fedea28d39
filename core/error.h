/* One error convention for all of stallcheck (libsigrok's sr_error_code +
 * sr_strerror): functions return a negative SC_ERR_* code on failure, zero or
 * a positive count on success.  The detail ("where and why") goes to a
 * thread-local last-message buffer, read with sc_error_message(). */
#ifndef STALLCHECK_CORE_ERROR_H
#define STALLCHECK_CORE_ERROR_H

/* X(name, value, message) */
#define SC_ERROR_LIST(X) \
    X(SC_OK,               0, "success") \
    X(SC_ERR,             -1, "error") \
    X(SC_ERR_ARG,         -2, "invalid argument") \
    X(SC_ERR_NOMEM,       -3, "out of memory") \
    X(SC_ERR_IO,          -4, "input/output error") \
    X(SC_ERR_TIMEOUT,     -5, "timed out") \
    X(SC_ERR_GONE,        -6, "device gone") \
    X(SC_ERR_PARSE,       -7, "malformed data") \
    X(SC_ERR_RANGE,       -8, "out of range") \
    X(SC_ERR_INCONSISTENT,-9, "inconsistent") \
    X(SC_ERR_NOTFOUND,   -10, "not found") \
    X(SC_ERR_EXISTS,     -11, "already exists") \
    X(SC_ERR_DB,         -12, "database error") \
    X(SC_ERR_DENIED,     -13, "permission denied") \
    X(SC_ERR_EXPIRED,    -14, "expired") \
    X(SC_ERR_UNSUPPORTED,-15, "not supported") \
    X(SC_ERR_LOCKED,     -16, "locked") \
    X(SC_ERR_AGAIN,      -17, "try again")

enum sc_error {
#define SC_ERROR_ENUM(name, value, msg) name = (value),
    SC_ERROR_LIST(SC_ERROR_ENUM)
#undef SC_ERROR_ENUM
};

/* The fixed message for a code ("timed out"); never NULL. */
const char *sc_strerror(int code);

/* Records a detail for the last error and returns code, so a failure is one
 * line: return sc_error_set(SC_ERR_PARSE, "line %d: bad digit", n); */
int sc_error_set(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The detail of the last sc_error_set() on this thread, or the fixed message
 * of its code when no detail was given; "" when none. */
const char *sc_error_message(void);
int sc_error_code(void);
void sc_error_clear(void);

#endif
