/* Mettler Toledo MT-SICS, levels 0 and 1 (protocols.md a): host commands and
 * one reply line each, both ending in CR LF.
 *
 *   reply with a weight:  ID SP status SP weight(10, right-aligned) SP unit CR LF
 *   reply without:        ID SP status CR LF         ("Z A", "S I", "S +")
 *   general errors:       ES / ET / EL CR LF
 *
 * Status: S stable, D dynamic (SI/SIR/ZI/TI only), A done, I not executable
 * now, L parameter not allowed, + overload, - underload [XPR RM §2.2]. */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "devices/driver.h"
#include "devices/drv_util.h"

#define MT_SICS_MAX_LINE 120

/* Replies we know, by ID. */
static const char *const reply_ids[] = {"S", "SI", "SIR", "Z", "ZI", "T", "TI", "TA", "TAC",
                                        "I1", "I2", "I3", "I4", "I5"};
/* Commands a host sends (level 0/1), seen when a capture holds both ways. */
static const char *const command_ids[] = {"S", "SI", "SIR", "Z", "ZI", "T", "TI", "TA", "TAC",
                                           "I0", "I1", "I2", "I3", "I4", "I5", "@", "SR"};

static int in_list(const char *const *list, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], id) == 0)
            return 1;
    return 0;
}

static int fail(struct reading *r, const char *why)
{
    READING_SET(r, info, why);
    return -1;
}

/* "<weight> <unit>": the weight field right-aligned, the unit after the last
 * space. */
static int parse_weight(const uint8_t *s, size_t n, struct reading *r)
{
    size_t sp = n;
    while (sp > 0 && s[sp - 1] != ' ')
        sp--;
    if (sp == 0 || sp == n)
        return fail(r, "weight without a unit");
    size_t ulen = n - sp;
    if (ulen >= sizeof r->unit)
        return fail(r, "unit too long");
    for (size_t i = sp; i < n; i++)
        if (s[i] < 0x21 || s[i] == 0x7f)
            return fail(r, "bad character in the unit");
    if (reading_set_text(r, (const char *)s, sp - 1) < 0)
        return fail(r, "bad weight field");
    memcpy(r->unit, s + sp, ulen);
    r->unit[ulen] = '\0';
    return 0;
}

static int parse_line(void *state, const uint8_t *s, size_t n, struct reading *r)
{
    (void)state;
    char id[8];
    size_t i = 0;
    while (i < n && s[i] != ' ' && i < sizeof id - 1) {
        id[i] = (char)s[i];
        i++;
    }
    id[i] = '\0';
    if (i < n && s[i] != ' ')
        return fail(r, "unknown command id");
    if (i == n) {
        /* A line with no status: a general error, or a host command. */
        if (strcmp(id, "ES") == 0 || strcmp(id, "ET") == 0 || strcmp(id, "EL") == 0) {
            r->kind = READING_REJECT;
            r->status = READING_STATUS_ERROR;
            snprintf(r->reply, sizeof r->reply, "%s", id);
            snprintf(r->info, sizeof r->info, "%s",
                     id[1] == 'S' ? "syntax error: command not recognised"
                     : id[1] == 'T' ? "transmission error (parity, framing or break)"
                                    : "logical error: command cannot be executed");
            return 0;
        }
        if (in_list(command_ids, sizeof command_ids / sizeof command_ids[0], id)) {
            r->kind = READING_REQUEST;
            snprintf(r->reply, sizeof r->reply, "%s", id);
            snprintf(r->info, sizeof r->info, "command %s", id);
            return 0;
        }
        return fail(r, "unknown command id");
    }
    /* "S", the weighing reply, first: most lines are one. */
    if (!(id[0] == 'S' && id[1] == '\0') && !in_list(reply_ids, sizeof reply_ids / sizeof reply_ids[0], id))
        return fail(r, "unknown command id");
    READING_SET(r, reply, id);
    if (i + 1 >= n)
        return fail(r, "no status after the id");
    char st = (char)s[i + 1];
    const uint8_t *rest = s + i + 2;
    size_t rest_n = n - i - 2;
    if (rest_n > 0 && rest[0] != ' ')
        return fail(r, "status is not one character");
    if (rest_n > 0) {
        rest++;
        rest_n--;
    }
    int weighing = id[0] == 'S';
    int ident = id[0] == 'I';
    switch (st) {
    case 'S':
    case 'D':
        if (ident || strcmp(id, "TAC") == 0)
            return fail(r, "status not allowed for this id");
        r->stable = st == 'S';
        r->stable_reported = true;
        if (strcmp(id, "Z") == 0 || strcmp(id, "ZI") == 0) {
            if (rest_n > 0)
                return fail(r, "text after a zero reply");
            r->kind = READING_ACK; /* zeroed (ZI D: under dynamic conditions) */
            return 0;
        }
        if (st == 'D' && !(strcmp(id, "S") == 0 || strcmp(id, "TI") == 0 ||
                           strcmp(id, "SI") == 0 || strcmp(id, "SIR") == 0))
            return fail(r, "D status not allowed for this id");
        if (rest_n == 0)
            return fail(r, "no weight after the status");
        r->kind = weighing ? READING_VALUE : READING_TARE;
        return parse_weight(rest, rest_n, r);
    case 'A':
        if (weighing)
            return fail(r, "A status not allowed for S");
        if (ident) {
            /* I2 A "XS204 Excellence 220.0090 g", I4 A "0123456789" */
            if (rest_n < 2 || rest[0] != '"' || rest[rest_n - 1] != '"')
                return fail(r, "identification text not in quotes");
            r->kind = READING_INFO;
            snprintf(r->info, sizeof r->info, "%.*s", (int)(rest_n - 2), (const char *)rest + 1);
            return 0;
        }
        if (strcmp(id, "TA") == 0 && rest_n > 0) {
            r->kind = READING_TARE; /* TA A <tare> <unit>: the tare value */
            r->stable = true;
            return parse_weight(rest, rest_n, r);
        }
        if (rest_n > 0)
            return fail(r, "text after an A status");
        r->kind = READING_ACK;
        return 0;
    case 'I':
    case 'L':
    case '+':
    case '-':
        if (st == 'I' && weighing && rest_n == 1 && (rest[0] == '+' || rest[0] == '-')) {
            /* "S I +" / "S I -": out of range, as A&D balances send it in
             * their MT format (GH manual §10.6, data format examples). */
            r->status = rest[0] == '+' ? READING_STATUS_OVERLOAD : READING_STATUS_UNDERLOAD;
            READING_SET(r, info, rest[0] == '+' ? "overload" : "underload");
            return 0;
        }
        if (rest_n > 0)
            return fail(r, "text after the status");
        if (st == 'I') {
            r->kind = READING_BUSY;
            snprintf(r->info, sizeof r->info, "not executable now (busy, or not stable in time)");
        } else if (st == 'L') {
            r->kind = READING_REJECT;
            r->status = READING_STATUS_ERROR;
            snprintf(r->info, sizeof r->info, "logical error: parameter not allowed");
        } else {
            r->kind = weighing ? READING_VALUE : READING_REJECT;
            r->status = st == '+' ? READING_STATUS_OVERLOAD : READING_STATUS_UNDERLOAD;
            snprintf(r->info, sizeof r->info, "%s",
                     weighing ? (st == '+' ? "overload" : "underload")
                              : (st == '+' ? "upper limit of the range exceeded"
                                           : "lower limit of the range exceeded"));
        }
        return 0;
    default:
        return fail(r, "unknown status");
    }
}

