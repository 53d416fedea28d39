#include "devices/driver.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* One row per protocol, one file per driver (drv_*.c). */
extern const struct driver driver_mt_sics;
extern const struct driver driver_and_std;
extern const struct driver driver_mt_continuous;
extern const struct driver driver_kern;
extern const struct driver driver_modbus_rtu;
extern const struct driver driver_dlt645;
extern const struct driver driver_ascii;

static const struct driver *const drivers[] = {
    &driver_mt_sics,
    &driver_and_std,
    &driver_mt_continuous,
    &driver_kern,
    &driver_modbus_rtu,
    &driver_dlt645,
    &driver_ascii,
};

size_t driver_count(void)
{
    return sizeof drivers / sizeof drivers[0];
}

const struct driver *driver_at(size_t i)
{
    return i < driver_count() ? drivers[i] : NULL;
}

const struct driver *driver_find(const char *name)
{
    if (name == NULL)
        return NULL;
    for (size_t i = 0; i < driver_count(); i++)
        if (strcmp(drivers[i]->name, name) == 0)
            return drivers[i];
    return NULL;
}

int driver_command(const struct driver *drv, void *state, enum driver_request req,
                   uint8_t *buf, size_t size)
{
    if (drv->command == NULL || (unsigned)req >= DRIVER_REQ_COUNT)
        return sc_error_set(SC_ERR_UNSUPPORTED, "%s: takes no commands", drv->name);
    return drv->command(state, req, buf, size);
}

static const char *const request_names[DRIVER_REQ_COUNT] = {
    [DRIVER_REQ_STABLE] = "stable",
    [DRIVER_REQ_IMMEDIATE] = "immediate",
    [DRIVER_REQ_ZERO] = "zero",
    [DRIVER_REQ_TARE] = "tare",
    [DRIVER_REQ_TARE_CLEAR] = "tare-clear",
    [DRIVER_REQ_IDENTIFY] = "identify",
    [DRIVER_REQ_SERIAL] = "serial",
    [DRIVER_REQ_CONTINUOUS] = "continuous",
    [DRIVER_REQ_STOP] = "stop",
};

const char *driver_request_name(enum driver_request req)
{
    return (unsigned)req < DRIVER_REQ_COUNT ? request_names[req] : "?";
}

int driver_request_parse(const char *name)
{
    for (int i = 0; i < DRIVER_REQ_COUNT; i++)
        if (strcmp(request_names[i], name) == 0)
            return i;
    return -1;
}

const char *driver_opt_get(const struct driver_opt *opts, size_t n, const char *key)
{
    for (size_t i = n; i-- > 0;) /* the last one given wins */
        if (strcmp(opts[i].key, key) == 0)
            return opts[i].value;
    return NULL;
}

int driver_spec_parse(const char *text, struct driver_spec *out)
{
    memset(out, 0, sizeof *out);
    if (text == NULL || *text == '\0')
        return sc_error_set(SC_ERR_ARG, "empty connection string");
    size_t len = strlen(text);
    char *buf = malloc(len + 1);
    if (buf == NULL)
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    /* Split on ':' into NUL-terminated fields, unescaping "\:". */
    char *fields[DRIVER_SPEC_MAX_OPTS + 4];
    size_t nf = 0;
    char *w = buf;
    fields[nf++] = w;
    for (const char *p = text; *p; p++) {
        if (p[0] == '\\' && p[1] == ':') {
            *w++ = ':';
            p++;
        } else if (*p == ':') {
            *w++ = '\0';
            if (nf == sizeof fields / sizeof fields[0]) {
                free(buf);
                return sc_error_set(SC_ERR_ARG, "'%s': too many options", text);
            }
            fields[nf++] = w;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    out->buf = buf;
    out->driver = driver_find(fields[0]);
    if (out->driver == NULL) {
        int rc = sc_error_set(SC_ERR_NOTFOUND, "'%s': no such driver (try: stallcheck read --list)",
                              fields[0]);
        driver_spec_free(out);
        return rc;
    }
    for (size_t i = 1; i < nf; i++) {
        char *eq = strchr(fields[i], '=');
        if (eq == NULL || eq == fields[i]) {
            int rc = sc_error_set(SC_ERR_ARG, "'%s': option '%s' is not key=value", text, fields[i]);
            driver_spec_free(out);
            return rc;
        }
        *eq = '\0';
        const char *key = fields[i], *value = eq + 1;
        if (strcmp(key, "conn") == 0) {
            out->conn = (char *)value;
        } else if (strcmp(key, "serialcomm") == 0) {
            out->serialcomm = (char *)value;
        } else {
            if (out->n_opts == DRIVER_SPEC_MAX_OPTS) {
                driver_spec_free(out);
                return sc_error_set(SC_ERR_ARG, "'%s': too many options", text);
            }
            out->opts[out->n_opts].key = key;
            out->opts[out->n_opts].value = value;
            out->n_opts++;
        }
    }
    return SC_OK;
}

void driver_spec_free(struct driver_spec *spec)
{
    free(spec->buf);
    memset(spec, 0, sizeof *spec);
}
