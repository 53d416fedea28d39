/* read, decode, sim: the device commands (issue 3). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/error.h"
#include "devices/driver.h"
#include "devices/link.h"
#include "devices/parser.h"
#include "devices/reading.h"
#include "devices/sim.h"
#include "core/mass.h"
#include "core/termsafe.h"
#include "report/json.h"

/* One reading as text: "123.450 g stable", "overload: ...", "bad: why".
 * Its unit and texts are the device's bytes: escaped for the terminal. */
static void print_text(FILE *out, const struct reading *r)
{
    char line[READING_INFO_MAX + READING_TEXT_MAX + 64];
    reading_format(r, line, sizeof line);
    term_fputs(line, out);
    fputc('\n', out);
}

static void print_json(FILE *out, const char *driver, const struct reading *r)
{
    fputs("{\"driver\":", out);
    json_string(out, driver);
    fprintf(out, ",\"kind\":\"%s\",\"value\":", reading_kind_name(r->kind));
    json_string(out, r->has_value ? r->text : NULL);
    fputs(",\"unit\":", out);
    json_string(out, r->unit);
    fprintf(out, ",\"stable\":%s,\"stable_reported\":%s,\"status\":\"%s\",\"net\":%s",
            r->stable ? "true" : "false", r->stable_reported ? "true" : "false",
            reading_status_name(r->status), r->net ? "true" : "false");
    if (r->has_tare) {
        char t[32];
        decimal_format(r->tare, t, sizeof t);
        fputs(",\"tare\":", out);
        json_string(out, t);
    }
    if (r->parts > 0)
        fprintf(out, ",\"item\":%u,\"items\":%u", r->part, r->parts);
    if (r->follow_up)
        fputs(",\"follow_up\":true", out);
    if (r->reply[0]) {
        fputs(",\"reply\":", out);
        json_string(out, r->reply);
    }
    if (r->info[0]) {
        fputs(r->status == READING_STATUS_ERROR ? ",\"reason\":" : ",\"info\":", out);
        json_string(out, r->info);
    }
    fputs(",\"raw\":\"", out);
    size_t n = r->raw_len < READING_RAW_MAX ? r->raw_len : READING_RAW_MAX;
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%02x", r->raw[i]);
    fputs("\"}\n", out);
}

static void print_reading(FILE *out, const char *driver, const struct reading *r, int json)
{
    if (json)
        print_json(out, driver, r);
    else
        print_text(out, r);
}

/* Every protocol's own options (read --help, read --list, decode --list). */
static void print_driver_options(FILE *out)
{
    for (size_t i = 0; i < driver_count(); i++) {
        const struct driver *d = driver_at(i);
        if (d->protocol != NULL || !d->options_help[0])
            continue;
        /* Wrapped at 78 columns on the spaces, continued under the name. */
        int col = fprintf(out, "  %s:", d->name);
        for (const char *w = d->options_help; *w;) {
            while (*w == ' ')
                w++;
            size_t n = strcspn(w, " ");
            if (n == 0)
                break;
            if (col + 1 + (int)n > 78) {
                fputs("\n     ", out);
                col = 5;
            }
            col += fprintf(out, " %.*s", (int)n, w);
            w += n;
        }
        fputc('\n', out);
    }
}

