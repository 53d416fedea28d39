/* stallcheck sim: a simulated device on a pseudo-terminal.
 *
 * One poll loop, no threads: the pty master (host commands in, frames out),
 * the control channel, and a timer for streaming and pending requests.  The
 * sim keeps the slave side open itself so that a client may close and reopen
 * the port (sigrok-cli scans, closes, then opens again) without the pty
 * going away; frames that pile up with nobody reading are flushed, so a
 * client that opens late gets fresh readings, not old ones. */
#include "devices/sim.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/mass.h"
#include "devices/driver.h"
#include "devices/parser.h"
#include "devices/sim_scale.h"
#include "devices/transport.h"

#define OUT_MAX 65536
#define STABLE_WAIT_MS 3000       /* S waits this long for stability, then "S I" (OHAUS) */

struct sim {
    const struct sim_options *o;
    struct driver_spec spec;
    const struct driver *drv;
    struct parser *host;          /* parses what the host sends */
    struct sim_scale scale;
    struct meter_values meter;
    int64_t unit_ug;
    int decimals;
    char unit[8];
    int master, slave;
    char path[128];
    uint8_t out[OUT_MAX];
    size_t out_len;
    int streaming;
    int interval_ms;
    int64_t next_tick;
    int pending;                  /* a request waiting for stability */
    char pending_id[8];
    int64_t pending_deadline;
    long frames;
    long taken;                   /* frames a reader has read (for --drop-after) */
    double garble;
    uint64_t rng;
    int ctl_fd;                   /* FIFO, or -1 */
    struct timespec ctl_mtime;    /* regular file: re-read on change */
    char ctl_buf[512];
    size_t ctl_len;
    int quit, drop_now;
    int baud;
    int64_t next_write;           /* --chunk: when the next piece may go */
    char next_error[8];           /* control "error E11": the next command's answer */
    uint8_t *replay;              /* --replay: the capture, and where we are in it */
    size_t replay_len, replay_pos;
};

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
    got_signal = sig;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void logf_(struct sim *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct sim *s, const char *fmt, ...)
{
    if (s->o->log == NULL)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("sim: ", s->o->log);
    vfprintf(s->o->log, fmt, ap);
    fputc('\n', s->o->log);
    fflush(s->o->log);
    va_end(ap);
}

static uint64_t rnd(struct sim *s)
{
    s->rng ^= s->rng << 13;
    s->rng ^= s->rng >> 7;
    s->rng ^= s->rng << 17;
    return s->rng;
}

void sim_options_init(struct sim_options *o)
{
    memset(o, 0, sizeof *o);
    o->settle_ms = -1;
    o->return_after_ms = -1;
    o->interval_ms = 100;
    o->stream = -1;
    o->seed = 1;
    o->voltage = (struct decimal){2302, 1};
    o->current = (struct decimal){1234, 3};
    o->power = (struct decimal){2841, 4};
    o->energy = (struct decimal){12345678, 2};
    o->reactive_power = (struct decimal){512, 4};
    o->apparent_power = (struct decimal){2886, 4};
    o->power_factor = (struct decimal){984, 3};
    o->reactive_energy = (struct decimal){234567, 2};
    o->phases = 3;
}

/* ---- the pty ---- */

static int open_pty(struct sim *s)
{
    if (openpty(&s->master, &s->slave, s->path, NULL, NULL) != 0)
        return sc_error_set(SC_ERR_IO, "openpty: %s", strerror(errno));
    /* Raw, no echo: bytes pass as on a wire.  The speed stands for the
     * device's own baud rate until a client sets the port. */
    struct termios tio;
    tcgetattr(s->slave, &tio);
    cfmakeraw(&tio);
    tcsetattr(s->slave, TCSANOW, &tio);
    fcntl(s->master, F_SETFL, fcntl(s->master, F_GETFL) | O_NONBLOCK);
    fcntl(s->master, F_SETFD, FD_CLOEXEC);
    fcntl(s->slave, F_SETFD, FD_CLOEXEC);
    if (s->o->link != NULL) {
        char tmp[4096];
        snprintf(tmp, sizeof tmp, "%s.new", s->o->link);
        unlink(tmp);
        if (symlink(s->path, tmp) != 0 || rename(tmp, s->o->link) != 0)
            return sc_error_set(SC_ERR_IO, "%s: %s", s->o->link, strerror(errno));
    }
    s->out_len = 0;
    parser_reset(s->host);
    return SC_OK;
}

