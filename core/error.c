#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_message[512];
static _Thread_local int last_code;

const char *sc_strerror(int code)
{
    switch (code) {
#define SC_ERROR_CASE(name, value, msg) case name: return msg;
    SC_ERROR_LIST(SC_ERROR_CASE)
#undef SC_ERROR_CASE
    }
    return "unknown error";
}

int sc_error_set(int code, const char *fmt, ...)
{
    last_code = code;
    if (fmt == NULL || fmt[0] == '\0') {
        snprintf(last_message, sizeof last_message, "%s", sc_strerror(code));
        return code;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    return code;
}

const char *sc_error_message(void)
{
    return last_message;
}

int sc_error_code(void)
{
    return last_code;
}

void sc_error_clear(void)
{
    last_code = SC_OK;
    last_message[0] = '\0';
}