static void list_drivers(FILE *out)
{
    fprintf(out, "%-18s %-10s %-9s %s\n", "PROTOCOL", "SERIAL", "COMMANDS", "DESCRIPTION");
    for (size_t i = 0; i < driver_count(); i++) {
        const struct driver *d = driver_at(i);
        if (d->protocol != NULL)
            continue;
        fprintf(out, "%-18s %-10s %-9s %s\n", d->name, d->serialcomm,
                (d->flags & DRIVER_COMMANDS) ? "yes" : "no", d->description);
    }
    fprintf(out, "\n%-18s %-16s %-11s %-10s %s\n", "MODEL", "MAKER", "ON PLATE", "SERIAL",
            "PROTOCOL");
    for (size_t i = 0; i < driver_count(); i++) {
        const struct driver *d = driver_at(i);
        if (d->protocol == NULL)
            continue;
        fprintf(out, "%-18s %-16s %-11s %-10s %s%s%s\n", d->name, d->maker, d->model, d->serialcomm,
                d->protocol, d->preset ? " " : "", d->preset ? d->preset : "");
    }
    fputs("\nOptions (DRIVER:key=value, a model takes its protocol's):\n", out);
    print_driver_options(out);
    fputs("Link options: transport=auto|serial|termios|tcp timeout=MS window=N d=DECIMAL\n"
          "silence=MS (Modbus RTU: the silence that ends a frame; default 3.5 characters)\n",
          out);
}

/* Hex text ("53 20 0D 0A", any spacing) to bytes; returns the count or -1. */
static long hex_to_bytes(const char *text, size_t len, uint8_t *out, int *half, int *nibble)
{
    long n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        int v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ':' || c == ',')
            continue;
        else
            return -1;
        if (*half) {
            out[n++] = (uint8_t)(*nibble << 4 | v);
            *half = 0;
        } else {
            *nibble = v;
            *half = 1;
        }
    }
    return n;
}

static void decode_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck decode DRIVER[:OPTION=VALUE...] [--json] [--hex]\n"
            "Reads a device's bytes on stdin and prints one reading per line.\n"
            "Bytes in any chunking; junk and garbled frames give one line with status\n"
            "error and the reason, and decoding goes on.\n\n"
            "  --json    one JSON object per reading: \"value\" (the decimal exactly as\n"
            "            the device sent it, or null), \"unit\", \"stable\", \"status\"\n"
            "            (ok, overload, underload, absent, error), \"kind\" (value, tare,\n"
            "            ack, busy, info, reject, request, bad), \"reason\" or \"info\",\n"
            "            \"item\"/\"items\" (a data block's items), \"raw\" (the frame's\n"
            "            bytes in hex)\n"
            "  --hex     stdin is hex text (\"53 20 53 ...\") rather than raw bytes\n"
            "  --list    the drivers and their options\n"
            "  --help    this text\n\n"
            "Example: printf 'ST,+00123.45  g\\r\\n' | stallcheck decode and-std --json\n");
}