static void close_pty(struct sim *s)
{
    if (s->master >= 0)
        close(s->master);
    if (s->slave >= 0)
        close(s->slave);
    s->master = s->slave = -1;
}

/* The client's baud rate, as it set the port (the pty keeps the setting). */
static int client_baud(struct sim *s)
{
    struct termios tio;
    if (tcgetattr(s->slave, &tio) != 0)
        return 0;
    static const struct {
        speed_t sp;
        int baud;
    } rates[] = {{B300, 300}, {B600, 600}, {B1200, 1200}, {B2400, 2400}, {B4800, 4800},
                 {B9600, 9600}, {B19200, 19200}, {B38400, 38400}, {B57600, 57600},
                 {B115200, 115200}};
    speed_t sp = cfgetospeed(&tio);
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
        if (rates[i].sp == sp)
            return rates[i].baud;
    return 0;
}

/* ---- output ---- */

static void emit(struct sim *s, const uint8_t *bytes, size_t n)
{
    if (n == 0 || s->master < 0)
        return;
    uint8_t f[512];
    if (n > sizeof f)
        n = sizeof f;
    memcpy(f, bytes, n);
    /* A wrong baud rate on a real line gives framing errors: the receiver
     * sees other bytes.  A pty carries bytes whatever the speed, so the sim
     * scrambles them itself when the client's speed is not the device's. */
    int cb = client_baud(s);
    if (cb != 0 && cb != s->baud && cb != 38400 /* a pty's default: nobody set it */) {
        for (size_t i = 0; i < n; i++)
            f[i] = (uint8_t)(f[i] * 7 + 0x55) ^ (uint8_t)(cb >> 3);
    } else if (s->garble > 0 && (double)(rnd(s) % 1000000) < s->garble * 1000000.0) {
        size_t at = (size_t)(rnd(s) % n);
        /* Bit 5 and one of bits 0-4: a digit never becomes another digit,
         * so a garbled frame is a bad frame, not a wrong weight. */
        f[at] = (uint8_t)(f[at] ^ 0x20 ^ (1u << (rnd(s) % 5)));
        logf_(s, "garbled byte %zu of frame %ld", at, s->frames + 1);
    }
    if (s->o->parity_bit) {
        /* A 7-bit device with parity, read by an 8N1 port: the parity bit
         * arrives as bit 7 of each character. */
        for (size_t i = 0; i < n; i++) {
            unsigned ones = (unsigned)__builtin_popcount(f[i] & 0x7F);
            unsigned bit = s->o->parity_bit == 'e' ? ones & 1 : !(ones & 1);
            f[i] = (uint8_t)((f[i] & 0x7F) | bit << 7);
        }
    }
    /* A device on a clock sends whether anyone listens; with the port
     * closed its frames are lost.  The sim holds the slave open, so it drops
     * what was not read before the next frame: a reader gets the present
     * value, never a backlog.  (Not when replaying, nor at --interval 0,
     * where the reader sets the pace.) */
    int queued = -1;
    if (ioctl(s->slave, FIONREAD, &queued) == 0 && queued == 0 && s->out_len == 0)
        s->taken = s->frames; /* a reader took every frame sent so far */
    if (s->streaming && s->interval_ms > 0 && s->replay == NULL && queued > 0)
        tcflush(s->slave, TCIFLUSH);
    if (s->out_len + n > OUT_MAX)
        s->out_len = 0; /* nobody reads: keep only the new frame */
    memcpy(s->out + s->out_len, f, n);
    s->out_len += n;
    s->frames++;
    /* --drop-after counts the frames a reader took, so the cable is pulled
     * from under a reader, however late it came. */
    if (s->o->drop_after > 0 && s->taken >= s->o->drop_after)
        s->drop_now = 1;
}

static void flush_out(struct sim *s)
{
    int64_t now = now_ms();
    if (s->o->chunk > 0 && now < s->next_write)
        return;
    while (s->out_len > 0 && s->master >= 0) {
        /* --chunk: frames leave in pieces, a few ms apart, as a slow line
         * or a USB adapter's buffering delivers them. */
        size_t n = s->o->chunk > 0 && (size_t)s->o->chunk < s->out_len ? (size_t)s->o->chunk : s->out_len;
        ssize_t w = write(s->master, s->out, n);
        if (s->o->chunk > 0)
            s->next_write = now + 3;
        if (w <= 0)
            break;
        memmove(s->out, s->out + w, s->out_len - (size_t)w);
        s->out_len -= (size_t)w;
        if (s->o->chunk > 0)
            break;
    }
}