static enum frame_result frame(void *state, const uint8_t *buf, size_t len, bool at_end,
                               size_t *used, struct reading *out)
{
    (void)at_end;
    return drv_line_frame(state, buf, len, MT_SICS_MAX_LINE, 1, parse_line, "mt-sics", used, out);
}

static int command(void *state, enum driver_request req, uint8_t *buf, size_t size)
{
    (void)state;
    static const char *const cmds[DRIVER_REQ_COUNT] = {
        [DRIVER_REQ_STABLE] = "S",     [DRIVER_REQ_IMMEDIATE] = "SI",
        [DRIVER_REQ_ZERO] = "Z",       [DRIVER_REQ_TARE] = "T",
        [DRIVER_REQ_TARE_CLEAR] = "TAC", [DRIVER_REQ_IDENTIFY] = "I2",
        [DRIVER_REQ_SERIAL] = "I4",    [DRIVER_REQ_CONTINUOUS] = "SIR",
        [DRIVER_REQ_STOP] = "@",
    };
    if ((unsigned)req >= DRIVER_REQ_COUNT || cmds[req] == NULL)
        return sc_error_set(SC_ERR_UNSUPPORTED, "mt-sics: no such command");
    return drv_put_line(buf, size, cmds[req]);
}

static int encode(void *state, const struct reading *r, uint8_t *buf, size_t size)
{
    (void)state;
    char line[READING_INFO_MAX + 32];
    const char *id = r->reply[0] ? r->reply : "S";
    switch (r->kind) {
    case READING_VALUE:
    case READING_TARE:
        if (r->status == READING_STATUS_OVERLOAD || r->status == READING_STATUS_UNDERLOAD)
            snprintf(line, sizeof line, "%s %c", id, r->status == READING_STATUS_OVERLOAD ? '+' : '-');
        else if (!r->has_value)
            return sc_error_set(SC_ERR_ARG, "mt-sics: a value reply needs a value");
        else if (strlen(r->text) > 10)
            return sc_error_set(SC_ERR_RANGE, "mt-sics: '%s' is wider than 10", r->text);
        else
            snprintf(line, sizeof line, "%s %c %10s %s", id,
                     strcmp(id, "TA") == 0 ? 'A' : r->stable ? 'S' : 'D', r->text, r->unit);
        break;
    case READING_ACK:
        if (strcmp(id, "ZI") == 0)
            snprintf(line, sizeof line, "ZI %c", r->stable ? 'S' : 'D');
        else
            snprintf(line, sizeof line, "%s A", id);
        break;
    case READING_BUSY:
        snprintf(line, sizeof line, "%s I", id);
        break;
    case READING_INFO:
        snprintf(line, sizeof line, "%s A \"%s\"", id, r->info);
        break;
    case READING_REJECT:
        if (strcmp(id, "ES") == 0 || strcmp(id, "ET") == 0 || strcmp(id, "EL") == 0)
            snprintf(line, sizeof line, "%s", id);
        else
            snprintf(line, sizeof line, "%s %c", id,
                     r->status == READING_STATUS_OVERLOAD ? '+'
                     : r->status == READING_STATUS_UNDERLOAD ? '-' : 'L');
        break;
    default:
        return sc_error_set(SC_ERR_UNSUPPORTED, "mt-sics: cannot send a %s", reading_kind_name(r->kind));
    }
    return drv_put_line(buf, size, line);
}

const struct driver driver_mt_sics = {
    .name = "mt-sics",
    .maker = "Mettler Toledo (also OHAUS indicators)",
    .description = "MT-SICS level 0/1: S, SI, SIR, Z, T, TAC, I2, I4, @",
    .serialcomm = "9600/8n1",
    .flags = DRIVER_COMMANDS | DRIVER_STREAMS,
    .max_frame = MT_SICS_MAX_LINE + 2,
    .options_help = "",
    .frame = frame,
    .command = command,
    .encode = encode,
};
