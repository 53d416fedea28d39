#include "db/rules_file.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

struct reader {
    struct rules *rules;
    int code;                 /* the first error's code */
    char why[256];            /* and its reason */
};

/* libinih calls this per key; returning 0 makes ini_parse report the line. */
static int on_key(void *user, const char *section, const char *name, const char *value)
{
    struct reader *rd = user;
    int rc = rules_set(rd->rules, section, name, value);
    if (rc < 0 && rd->code == 0) {
        rd->code = rc;
        snprintf(rd->why, sizeof rd->why, "[%s] %s: %s", section, name, sc_error_message());
    }
    return rc < 0 ? 0 : 1;
}

static int finish(const char *name, int line, struct reader *rd, struct rules *out,
                  const struct rules *parsed)
{
    if (line > 0) {
        if (rd->code != 0)
            return sc_error_set(rd->code, "%s:%d: %s", name, line, rd->why);
        return sc_error_set(SC_ERR_PARSE, "%s:%d: not a [section] or key = value line "
                            "(or longer than 200 bytes)", name, line);
    }
    if (line == -2)
        return sc_error_set(SC_ERR_NOMEM, "%s: out of memory", name);
    if (rules_check(parsed) < 0)
        return sc_error_set(SC_ERR_INCONSISTENT, "%s: %s", name, sc_error_message());
    *out = *parsed;
    return 0;
}

int rules_file_parse(const char *name, const char *text, struct rules *out)
{
    struct rules parsed;
    rules_default(&parsed);
    struct reader rd = {.rules = &parsed};
    int line = ini_parse_string(text, on_key, &rd);
    return finish(name, line, &rd, out, &parsed);
}

int rules_file_load(const char *path, struct rules *out)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return sc_error_set(SC_ERR_IO, "%s: %s", path, strerror(errno));
    struct rules parsed;
    rules_default(&parsed);
    struct reader rd = {.rules = &parsed};
    int line = ini_parse_file(f, on_key, &rd);
    fclose(f);
    return finish(path, line, &rd, out, &parsed);
}

int rules_file_resolve(const char *path, struct rules *out)
{
    if (path == NULL || *path == '\0') {
        rules_default(out);
        return 0;
    }
    return rules_file_load(path, out);
}