static void encode_send(struct sim *s, const struct reading *r)
{
    uint8_t buf[512];
    int n = s->drv->encode(parser_state(s->host), r, buf, sizeof buf);
    if (n < 0) {
        logf_(s, "cannot encode: %s", sc_error_message());
        return;
    }
    emit(s, buf, (size_t)n);
}

/* The scale's display as a reading. */
static void weight_reading(struct sim *s, struct reading *r, const char *id)
{
    struct sim_weight w;
    sim_scale_read(&s->scale, now_ms(), &w);
    reading_clear(r);
    r->kind = READING_VALUE;
    snprintf(r->reply, sizeof r->reply, "%s", id);
    snprintf(r->unit, sizeof r->unit, "%s", s->unit);
    r->stable = w.stable;
    r->stable_reported = true;
    r->net = w.net;
    int64_t per = s->unit_ug;
    for (int i = 0; i < s->decimals; i++)
        per /= 10;
    if (w.status != SIM_SCALE_OK) {
        r->status = w.status == SIM_SCALE_OVERLOAD ? READING_STATUS_OVERLOAD : READING_STATUS_UNDERLOAD;
        r->stable = false;
        return;
    }
    reading_set_decimal(r, (struct decimal){w.net_ug / per, s->decimals});
    r->has_tare = true;
    r->tare = (struct decimal){w.tare_ug / per, s->decimals};
}

static void send_weight(struct sim *s, const char *id)
{
    struct reading r;
    weight_reading(s, &r, id);
    encode_send(s, &r);
}

static void send_simple(struct sim *s, enum reading_kind kind, const char *id, enum reading_status st,
                        const char *info)
{
    struct reading r;
    reading_clear(&r);
    r.kind = kind;
    r.status = st;
    snprintf(r.reply, sizeof r.reply, "%s", id);
    if (info)
        snprintf(r.info, sizeof r.info, "%s", info);
    encode_send(s, &r);
}

/* --replay: the next line of the capture (up to LF, at most 300 bytes). */
static void replay_next(struct sim *s)
{
    if (s->replay_pos >= s->replay_len)
        s->replay_pos = 0;
    size_t start = s->replay_pos, end = start;
    while (end < s->replay_len && end - start < 300 && s->replay[end] != '\n')
        end++;
    if (end < s->replay_len && s->replay[end] == '\n')
        end++;
    s->replay_pos = end;
    emit(s, s->replay + start, end - start);
}

