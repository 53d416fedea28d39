/* read, decode, sim: the device commands (issue 3). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/error.h"
#include "devices/driver.h"
#include "devices/link.h"
#include "devices/parser.h"
#include "devices/reading.h"
#include "report/json.h"

/* One reading as text: "123.450 g stable", "overload", "bad: why". */
static void print_text(FILE *out, const struct reading *r)
{
    if (r->kind == READING_VALUE || r->kind == READING_TARE) {
        if (r->kind == READING_TARE)
            fputs("tare ", out);
        if (r->has_value)
            fprintf(out, "%s%s%s", r->text, r->unit[0] ? " " : "", r->unit);
        else
            fputs(reading_status_name(r->status), out);
        if (r->has_value && r->net)
            fputs(" net", out);
        if (r->stable_reported)
            fputs(r->stable ? " stable" : " unstable", out);
        if (r->has_tare) {
            char t[32];
            decimal_format(r->tare, t, sizeof t);
            fprintf(out, " (tare %s)", t);
        }
        if (!r->has_value && r->info[0])
            fprintf(out, ": %s", r->info);
        fputc('\n', out);
        return;
    }
    fprintf(out, "%s", reading_kind_name(r->kind));
    if (r->reply[0])
        fprintf(out, " %s", r->reply);
    if (r->info[0])
        fprintf(out, ": %s", r->info);
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

static void list_drivers(FILE *out)
{
    fprintf(out, "%-14s %-10s %-9s %s\n", "DRIVER", "SERIAL", "COMMANDS", "DESCRIPTION");
    for (size_t i = 0; i < driver_count(); i++) {
        const struct driver *d = driver_at(i);
        fprintf(out, "%-14s %-10s %-9s %s\n", d->name, d->serialcomm,
                (d->flags & DRIVER_COMMANDS) ? "yes" : "no", d->description);
        if (d->options_help[0])
            fprintf(out, "%-14s options: %s\n", "", d->options_help);
    }
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
            "            (ok, overload, underload, error), \"kind\" (value, tare, ack,\n"
            "            busy, info, reject, request, bad), \"reason\" or \"info\",\n"
            "            \"raw\" (the frame's bytes in hex)\n"
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
            "window=N d=DECIMAL (the stability rule for devices that do not report it).\n"
            "stallcheck read --list shows the drivers, their default line settings\n"
            "and their own options.\n\n"
            "  --samples N      stop after N readings (default 1)\n"
            "  --continuous     read until the device goes away or you interrupt\n"
            "  --stable         count only stable readings\n"
            "  --request WHAT   the command sent: stable, immediate, continuous, zero,\n"
            "                   tare, tare-clear, identify, serial, stop, or none\n"
            "                   (default: continuous where the protocol streams,\n"
            "                   immediate before each reading for meters)\n"
            "  --timeout MS     give up when no reading comes for MS (default 2000)\n"
            "  --all            also print acks, replies and bad frames (stderr\n"
            "                   otherwise)\n"
            "  --json           one JSON object per reading (as decode --json)\n"
            "  --list           the drivers\n"
            "  --help           this text\n\n"
            "Exit status: 0 the readings came; 1 the device is gone, timed out or\n"
            "could not be opened.\n\n"
            "Example: stallcheck read kern:conn=/dev/ttyUSB0 --samples 5 --json\n");
}

int cmd_read(int argc, char **argv)
{
    static const struct option options[] = {
        {"samples", required_argument, NULL, 'n'},
        {"continuous", no_argument, NULL, 'c'},
        {"stable", no_argument, NULL, 's'},
        {"request", required_argument, NULL, 'r'},
        {"timeout", required_argument, NULL, 't'},
        {"all", no_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},
        {"list", no_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    long samples = 1;
    int continuous = 0, stable_only = 0, all = 0, json = 0, timeout = -1, c;
    const char *request = NULL;
    while ((c = getopt_long(argc, argv, "n:csr:t:ajlh", options, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'n':
            samples = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || samples < 1)
                return cli_usage_error("read", "--samples %s: want a count >= 1", optarg);
            break;
        case 'c': continuous = 1; break;
        case 's': stable_only = 1; break;
        case 'r': request = optarg; break;
        case 't':
            timeout = (int)strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || timeout < 1)
                return cli_usage_error("read", "--timeout %s: want milliseconds >= 1", optarg);
            break;
        case 'a': all = 1; break;
        case 'j': json = 1; break;
        case 'l': list_drivers(stdout); return CLI_EXIT_OK;
        case 'h': read_usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("read", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("read", "give one connection string, e.g. kern:conn=/dev/ttyUSB0");
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
    while (continuous || got < samples) {
        if (req >= 0 && per_sample && !asked) {
            if (link_request(l, (enum driver_request)req) < 0) {
                rc = cli_fail("read", "%s", sc_error_message());
                break;
            }
            asked = 1;
        }
        struct reading r;
        int n = link_read(l, &r, timeout);
        if (n < 0) {
            rc = cli_fail("read", "%s", sc_error_message());
            break;
        }
        int is_sample = r.kind == READING_VALUE && (!stable_only || r.stable);
        if (is_sample || all) {
            print_reading(stdout, drv->name, &r, json);
            fflush(stdout);
        } else if (r.kind == READING_BAD || r.kind == READING_REJECT) {
            fprintf(stderr, "stallcheck: read: %s: %s%s%s\n", link_conn(l), reading_kind_name(r.kind),
                    r.info[0] ? ": " : "", r.info);
        }
        if (is_sample)
            got++;
        /* A meter answers each request once: ask again for the next. */
        if (r.kind != READING_REQUEST)
            asked = 0;
    }
    if (req == DRIVER_REQ_CONTINUOUS && rc == CLI_EXIT_OK)
        link_request(l, DRIVER_REQ_STOP); /* leave the device quiet; not all have it */
out:
    link_close(l);
    return rc;
}

int cmd_sim(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("sim", "not available yet (issue 3)");
}