int cmd_decode(int argc, char **argv)
{
    static const struct option options[] = {
        {"json", no_argument, NULL, 'j'},
        {"hex", no_argument, NULL, 'x'},
        {"list", no_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int json = 0, hex = 0, c;
    while ((c = getopt_long(argc, argv, "jxlh", options, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'x': hex = 1; break;
        case 'l': list_drivers(stdout); return CLI_EXIT_OK;
        case 'h': decode_usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("decode", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("decode", "give one DRIVER (stallcheck decode --list)");
    struct driver_spec spec;
    if (driver_spec_parse(argv[optind], &spec) < 0)
        return cli_fail("decode", "%s", sc_error_message());
    struct parser *p;
    if (parser_new(spec.driver, spec.opts, spec.n_opts, &p) < 0) {
        driver_spec_free(&spec);
        return cli_fail("decode", "%s", sc_error_message());
    }
    const char *name = spec.driver->name;
    uint8_t buf[4096], bytes[4096];
    int half = 0, nibble = 0, rc = CLI_EXIT_OK;
    struct reading r;
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = cli_fail("decode", "stdin: %s", strerror(errno));
            break;
        }
        if (n == 0)
            break;
        const uint8_t *in = buf;
        size_t len = (size_t)n;
        if (hex) {
            long m = hex_to_bytes((const char *)buf, len, bytes, &half, &nibble);
            if (m < 0) {
                rc = cli_fail("decode", "--hex: stdin holds a character that is not hex");
                break;
            }
            in = bytes;
            len = (size_t)m;
        }
        if (parser_feed(p, in, len) < 0) {
            rc = cli_fail("decode", "%s", sc_error_message());
            break;
        }
        while (parser_next(p, &r) > 0)
            print_reading(stdout, name, &r, json);
        fflush(stdout);
    }
    while (rc == CLI_EXIT_OK && parser_flush(p, &r) > 0)
        print_reading(stdout, name, &r, json);
    if (rc == CLI_EXIT_OK && hex && half)
        rc = cli_fail("decode", "--hex: an odd number of hex digits (the last one is alone)");
    parser_free(p);
    driver_spec_free(&spec);
    return rc;
}

static void read_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck read CONN [--samples N | --continuous] [--json] [OPTIONS]\n"
            "Readings from a scale or meter, like sigrok-cli --samples.\n\n"
            "CONN is sigrok's connection string:\n"
            "  DRIVER:conn=/dev/ttyUSB0[:serialcomm=9600/8n1][:OPTION=VALUE...]\n"
            "  DRIVER:conn=tcp-raw/HOST/PORT          (serial-to-Ethernet bridges)\n"
            "Link options: transport=auto|serial|termios|tcp, timeout=MS (2000),\n"
            "window=N d=DECIMAL (the stability rule for devices that do not report it),\n"
            "silence=MS (Modbus RTU on a serial line: frames end at a silence of 3.5\n"
            "characters, or of MS for adapters that deliver frames in pieces).\n"
            "stallcheck read --list shows the protocols, the models by name and maker,\n"
            "their default line settings and options.\n\n"
            "  --samples N      stop after N readings (default 1)\n"
            "  --continuous     read until the device goes away or you interrupt\n"
            "  --stable         count only stable readings\n"
            "  --request WHAT   the command sent: stable, immediate, continuous, zero,\n"
            "                   tare, tare-clear, identify, serial, stop, or none\n"
            "                   (default: continuous where the protocol streams,\n"
            "                   immediate before each reading for meters)\n"
            "  --timeout MS     give up when no reading comes for MS (default 2000)\n"
            "  --reopen         when the device goes away, reopen it (for --timeout)\n"
            "  --all            also print acks, replies and bad frames (stderr\n"
            "                   otherwise)\n"
            "  --json           one JSON object per reading (as decode --json)\n"
            "  --list           the drivers\n"
            "  --help           this text\n\n"
            "Overload and underload are readings too (\"overload\", status in --json);\n"
            "they count as samples, --stable or not.\n\n"
            "Exit status: 0 the readings came; 1 the device is gone, timed out or\n"
            "could not be opened.\n\n"
            "Driver options:\n");
    print_driver_options(out);
    fprintf(out, "\nExamples:\n"
            "  stallcheck read kern:conn=/dev/ttyUSB0 --samples 5 --json\n"
            "  stallcheck read modbus-rtu:conn=/dev/ttyUSB0:register=0x0121:fc=3:type=u16:decimals=1:unit=V\n");
}

struct read_opts {
    long samples;
    int continuous, stable_only, all, json, timeout, reopen;
    const char *request;
};

/* The options; -1 to go on, else the exit code (--help, --list, a usage
 * error). */
static int read_parse_args(int argc, char **argv, struct read_opts *o)
{
    static const struct option options[] = {
        {"samples", required_argument, NULL, 'n'},
        {"continuous", no_argument, NULL, 'c'},
        {"stable", no_argument, NULL, 's'},
        {"request", required_argument, NULL, 'r'},
        {"timeout", required_argument, NULL, 't'},
        {"all", no_argument, NULL, 'a'},
        {"reopen", no_argument, NULL, 'R'},
        {"json", no_argument, NULL, 'j'},
        {"list", no_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->samples = 1;
    o->timeout = -1;
    int c;
    while ((c = getopt_long(argc, argv, "n:csr:t:aRjlh", options, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'n':
            o->samples = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || o->samples < 1)
                return cli_usage_error("read", "--samples %s: want a count >= 1", optarg);
            break;
        case 'c': o->continuous = 1; break;
        case 's': o->stable_only = 1; break;
        case 'r': o->request = optarg; break;
        case 't':
            o->timeout = (int)strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || o->timeout < 1)
                return cli_usage_error("read", "--timeout %s: want milliseconds >= 1", optarg);
            break;
        case 'a': o->all = 1; break;
        case 'R': o->reopen = 1; break;
        case 'j': o->json = 1; break;
        case 'l': list_drivers(stdout); return CLI_EXIT_OK;
        case 'h': read_usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("read", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("read", "give one connection string, e.g. kern:conn=/dev/ttyUSB0");
    return -1;
}

int cmd_read(int argc, char **argv)
{
    struct read_opts o;
    int parsed = read_parse_args(argc, argv, &o);
    if (parsed >= 0)
        return parsed;
    long samples = o.samples;
    int continuous = o.continuous, stable_only = o.stable_only, all = o.all, json = o.json,
        timeout = o.timeout, reopen = o.reopen;
    const char *request = o.request;
    struct link *l;
    if (link_open(argv[optind], &l) < 0)
        return cli_fail("read", "%s", sc_error_message());
    const struct driver *drv = link_driver(l);
    /* What to send: a stream is started once; a meter is asked each time. */
    int req = -1, per_sample = 0;
    if (request != NULL && strcmp(request, "none") != 0) {
        req = driver_request_parse(request);
        if (req < 0) {
            link_close(l);
            return cli_usage_error("read", "--request %s: unknown", request);
        }
        per_sample = req != DRIVER_REQ_CONTINUOUS;
    } else if (request == NULL && (drv->flags & DRIVER_COMMANDS)) {
        if (drv->flags & DRIVER_STREAMS) {
            req = DRIVER_REQ_CONTINUOUS;
        } else {
            req = DRIVER_REQ_IMMEDIATE;
            per_sample = 1;
        }
    }
    int rc = CLI_EXIT_OK;
    if (req >= 0 && !per_sample && link_request(l, (enum driver_request)req) < 0) {
        rc = cli_fail("read", "%s", sc_error_message());
        goto out;
    }
    long got = 0;
    int asked = 0;
    /* --timeout bounds the wait for each sample, not for any frame: a scale
     * that never settles must not keep --stable waiting forever. */
    int wait_ms = timeout > 0 ? timeout : 2000;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int64_t deadline = (int64_t)t0.tv_sec * 1000 + t0.tv_nsec / 1000000 + wait_ms;
    /* Replies to a command that is not a weighing count as its sample. */
    int cmd_reply = req >= 0 && req != DRIVER_REQ_STABLE && req != DRIVER_REQ_IMMEDIATE &&
                    req != DRIVER_REQ_CONTINUOUS;
    while (continuous || got < samples) {
        struct timespec tn;
        clock_gettime(CLOCK_MONOTONIC, &tn);
        int64_t left = deadline - ((int64_t)tn.tv_sec * 1000 + tn.tv_nsec / 1000000);
        if (left <= 0) {
            rc = cli_fail("read", "%s: no %sreading from %s in %d ms", link_conn(l),
                          stable_only ? "stable " : "", drv->name, wait_ms);
            break;
        }
        if (req >= 0 && per_sample && !asked) {
            if (link_request(l, (enum driver_request)req) < 0) {
                rc = cli_fail("read", "%s", sc_error_message());
                break;
            }
            asked = 1;
        }
        struct reading r;
        int n = link_read(l, &r, (int)left);
        if (n == SC_ERR_GONE && reopen) {
            /* The cable was pulled: try again every 200 ms for --timeout. */
            fprintf(stderr, "stallcheck: read: %s; reopening\n", sc_error_message());
            int back = 0;
            for (int64_t tries = wait_ms; tries > 0 && !back; tries -= 200) {
                struct timespec ts = {0, 200 * 1000000L};
                nanosleep(&ts, NULL);
                back = link_reopen(l) == SC_OK;
            }
            if (!back) {
                rc = cli_fail("read", "%s: did not come back: %s", link_conn(l), sc_error_message());
                break;
            }
            fprintf(stderr, "stallcheck: read: %s: reopened\n", link_conn(l));
            clock_gettime(CLOCK_MONOTONIC, &tn);
            deadline = (int64_t)tn.tv_sec * 1000 + tn.tv_nsec / 1000000 + wait_ms;
            if (req >= 0 && !per_sample && link_request(l, (enum driver_request)req) < 0) {
                rc = cli_fail("read", "%s", sc_error_message());
                break;
            }
            asked = 0;
            continue;
        }
        if (n == SC_ERR_TIMEOUT) {
            /* link_read names the slice it was given, the rest of the wait;
             * the user gave --timeout: say that, keeping any hint after it
             * ("; N bytes came that did not parse ..."). */
            const char *hint = strstr(sc_error_message(), " ms; ");
            rc = cli_fail("read", "%s: no %sreading from %s in %d ms%s", link_conn(l),
                          stable_only ? "stable " : "", drv->name, wait_ms, hint ? hint + 3 : "");
            break;
        }
        if (n < 0) {
            rc = cli_fail("read", "%s", sc_error_message());
            break;
        }
        /* Overload, underload, an absent item: the device's answer, counted
         * (a display out of range never comes to rest). */
        int is_sample = (r.kind == READING_VALUE &&
                         (!stable_only || r.stable || r.status != READING_STATUS_OK)) ||
                        (cmd_reply && (r.kind == READING_ACK || r.kind == READING_TARE ||
                                       r.kind == READING_INFO || r.kind == READING_BUSY));
        if (is_sample || all) {
            print_reading(stdout, drv->name, &r, json);
            fflush(stdout);
        } else if (r.kind == READING_REJECT && per_sample) {
            /* The device refused what we ask each time: asking again would
             * only get the same answer. */
            rc = cli_fail("read", "%s: the device refused %s: %s", link_conn(l),
                          driver_request_name((enum driver_request)req), r.info);
            break;
        } else if (r.kind == READING_BAD || r.kind == READING_REJECT) {
            fprintf(stderr, "stallcheck: read: %s: %s%s%s\n", link_conn(l), reading_kind_name(r.kind),
                    r.info[0] ? ": " : "", r.info);
        }
        /* A data block's items are one sample (read quantity=voltages). */
        int last_item = r.parts == 0 || r.part == r.parts;
        if (is_sample && last_item) {
            got++;
            clock_gettime(CLOCK_MONOTONIC, &tn);
            deadline = (int64_t)tn.tv_sec * 1000 + tn.tv_nsec / 1000000 + wait_ms;
        }
        /* A meter answers each request once: ask again for the next (not
         * while a block's items or a multi-frame reply are coming: the link
         * asks for follow-up frames itself). */
        if (r.kind != READING_REQUEST && !r.follow_up && last_item)
            asked = 0;
    }
    if (req == DRIVER_REQ_CONTINUOUS && rc == CLI_EXIT_OK)
        link_request(l, DRIVER_REQ_STOP); /* leave the device quiet; not all have it */
out:
    link_close(l);
    return rc;
}

static void sim_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck sim DRIVER[:OPTION=VALUE...] [OPTIONS]\n"
            "Serves a simulated scale or meter on a pseudo-terminal and prints the\n"
            "pty's path as the first line of stdout; runs until interrupted.\n"
            "It answers the protocol's commands and streams where the protocol\n"
            "streams (mt-continuous, kern, ascii; mt-sics and and-std after SIR).\n\n"
            "The scale:\n"
            "  --weight MASS      goods on the platform at the start (\"1250g\", \"1.5kg\")\n"
            "  --unit g|kg        the unit it displays (default g)\n"
            "  --d MASS           display division (default 0.01g)\n"
            "  --max MASS         Max; above Max + 9 d it shows overload (default 6200g)\n"
            "  --settle MS        time to come to rest after a change (default 800)\n"
            "  --noise N          +-N d of noise on every reading (default 0)\n"
            "  --profile FILE     a scale profile: its errors against the load and the\n"
            "                     position (eccentricity), its repeatability spread, a\n"
            "                     test mode (key = value lines; see tests/data/scale-*.profile)\n"
            "A meter (modbus-rtu, dlt645-2007):\n"
            "  --voltage V --current A --power KW --energy KWH   its values, and\n"
            "  --reactive-power KVAR --apparent-power KVA --power-factor PF\n"
            "  --reactive-energy KVARH\n"
            "  --phases 1|3       a single-phase meter sends FF for phases B and C in\n"
            "                     data blocks (default 3)\n"
            "  --frame-limit N    DL/T 645: at most N data bytes a reply frame, the rest\n"
            "                     in follow-up frames (default 200)\n"
            "Faults and timing:\n"
            "  --garble RATE      one garbled byte in this share of frames (0-1)\n"
            "  --drop-after N     close the line after a reader took N frames (the\n"
            "                     cable pulled)\n"
            "  --return-after MS  then come back on a new pty after MS (see --link)\n"
            "  --interval MS      streaming period (default 100; 0: as fast as read)\n"
            "  --chunk N          send frames in pieces of N bytes, 3 ms apart\n"
            "  --stream | --no-stream   override the protocol's habit\n"
            "  --baud N           the device's baud rate (default: the driver's); a\n"
            "                     client that sets another speed reads garbage\n"
            "  --parity-bit even|odd  a 7-bit device with parity read by an 8N1 port:\n"
            "                     bit 7 of every byte sent is the parity bit\n"
            "  --seed N           the noise and garbling generator's seed\n"
            "Around it:\n"
            "  --control PATH     a FIFO (made if missing) or a file re-read when it\n"
            "                     changes, with lines: load MASS, noise N, settle MS,\n"
            "                     garble RATE, zero, tare, tare-clear, stream on|off,\n"
            "                     set voltage|current|power|energy|reactive-power|\n"
            "                     apparent-power|power-factor|reactive-energy DECIMAL,\n"
            "                     instrument MAX E (stand for one of that Max and e),\n"
            "                     error CODE (the next command is refused with it: A&D\n"
            "                     E11, MT-SICS ES), drop, quit, position N (segment, 0\n"
            "                     centre), mode test|normal\n"
            "  --link PATH        keep a symlink PATH pointing at the current pty\n"
            "  --replay FILE      stream FILE's captured bytes line by line, in a loop,\n"
            "                     one line per --interval, instead of the scale\n"
            "  --verbose          say what happens on stderr\n"
            "  --help             this text\n\n"
            "Example:\n"
            "  stallcheck sim kern --weight 123.45g --control /tmp/scale.ctl &\n"
            "  stallcheck read kern:conn=/dev/pts/N --samples 3\n"
            "  echo 'load 500g' > /tmp/scale.ctl\n");
}

static void sim_ready(const char *path, void *ctx)
{
    (void)ctx;
    printf("%s\n", path);
    fflush(stdout);
}

static int parse_decimal_opt(const char *name, const char *text, struct decimal *out)
{
    if (decimal_parse(text, out, NULL) < 0) {
        cli_usage_error("sim", "--%s %s: not a decimal", name, text);
        return -1;
    }
    return 0;
}

int cmd_sim(int argc, char **argv)
{
    enum { O_WEIGHT = 256, O_UNIT, O_D, O_MAX, O_SETTLE, O_NOISE, O_GARBLE, O_DROP, O_RETURN,
           O_INTERVAL, O_STREAM, O_NOSTREAM, O_BAUD, O_SEED, O_CONTROL, O_LINK, O_VOLT, O_CURR,
           O_POWER, O_ENERGY, O_VERBOSE, O_PROFILE, O_REPLAY, O_CHUNK, O_QPOWER, O_SPOWER, O_PF,
           O_QENERGY, O_PHASES, O_FRAME_LIMIT, O_PARITY_BIT };
    static const struct option options[] = {
        {"weight", required_argument, NULL, O_WEIGHT},
        {"load", required_argument, NULL, O_WEIGHT},
        {"unit", required_argument, NULL, O_UNIT},
        {"d", required_argument, NULL, O_D},
        {"max", required_argument, NULL, O_MAX},
        {"settle", required_argument, NULL, O_SETTLE},
        {"noise", required_argument, NULL, O_NOISE},
        {"garble", required_argument, NULL, O_GARBLE},
        {"drop-after", required_argument, NULL, O_DROP},
        {"return-after", required_argument, NULL, O_RETURN},
        {"interval", required_argument, NULL, O_INTERVAL},
        {"stream", no_argument, NULL, O_STREAM},
        {"no-stream", no_argument, NULL, O_NOSTREAM},
        {"baud", required_argument, NULL, O_BAUD},
        {"seed", required_argument, NULL, O_SEED},
        {"control", required_argument, NULL, O_CONTROL},
        {"link", required_argument, NULL, O_LINK},
        {"voltage", required_argument, NULL, O_VOLT},
        {"current", required_argument, NULL, O_CURR},
        {"power", required_argument, NULL, O_POWER},
        {"energy", required_argument, NULL, O_ENERGY},
        {"verbose", no_argument, NULL, O_VERBOSE},
        {"profile", required_argument, NULL, O_PROFILE},
        {"replay", required_argument, NULL, O_REPLAY},
        {"chunk", required_argument, NULL, O_CHUNK},
        {"reactive-power", required_argument, NULL, O_QPOWER},
        {"apparent-power", required_argument, NULL, O_SPOWER},
        {"power-factor", required_argument, NULL, O_PF},
        {"reactive-energy", required_argument, NULL, O_QENERGY},
        {"phases", required_argument, NULL, O_PHASES},
        {"frame-limit", required_argument, NULL, O_FRAME_LIMIT},
        {"parity-bit", required_argument, NULL, O_PARITY_BIT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct sim_options o;
    sim_options_init(&o);
    const char *weight = NULL, *d = NULL, *max = NULL, *profile = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        char *end = NULL;
        long v = 0;
        if (optarg != NULL && c != O_WEIGHT && c != O_UNIT && c != O_D && c != O_MAX &&
            c != O_GARBLE && c != O_CONTROL && c != O_LINK && c != O_VOLT && c != O_CURR &&
            c != O_POWER && c != O_ENERGY && c != O_PROFILE && c != O_REPLAY && c != O_QPOWER &&
            c != O_SPOWER && c != O_PF && c != O_QENERGY && c != O_PARITY_BIT) {
            v = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || v < 0 || v > 100000000) {
                const char *name = "?";
                for (const struct option *op = options; op->name; op++)
                    if (op->val == c)
                        name = op->name;
                return cli_usage_error("sim", "--%s %s: want a whole number >= 0", name, optarg);
            }
        }
        switch (c) {
        case O_WEIGHT: weight = optarg; break;
        case O_UNIT: o.unit = optarg; break;
        case O_D: d = optarg; break;
        case O_MAX: max = optarg; break;
        case O_SETTLE: o.settle_ms = (int)v; break;
        case O_NOISE: o.noise_d = (int)v; break;
        case O_GARBLE:
            o.garble = strtod(optarg, &end);
            if (*end != '\0' || o.garble < 0 || o.garble > 1)
                return cli_usage_error("sim", "--garble %s: want a share from 0 to 1", optarg);
            break;
        case O_DROP: o.drop_after = v; break;
        case O_RETURN: o.return_after_ms = (int)v; break;
        case O_INTERVAL: o.interval_ms = (int)v; break;
        case O_STREAM: o.stream = 1; break;
        case O_NOSTREAM: o.stream = 0; break;
        case O_BAUD: o.baud = (int)v; break;
        case O_SEED: o.seed = (uint64_t)v; break;
        case O_CONTROL: o.control = optarg; break;
        case O_LINK: o.link = optarg; break;
        case O_VOLT: if (parse_decimal_opt("voltage", optarg, &o.voltage) < 0) return CLI_EXIT_USAGE; break;
        case O_CURR: if (parse_decimal_opt("current", optarg, &o.current) < 0) return CLI_EXIT_USAGE; break;
        case O_POWER: if (parse_decimal_opt("power", optarg, &o.power) < 0) return CLI_EXIT_USAGE; break;
        case O_ENERGY: if (parse_decimal_opt("energy", optarg, &o.energy) < 0) return CLI_EXIT_USAGE; break;
        case O_VERBOSE: o.log = stderr; break;
        case O_PROFILE: profile = optarg; break;
        case O_REPLAY: o.replay = optarg; break;
        case O_CHUNK: o.chunk = (int)v; break;
        case O_QPOWER: if (parse_decimal_opt("reactive-power", optarg, &o.reactive_power) < 0) return CLI_EXIT_USAGE; break;
        case O_SPOWER: if (parse_decimal_opt("apparent-power", optarg, &o.apparent_power) < 0) return CLI_EXIT_USAGE; break;
        case O_PF: if (parse_decimal_opt("power-factor", optarg, &o.power_factor) < 0) return CLI_EXIT_USAGE; break;
        case O_QENERGY: if (parse_decimal_opt("reactive-energy", optarg, &o.reactive_energy) < 0) return CLI_EXIT_USAGE; break;
        case O_PHASES:
            if (v != 1 && v != 3)
                return cli_usage_error("sim", "--phases %s: want 1 or 3", optarg);
            o.phases = (int)v;
            break;
        case O_FRAME_LIMIT:
            if (v < 6 || v > 200)
                return cli_usage_error("sim", "--frame-limit %s: want 6-200 bytes", optarg);
            o.frame_limit = (int)v;
            break;
        case O_PARITY_BIT:
            if (strcmp(optarg, "even") != 0 && strcmp(optarg, "odd") != 0)
                return cli_usage_error("sim", "--parity-bit %s: want even or odd", optarg);
            o.parity_bit = optarg[0];
            break;
        case 'h': sim_usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("sim", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("sim", "give one DRIVER (stallcheck read --list)");
    o.spec = argv[optind];
    int64_t unit = mass_unit(o.unit ? o.unit : "g");
    if (unit == 0)
        return cli_usage_error("sim", "--unit %s: want g or kg", o.unit);
    if (weight && mass_parse(weight, unit, &o.load_ug) < 0)
        return cli_usage_error("sim", "--weight %s: %s", weight, sc_error_message());
    if (d && (mass_parse(d, unit, &o.d_ug) < 0 || o.d_ug <= 0))
        return cli_usage_error("sim", "--d %s: want a mass > 0", d);
    if (max && (mass_parse(max, unit, &o.max_ug) < 0 || o.max_ug <= 0))
        return cli_usage_error("sim", "--max %s: want a mass > 0", max);
    static struct sim_profile prof;
    if (profile != NULL) {
        FILE *f = fopen(profile, "r");
        if (f == NULL)
            return cli_fail("sim", "--profile %s: %s", profile, strerror(errno));
        static char text[16384];
        size_t n = fread(text, 1, sizeof text - 1, f);
        int big = !feof(f);
        fclose(f);
        text[n] = '\0';
        if (big)
            return cli_fail("sim", "--profile %s: larger than %zu bytes", profile, sizeof text - 1);
        if (sim_profile_parse(text, &prof) < 0)
            return cli_fail("sim", "%s: %s", profile, sc_error_message());
        o.profile = &prof;
    }
    if (sim_run(&o, sim_ready, NULL) < 0)
        return cli_fail("sim", "%s", sc_error_message());
    return CLI_EXIT_OK;
}