static int load_replay(struct sim *s, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return sc_error_set(SC_ERR_NOTFOUND, "--replay %s: %s", path, strerror(errno));
    size_t cap = 4096;
    s->replay = malloc(cap);
    s->replay_len = 0;
    size_t n;
    while (s->replay != NULL && (n = fread(s->replay + s->replay_len, 1, cap - s->replay_len, f)) > 0) {
        s->replay_len += n;
        if (s->replay_len == cap) {
            uint8_t *nb = cap < (64u << 20) ? realloc(s->replay, cap * 2) : NULL;
            if (nb == NULL) {
                free(s->replay);
                s->replay = NULL;
            }
            s->replay = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (s->replay == NULL)
        return sc_error_set(SC_ERR_NOMEM, "--replay %s: too large", path);
    if (s->replay_len == 0)
        return sc_error_set(SC_ERR_ARG, "--replay %s: empty", path);
    s->streaming = 1;
    return SC_OK;
}

/* ---- host commands ---- */

static int scale_stable(struct sim *s)
{
    struct sim_weight w;
    sim_scale_read(&s->scale, now_ms(), &w);
    return w.stable && w.status == SIM_SCALE_OK;
}

/* A request that waits for stability: answered now, or when stable, or
 * "I" after STABLE_WAIT_MS. */
static void answer_when_stable(struct sim *s, const char *id)
{
    if (scale_stable(s)) {
        if (strcmp(id, "S") == 0) {
            send_weight(s, "S");
        } else if (strcmp(id, "T") == 0) {
            sim_scale_tare(&s->scale, now_ms());
            struct reading r;
            weight_reading(s, &r, "T");
            r.kind = READING_TARE;
            r.value = r.tare;
            decimal_format(r.tare, r.text, sizeof r.text);
            encode_send(s, &r);
        } else if (strcmp(id, "Z") == 0) {
            if (sim_scale_zero(&s->scale, now_ms()))
                send_simple(s, READING_ACK, "Z", READING_STATUS_OK, NULL);
            else
                send_simple(s, READING_REJECT, "Z", READING_STATUS_OVERLOAD, NULL);
        }
        s->pending = 0;
        return;
    }
    if (!s->pending) {
        s->pending = 1;
        snprintf(s->pending_id, sizeof s->pending_id, "%s", id);
        s->pending_deadline = now_ms() + STABLE_WAIT_MS;
    } else if (now_ms() >= s->pending_deadline) {
        send_simple(s, READING_BUSY, s->pending_id, READING_STATUS_OK, NULL);
        s->pending = 0;
    }
}

static void host_command(struct sim *s, const struct reading *req)
{
    const char *id = req->reply;
    const char *drv = driver_protocol(s->drv);
    logf_(s, "command %s", id);
    if (s->next_error[0]) {
        /* control "error CODE": this command is refused with it */
        send_simple(s, READING_REJECT, s->next_error, READING_STATUS_ERROR, NULL);
        s->next_error[0] = '\0';
        return;
    }
    if (strcmp(drv, "mt-sics") == 0) {
        if (strcmp(id, "S") == 0 || strcmp(id, "T") == 0 || strcmp(id, "Z") == 0) {
            s->streaming = 0;
            s->pending = 0;
            answer_when_stable(s, id);
        } else if (strcmp(id, "SI") == 0) {
            s->streaming = 0;
            send_weight(s, "S");
        } else if (strcmp(id, "SIR") == 0) {
            s->streaming = 1;
        } else if (strcmp(id, "ZI") == 0) {
            struct reading r;
            reading_clear(&r);
            r.kind = READING_ACK;
            r.stable = scale_stable(s);
            snprintf(r.reply, sizeof r.reply, "ZI");
            s->scale.zero_ug = s->scale.load_ug; /* zeroed under any conditions */
            encode_send(s, &r);
        } else if (strcmp(id, "TA") == 0) {
            struct reading r;
            weight_reading(s, &r, "TA");
            r.kind = READING_TARE;
            r.value = r.tare;
            decimal_format(r.tare, r.text, sizeof r.text);
            r.has_value = true;
            encode_send(s, &r);
        } else if (strcmp(id, "TAC") == 0) {
            sim_scale_tare_clear(&s->scale);
            send_simple(s, READING_ACK, "TAC", READING_STATUS_OK, NULL);
        } else if (strcmp(id, "I2") == 0) {
            char info[64];
            char max[32];
            mass_format(s->scale.max_ug, s->unit_ug, max, sizeof max);
            snprintf(info, sizeof info, "stallcheck-sim %s %s", max, s->unit);
            send_simple(s, READING_INFO, "I2", READING_STATUS_OK, info);
        } else if (strcmp(id, "I4") == 0 || strcmp(id, "@") == 0) {
            /* @ cancels SIR and clears the tare, does not zero (OHAUS). */
            if (id[0] == '@') {
                s->streaming = 0;
                s->pending = 0;
                sim_scale_tare_clear(&s->scale);
            }
            send_simple(s, READING_INFO, "I4", READING_STATUS_OK, "SIM0000001");
        } else {
            send_simple(s, READING_REJECT, "ES", READING_STATUS_ERROR, NULL);
        }
    } else if (strcmp(drv, "and-std") == 0) {
        if (strcmp(id, "Q") == 0 || strcmp(id, "SI") == 0) {
            send_weight(s, "");
        } else if (strcmp(id, "S") == 0) {
            s->pending = 0;
            if (scale_stable(s))
                send_weight(s, "");
            else
                answer_when_stable(s, "S");
        } else if (strcmp(id, "SIR") == 0) {
            s->streaming = 1;
        } else if (strcmp(id, "C") == 0) {
            s->streaming = 0;
            s->pending = 0;
        } else if (strcmp(id, "Z") == 0 || strcmp(id, "R") == 0) {
            send_simple(s, READING_ACK, "", READING_STATUS_OK, NULL);
            if (sim_scale_zero(&s->scale, now_ms()))
                send_simple(s, READING_ACK, "", READING_STATUS_OK, NULL); /* done */
            else
                send_simple(s, READING_REJECT, "E11", READING_STATUS_ERROR, NULL); /* stability */
        } else if (strcmp(id, "T") == 0) {
            send_simple(s, READING_ACK, "", READING_STATUS_OK, NULL);
            if (sim_scale_tare(&s->scale, now_ms()))
                send_simple(s, READING_ACK, "", READING_STATUS_OK, NULL);
            else
                send_simple(s, READING_REJECT, "E11", READING_STATUS_ERROR, NULL); /* stability */
        } else if (strcmp(id, "?SN") == 0) {
            send_simple(s, READING_INFO, "SN", READING_STATUS_OK, "SIM0000001");
        } else if (strcmp(id, "?TN") == 0) {
            send_simple(s, READING_INFO, "TN", READING_STATUS_OK, "SIM-A&D");
        } else if (strcmp(id, "?ID") == 0) {
            send_simple(s, READING_INFO, "ID", READING_STATUS_OK, "LAB-0001");
        } else if (strcmp(id, "?PT") == 0) {
            struct reading r;
            weight_reading(s, &r, "PT");
            r.kind = READING_TARE;
            r.status = READING_STATUS_OK;
            reading_set_decimal(&r, r.has_tare ? r.tare : (struct decimal){0, s->decimals});
            encode_send(s, &r);
        } else {
            send_simple(s, READING_REJECT, "E01", READING_STATUS_ERROR, NULL);
        }
    } else if (strcmp(drv, "kern") == 0) {
        if (id[0] == 'O') {
            s->streaming = id[1] != '0';
            send_simple(s, READING_ACK, "", READING_STATUS_OK, NULL);
        } else if (strcmp(id, "w") == 0 || strcmp(id, "s") == 0) {
            send_weight(s, "");
        } else if (strcmp(id, "t") == 0) {
            sim_scale_tare(&s->scale, now_ms());
        }
    }
}

static void read_host(struct sim *s)
{
    uint8_t buf[1024];
    for (;;) {
        ssize_t n = read(s->master, buf, sizeof buf);
        if (n <= 0)
            break;
        parser_feed(s->host, buf, (size_t)n);
        struct reading r;
        while (parser_next(s->host, &r) > 0)
            if (r.kind == READING_REQUEST)
                host_command(s, &r);
    }
}

/* Meters: requests are found by the driver's device side (serve), over
 * this buffer of what the host sent. */
static uint8_t meter_in[1024];
static size_t meter_len;

static void serve_meter(struct sim *s, const uint8_t *buf, size_t n)
{
    if (meter_len + n > sizeof meter_in)
        meter_len = 0;
    memcpy(meter_in + meter_len, buf, n);
    meter_len += n;
    size_t pos = 0;
    while (pos < meter_len) {
        size_t used = 0, rlen = 0;
        uint8_t reply[300];
        enum frame_result fr = s->drv->serve(parser_state(s->host), meter_in + pos, meter_len - pos,
                                             &s->meter, &used, reply, &rlen);
        if (fr == FRAME_NEED_MORE)
            break;
        if (used == 0)
            used = 1;
        pos += used;
        if (fr == FRAME_OK && rlen > 0) {
            logf_(s, "request answered (%zu bytes)", rlen);
            emit(s, reply, rlen);
        }
    }
    memmove(meter_in, meter_in + pos, meter_len - pos);
    meter_len -= pos;
}

static void read_meter_host(struct sim *s)
{
    uint8_t buf[1024];
    for (;;) {
        ssize_t n = read(s->master, buf, sizeof buf);
        if (n <= 0)
            break;
        serve_meter(s, buf, (size_t)n);
    }
}

/* ---- the control channel ---- */

static int set_quantity(struct sim *s, const char *name, const char *value)
{
    struct decimal d;
    if (decimal_parse(value, &d, NULL) < 0)
        return -1;
    if (strcmp(name, "voltage") == 0)
        s->meter.voltage = d;
    else if (strcmp(name, "current") == 0)
        s->meter.current = d;
    else if (strcmp(name, "power") == 0)
        s->meter.power = d;
    else if (strcmp(name, "energy") == 0)
        s->meter.energy = d;
    else if (strcmp(name, "reactive-power") == 0)
        s->meter.reactive_power = d;
    else if (strcmp(name, "apparent-power") == 0)
        s->meter.apparent_power = d;
    else if (strcmp(name, "power-factor") == 0)
        s->meter.power_factor = d;
    else if (strcmp(name, "reactive-energy") == 0)
        s->meter.reactive_energy = d;
    else
        return -1;
    return 0;
}

static void control_line(struct sim *s, char *line)
{
    char *p = line;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strlen(p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\r' || p[n - 1] == '\t'))
        p[--n] = '\0';
    if (*p == '\0' || *p == '#')
        return;
    char cmd[32], a[64] = "", b[64] = "";
    if (sscanf(p, "%31s %63s %63s", cmd, a, b) < 1)
        return;
    int64_t now = now_ms(), ug;
    if (strcmp(cmd, "load") == 0 && mass_parse(a, s->unit_ug, &ug) == 0) {
        sim_scale_load(&s->scale, ug, now);
        logf_(s, "load %s", a);
    } else if (strcmp(cmd, "noise") == 0 && a[0]) {
        s->scale.noise_d = atoi(a);
    } else if (strcmp(cmd, "settle") == 0 && a[0]) {
        s->scale.settle_ms = atoi(a);
    } else if (strcmp(cmd, "garble") == 0 && a[0]) {
        s->garble = strtod(a, NULL);
    } else if (strcmp(cmd, "zero") == 0) {
        sim_scale_zero(&s->scale, now);
    } else if (strcmp(cmd, "tare") == 0) {
        sim_scale_tare(&s->scale, now);
    } else if (strcmp(cmd, "tare-clear") == 0) {
        sim_scale_tare_clear(&s->scale);
    } else if (strcmp(cmd, "stream") == 0) {
        s->streaming = strcmp(a, "off") != 0;
    } else if (strcmp(cmd, "set") == 0 && set_quantity(s, a, b) == 0) {
        logf_(s, "set %s %s", a, b);
    } else if (strcmp(cmd, "position") == 0 && a[0] >= '0' && a[0] <= '8' && a[1] == '\0') {
        sim_scale_position(&s->scale, a[0] - '0', now);
        logf_(s, "position %s", a);
    } else if (strcmp(cmd, "mode") == 0 && (strcmp(a, "test") == 0 || strcmp(a, "normal") == 0)) {
        if (!sim_scale_test_mode(&s->scale, strcmp(a, "test") == 0))
            logf_(s, "mode %s: the profile has no test mode", a);
    } else if (strcmp(cmd, "instrument") == 0 && mass_parse(a, s->unit_ug, &ug) == 0 && ug > 0) {
        /* Stand for another instrument: its Max and e (= d) */
        int64_t e, per = s->unit_ug;
        for (int i = 0; i < s->decimals; i++)
            per /= 10;
        if (mass_parse(b, s->unit_ug, &e) < 0 || e <= 0 || e % per != 0) {
            logf_(s, "instrument %s %s: e must be a step of the display", a, b);
        } else {
            s->scale.max_ug = ug;
            s->scale.d_ug = e;
            if (s->scale.normal_d_ug > 0)
                s->scale.normal_d_ug = e;
            logf_(s, "instrument Max %s e %s", a, b);
        }
    } else if (strcmp(cmd, "error") == 0 && a[0] && strlen(a) < sizeof s->next_error) {
        memcpy(s->next_error, a, strlen(a) + 1); /* fits: checked above */
        logf_(s, "the next command is answered %s", a);
    } else if (strcmp(cmd, "drop") == 0) {
        s->drop_now = 1;
    } else if (strcmp(cmd, "quit") == 0) {
        s->quit = 1;
    } else {
        logf_(s, "control: '%s' not understood", p);
    }
}

static void read_control_fifo(struct sim *s)
{
    for (;;) {
        ssize_t n = read(s->ctl_fd, s->ctl_buf + s->ctl_len, sizeof s->ctl_buf - 1 - s->ctl_len);
        if (n <= 0)
            break;
        s->ctl_len += (size_t)n;
        s->ctl_buf[s->ctl_len] = '\0';
        char *nl;
        while ((nl = strchr(s->ctl_buf, '\n')) != NULL) {
            *nl = '\0';
            control_line(s, s->ctl_buf);
            size_t rest = s->ctl_len - (size_t)(nl + 1 - s->ctl_buf);
            memmove(s->ctl_buf, nl + 1, rest);
            s->ctl_len = rest;
            s->ctl_buf[rest] = '\0';
        }
        if (s->ctl_len == sizeof s->ctl_buf - 1)
            s->ctl_len = 0; /* a line too long: drop it */
    }
}

static void check_control_file(struct sim *s)
{
    struct stat st;
    if (s->o->control == NULL || s->ctl_fd >= 0 || stat(s->o->control, &st) != 0)
        return;
    if (st.st_mtim.tv_sec == s->ctl_mtime.tv_sec && st.st_mtim.tv_nsec == s->ctl_mtime.tv_nsec)
        return;
    s->ctl_mtime = st.st_mtim;
    FILE *f = fopen(s->o->control, "r");
    if (f == NULL)
        return;
    char line[256];
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        control_line(s, line);
    }
    fclose(f);
}

static int open_control(struct sim *s)
{
    s->ctl_fd = -1;
    if (s->o->control == NULL)
        return SC_OK;
    struct stat st;
    if (stat(s->o->control, &st) != 0) {
        if (mkfifo(s->o->control, 0600) != 0)
            return sc_error_set(SC_ERR_IO, "--control %s: %s", s->o->control, strerror(errno));
        stat(s->o->control, &st);
    }
    if (S_ISFIFO(st.st_mode)) {
        /* O_RDWR: the sim holds a writer itself, so no EOF between writers. */
        s->ctl_fd = open(s->o->control, O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (s->ctl_fd < 0)
            return sc_error_set(SC_ERR_IO, "--control %s: %s", s->o->control, strerror(errno));
    } else {
        check_control_file(s);
    }
    return SC_OK;
}

/* ---- set-up and the loop ---- */

static int setup(struct sim *s, const struct sim_options *o)
{
    memset(s, 0, sizeof *s);
    s->o = o;
    s->master = s->slave = s->ctl_fd = -1;
    s->rng = o->seed ? o->seed * 0x9E3779B97F4A7C15u : 1;
    int rc = driver_spec_parse(o->spec, &s->spec);
    if (rc < 0)
        return rc;
    s->drv = s->spec.driver;
    if (s->drv->encode == NULL && s->drv->serve == NULL && o->replay == NULL)
        return sc_error_set(SC_ERR_UNSUPPORTED, "%s: no device side to simulate", s->drv->name);
    if ((rc = parser_new(s->drv, s->spec.opts, s->spec.n_opts, &s->host)) < 0)
        return rc;
    snprintf(s->unit, sizeof s->unit, "%s", o->unit ? o->unit : "g");
    s->unit_ug = mass_unit(s->unit);
    if (s->unit_ug == 0 || (strcmp(s->unit, "g") != 0 && strcmp(s->unit, "kg") != 0))
        return sc_error_set(SC_ERR_ARG, "--unit %s: want g or kg", s->unit);
    int64_t d = o->d_ug > 0 ? o->d_ug : 10 * MASS_MG;
    if (o->profile != NULL && o->profile->d_ug > 0)
        d = o->profile->d_ug;
    /* The decimals shown are the finest display's: the test mode's. */
    int64_t d_shown = o->profile != NULL && o->profile->test_d_ug > 0 ? o->profile->test_d_ug : d;
    /* decimals: digits of d in the unit (0.01 g -> 2, 5 g in kg -> 3) */
    int64_t per = s->unit_ug;
    while (per % 10 == 0 && d_shown % per != 0 && s->decimals < 6) {
        per /= 10;
        s->decimals++;
    }
    if (d_shown % per != 0 || d % per != 0)
        return sc_error_set(SC_ERR_ARG, "--d: not a decimal step of the unit %s", s->unit);
    sim_scale_init(&s->scale, d, o->max_ug > 0 ? o->max_ug : 6200 * MASS_G, o->seed);
    if (o->profile != NULL)
        sim_scale_set_profile(&s->scale, o->profile);
    if (o->settle_ms >= 0)
        s->scale.settle_ms = o->settle_ms;
    s->scale.noise_d = o->noise_d;
    sim_scale_load(&s->scale, o->load_ug, now_ms() - 100000);
    s->meter = (struct meter_values){o->voltage,        o->current,        o->power,
                                     o->energy,         o->reactive_power, o->apparent_power,
                                     o->power_factor,   o->reactive_energy, o->phases,
                                     o->frame_limit};
    s->garble = o->garble;
    s->interval_ms = o->interval_ms;
    /* The protocol's habit: Toledo continuous, KERN (O1 on) and the ascii
     * scales stream; MT-SICS and A&D wait for a command; meters answer. */
    const char *n = driver_protocol(s->drv);
    s->streaming = o->stream >= 0 ? o->stream
                   : strcmp(n, "mt-continuous") == 0 || strcmp(n, "kern") == 0 ||
                         strcmp(n, "ascii") == 0 || strcmp(n, "yaohua") == 0;
    if (s->drv->serve != NULL)
        s->streaming = 0;
    if (o->baud > 0) {
        s->baud = o->baud;
    } else {
        struct serialcomm sc;
        serialcomm_parse(s->spec.serialcomm ? s->spec.serialcomm : s->drv->serialcomm, &sc);
        s->baud = sc.baud;
    }
    if (o->replay != NULL && (rc = load_replay(s, o->replay)) < 0)
        return rc;
    return open_control(s);
}

int sim_run(const struct sim_options *o, void (*ready)(const char *path, void *ctx), void *ctx)
{
    static struct sim sim; /* 64 KiB of buffers: not on the stack */
    struct sim *s = &sim;
    meter_len = 0;
    int rc = setup(s, o);
    if (rc == SC_OK)
        rc = open_pty(s);
    if (rc < 0)
        goto out;
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    got_signal = 0;
    logf_(s, "%s on %s, %d baud", s->drv->name, s->path, s->baud);
    if (ready)
        ready(s->path, ctx);
    s->next_tick = now_ms();
    while (!s->quit && !got_signal) {
        int64_t now = now_ms();
        if (s->streaming && now >= s->next_tick && s->out_len == 0) {
            if (s->replay != NULL)
                replay_next(s);
            else
                send_weight(s, strcmp(driver_protocol(s->drv), "mt-sics") == 0 ? "S" : "");
            s->next_tick = s->interval_ms > 0 ? (now >= s->next_tick + s->interval_ms
                                                     ? now + s->interval_ms
                                                     : s->next_tick + s->interval_ms)
                                              : now;
        }
        if (s->pending)
            answer_when_stable(s, s->pending_id);
        flush_out(s);
        if (s->drop_now) {
            logf_(s, "dropping the line after %ld frames", s->frames);
            close_pty(s);
            s->drop_now = 0;
            if (o->return_after_ms < 0)
                break;
            struct timespec ts = {o->return_after_ms / 1000, (long)(o->return_after_ms % 1000) * 1000000};
            nanosleep(&ts, NULL);
            s->frames = 0;
            s->taken = 0;
            if ((rc = open_pty(s)) < 0)
                break;
            logf_(s, "back on %s", s->path);
            if (ready)
                ready(s->path, ctx);
            continue;
        }
        struct pollfd p[2];
        int np = 0;
        p[np++] = (struct pollfd){s->master, (short)(POLLIN | (s->out_len ? POLLOUT : 0)), 0};
        if (s->ctl_fd >= 0)
            p[np++] = (struct pollfd){s->ctl_fd, POLLIN, 0};
        int timeout = 100;
        if (s->streaming && s->out_len == 0) {
            int64_t wait = s->next_tick - now_ms();
            timeout = wait < 0 ? 0 : wait < 100 ? (int)wait : 100;
        }
        if (s->pending)
            timeout = timeout > 20 ? 20 : timeout;
        if (s->o->chunk > 0 && s->out_len > 0) {
            int64_t wait = s->next_write - now_ms();
            timeout = wait <= 0 ? 0 : wait < timeout ? (int)wait : timeout;
            p[0].events = POLLIN; /* the clock paces the pieces, not POLLOUT */
        }
        if (poll(p, (nfds_t)np, timeout) < 0 && errno != EINTR) {
            rc = sc_error_set(SC_ERR_IO, "poll: %s", strerror(errno));
            break;
        }
        if (p[0].revents & POLLIN) {
            if (s->drv->serve != NULL)
                read_meter_host(s);
            else
                read_host(s);
        }
        if (np > 1 && (p[1].revents & POLLIN))
            read_control_fifo(s);
        check_control_file(s);
    }
out:
    close_pty(s);
    if (s->ctl_fd >= 0)
        close(s->ctl_fd);
    if (o->link != NULL && s->path[0])
        unlink(o->link);
    parser_free(s->host);
    s->host = NULL;
    free(s->replay);
    s->replay = NULL;
    driver_spec_free(&s->spec);
    return rc;
}
