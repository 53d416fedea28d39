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
extern const struct driver driver_yaohua;
extern const struct driver driver_ascii;

static const struct driver *const protocols[] = {
    &driver_mt_sics,
    &driver_and_std,
    &driver_mt_continuous,
    &driver_kern,
    &driver_yaohua,
    &driver_modbus_rtu,
    &driver_dlt645,
    &driver_ascii,
};
#define N_PROTOCOLS (sizeof protocols / sizeof protocols[0])

/* One row per model whose manual (or libsigrok) we read, as libsigrok's
 * scale and DMM tables have them: a name for connection strings, the maker,
 * the model as on its plate, the default line settings, the protocol and the
 * options the model implies.  The sections cited give the frames and the
 * factory line settings. */
struct model_row {
    const char *name, *maker, *model, *serialcomm, *protocol, *preset, *description;
};
static const struct model_row models[] = {
    /* Mettler Toledo terminals with the Standard Continuous Output (WILDCAT
     * technical manual, appendix 2; IND-series terminals send the same
     * frame, leading zeros as spaces).  9600 8N1: the terminals' COM1 as
     * delivered [the IND231/IND236 manual was not at hand to confirm]. */
    {"mt-ind231", "Mettler Toledo", "IND231", "9600/8n1", "mt-continuous", NULL,
     "IND231 weighing terminal, continuous output"},
    {"mt-ind236", "Mettler Toledo", "IND236", "9600/8n1", "mt-continuous", NULL,
     "IND236 weighing terminal, continuous output"},
    /* OHAUS T72XW indicators answer MT-SICS (T72XW manual, MT-SICS chapter). */
    {"ohaus-t72xw", "OHAUS", "T72XW", "9600/8n1", "mt-sics", NULL,
     "7000-series indicator, MT-SICS commands"},
    /* A&D: standard format, 2400 bps, 7 bits even parity, CR LF (function
     * table "5if": bps 2 = 2400, btpr 0 = 7 bits even, CrLF 0). */
    {"and-fx-i", "A&D", "FX-i/FZ-i", "2400/7e1", "and-std", NULL,
     "FX-i/FZ-i balances, A&D standard format (manual §18)"},
    {"and-gx-a", "A&D", "GX-A/GF-A", "2400/7e1", "and-std", NULL,
     "GX-A/GF-A balances (communication manual §7-2)"},
    {"and-hr-a", "A&D", "HR-A/HR-AZ", "2400/7e1", "and-std", NULL,
     "HR-A/HR-AZ analytical balances (manual §17, §19-2)"},
    {"and-gc", "A&D", "GC", "2400/7e1", "and-std", NULL,
     "GC counting scales, optional comparison header (manual §16.2)"},
    {"and-ek-i", "A&D", "EK-i/EW-i", "2400/7e1", "and-std", NULL,
     "EK-i/EW-i compact scales, A&D standard format"},
    /* libsigrok's own row name for the KERN driver (src/hardware/kern-scale). */
    {"kern-ew-6200-2nm", "KERN", "EW 6200-2NM", "1200/8n2", "kern", NULL,
     "KERN EW/EG-N balance, as libsigrok's kern-scale reads it"},
    /* Shanghai Yaohua XK3190-A23 (耀华) indicators: continuous format 1. */
    {"yaohua-xk3190-a23", "Shanghai Yaohua", "XK3190-A23", "1200/8n1", "yaohua", NULL,
     "XK3190-A23 indicator (platform and truck scales), continuous format 1"},
    /* Eastron meters: FC 04 float registers (SDM72D-M user manual part 3;
     * SDM630MCT protocol V1.7: 9600 8E1). */
    {"eastron-sdm230", "Eastron", "SDM230", "9600/8e1", "modbus-rtu", "model=sdm",
     "SDM230 single-phase meter, Modbus RTU"},
    {"eastron-sdm630", "Eastron", "SDM630", "9600/8e1", "modbus-rtu", "model=sdm",
     "SDM630 three-phase meter, Modbus RTU"},
};
#define N_MODELS (sizeof models / sizeof models[0])

static struct driver table[N_PROTOCOLS + N_MODELS];
static int table_ready;

static const struct driver *protocol_find(const char *name)
{
    for (size_t i = 0; i < N_PROTOCOLS; i++)
        if (strcmp(protocols[i]->name, name) == 0)
            return protocols[i];
    return NULL;
}

/* Model rows take their protocol's functions: built once, on first use. */
static void table_build(void)
{
    if (table_ready)
        return;
    for (size_t i = 0; i < N_PROTOCOLS; i++)
        table[i] = *protocols[i];
    for (size_t i = 0; i < N_MODELS; i++) {
        const struct model_row *m = &models[i];
        const struct driver *base = protocol_find(m->protocol);
        if (base == NULL)
            abort(); /* a model row naming no protocol: a programming error */
        struct driver *d = &table[N_PROTOCOLS + i];
        *d = *base;
        d->name = m->name;
        d->maker = m->maker;
        d->model = m->model;
        d->description = m->description;
        d->serialcomm = m->serialcomm;
        d->protocol = base->name;
        d->preset = m->preset;
    }
    table_ready = 1;
}

size_t driver_count(void)
{
    return N_PROTOCOLS + N_MODELS;
}

const struct driver *driver_at(size_t i)
{
    table_build();
    return i < driver_count() ? &table[i] : NULL;
}

const struct driver *driver_find(const char *name)
{
    if (name == NULL)
        return NULL;
    table_build();
    for (size_t i = 0; i < driver_count(); i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

const char *driver_protocol(const struct driver *drv)
{
    return drv->protocol != NULL ? drv->protocol : drv->name;
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
    [DRIVER_REQ_NEXT] = "next",
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
    char *buf = malloc(2 * len + 256); /* the text, and a model row's preset */
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
    /* A model row's preset options go first: the user's come after and win
     * (driver_opt_get and the drivers take the last one given). */
    if (out->driver->preset != NULL && strlen(out->driver->preset) < 250) {
        char *pw = buf + len + 1;
        memcpy(pw, out->driver->preset, strlen(out->driver->preset) + 1);
        for (char *kv = pw; kv != NULL && *kv;) {
            char *colon = strchr(kv, ':');
            if (colon != NULL)
                *colon = '\0';
            char *eq = strchr(kv, '=');
            if (eq != NULL && out->n_opts < DRIVER_SPEC_MAX_OPTS) {
                *eq = '\0';
                out->opts[out->n_opts].key = kv;
                out->opts[out->n_opts].value = eq + 1;
                out->n_opts++;
            }
            kv = colon != NULL ? colon + 1 : NULL;
        }
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
