/* stallcheck certificate: reprint a verification's certificate (检定证书) or
 * notice of failed verification (检定结果通知书), or list them.
 * stallcheck weights: the reference weight sets (砝码) verifications use. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/acting.h"
#include "cli/cli.h"
#include "cli/import.h"
#include "core/day.h"
#include "core/error.h"
#include "core/mass.h"
#include "core/termsafe.h"
#include "db/calibration.h"
#include "db/db.h"
#include "db/registry.h"
#include "report/certificate.h"
#include "report/json.h"

static int open_db(const char *what, struct db **db)
{
    const char *path = cli_db_path();
    if (path == NULL)
        return cli_fail(what, "%s", sc_error_message());
    if (db_open(path, db) < 0)
        return cli_fail(what, "%s: %s", path, sc_error_message());
    return CLI_EXIT_OK;
}

/* ---- certificate ---- */

static void cert_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck certificate ID [--output FILE.pdf | --text] [--lang LANG]\n"
            "                              [--as BADGE]\n"
            "       stallcheck certificate --list [--instrument CODE] [--json]\n"
            "Reprints the paper of a committed verification: the verification certificate\n"
            "(检定证书) when the instrument passed, the notice of failed verification\n"
            "(检定结果通知书) when it failed; with the readings, the MPE of every step, the\n"
            "reference weight set and the due date.  ID is the calibration's id or its\n"
            "certificate number (JD... / TZ...).\n\n"
            "  --output FILE   write an A4 PDF (default: NUMBER.pdf here)\n"
            "  --text          print it as text instead\n"
            "  --lang L        the paper's language: zh_CN (default; Chinese first, English\n"
            "                  second) or en\n"
            "  --list          the committed verifications, newest first: id, number,\n"
            "                  instrument, date, verdict, next due\n"
            "  --instrument I  only those of instrument I\n"
            "  --json          with --list: one object per line (id, certificate_no,\n"
            "                  instrument, date, verdict, next_due)\n"
            "  --as BADGE      who signs in (the PIN asked, or one line of stdin)\n");
}

struct find_no {
    const char *no;
    char id[DB_UUID_LEN];
};

static int match_no(const struct calibration *c, void *arg)
{
    struct find_no *f = arg;
    if (strcmp(c->certificate_no, f->no) == 0) {
        snprintf(f->id, sizeof f->id, "%s", c->id);
        return 1;
    }
    return 0;
}

static int print_row(const struct calibration *c, void *arg)
{
    int json = *(int *)arg;
    if (json) {
        printf("{\"id\":");
        json_string(stdout, c->id);
        printf(",\"certificate_no\":");
        json_string(stdout, c->certificate_no);
        printf(",\"instrument\":");
        json_string(stdout, c->instrument);
        printf(",\"date\":\"%.10s\",\"verdict\":", c->ended_at);
        json_string(stdout, c->verdict);
        printf(",\"next_due\":");
        json_string(stdout, c->next_due);
        printf("}\n");
    } else {
        term_printf(stdout, "%s  %-18s %-12s %.10s  %-4s  due %s\n", c->id, c->certificate_no, c->instrument,
               c->ended_at, c->verdict, c->next_due);
    }
    return 0;
}

int cmd_certificate(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"text", no_argument, NULL, 't'},
        {"list", no_argument, NULL, 'l'},
        {"instrument", required_argument, NULL, 'i'},
        {"json", no_argument, NULL, 'j'},
        {"as", required_argument, NULL, 'a'},
        {"lang", required_argument, NULL, 'L'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL, *as = NULL, *instrument = NULL;
    enum paper_lang lang = PAPER_ZH;
    int text = 0, list = 0, json = 0, c;
    while ((c = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 't': text = 1; break;
        case 'l': list = 1; break;
        case 'i': instrument = optarg; break;
        case 'j': json = 1; break;
        case 'a': as = optarg; break;
        case 'L':
            if (paper_lang_parse(optarg, &lang) < 0)
                return cli_usage_error("certificate", "--lang: %s", sc_error_message());
            break;
        case 'h': cert_usage(stdout); return CLI_EXIT_OK;
        default: cert_usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (list ? optind != argc : optind + 1 != argc)
        return cli_usage_error("certificate", list ? "--list takes no ID" : "give one ID");
    if (text && output)
        return cli_usage_error("certificate", "--text and --output: choose one");
    struct db *db;
    int rc = open_db("certificate", &db);
    if (rc != CLI_EXIT_OK)
        return rc;
    if ((rc = cli_acting_require(db, "certificate", as, ROLE_ACT_READ, NULL, NULL)) != 0) {
        db_close(db);
        return rc;
    }
    if (list) {
        rc = calibration_list(db, instrument, print_row, &json);
        db_close(db);
        return rc < 0 ? cli_fail("certificate", "%s", sc_error_message()) : CLI_EXIT_OK;
    }
    const char *id = argv[optind];
    struct calibration cal;
    if (calibration_load(db, id, &cal, NULL, NULL, NULL) < 0) {
        struct find_no f = {id, ""};
        calibration_list(db, NULL, match_no, &f);
        if (f.id[0] == '\0') {
            db_close(db);
            return cli_fail("certificate", "%s: no such verification (id or number)", id);
        }
        calibration_load(db, f.id, &cal, NULL, NULL, NULL);
    }
    char path[512];
    if (text) {
        rc = certificate_text(db, cal.id, stdout);
    } else {
        snprintf(path, sizeof path, "%s", output ? output : "");
        if (output == NULL)
            snprintf(path, sizeof path, "%s.pdf", cal.certificate_no);
        rc = certificate_pdf_lang(db, cal.id, path, lang);
        if (rc == 0)
            printf("%s\n", path);
    }
    db_close(db);
    if (rc < 0)
        return cli_fail("certificate", "%s", sc_error_message());
    return CLI_EXIT_OK;
}

/* ---- weights ---- */

static void weights_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck weights add CODE --class CLASS --due YYYY-MM-DD --items LIST\n"
            "                      [--name NAME] [--market M] [--certificate NO] [--as BADGE]\n"
            "       stallcheck weights list [--json]\n"
            "The reference weight sets (砝码) that verifications use, each with its OIML\n"
            "R111 class and its own calibration: a set whose calibration is past its due\n"
            "date is refused at the start of a verification (计量法 Art. 9).\n\n"
            "  --class CLASS      E1 E2 F1 F2 M1 M12 M2 M23 M3\n"
            "  --due DATE         the last day its calibration certificate is valid\n"
            "  --items LIST       the weights, comma-separated, MASS or MASS*COUNT:\n"
            "                     \"10kg,5kg*2,2kg*2,1kg,500g,200g*2,100g,50g,20g*2,10g\"\n"
            "  --certificate NO   its calibration certificate number\n"
            "  --market M         the market it belongs to (default: the district's)\n"
            "  --json             with list: one object per line (code, class, market,\n"
            "                     certificate_no, calibration_due, items)\n"
            "Adding is a registry change: an admin's (--as BADGE).\n");
}

static int parse_items(const char *text, struct weight_set *ws)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", text);
    char *save = NULL;
    ws->nitems = 0;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        int count = 1;
        char *star = strchr(tok, '*');
        if (star != NULL) {
            *star = '\0';
            char *end;
            long v = strtol(star + 1, &end, 10);
            if (*end != '\0' || v < 1 || v > 99)
                return sc_error_set(SC_ERR_PARSE, "'%s*%s': the count is 1 to 99", tok, star + 1);
            count = (int)v;
        }
        int64_t ug;
        if (mass_parse(tok, 0, &ug) < 0 || ug <= 0)
            return sc_error_set(SC_ERR_PARSE, "'%s': want a mass with its unit (500g)", tok);
        size_t k;
        for (k = 0; k < ws->nitems && ws->items[k].nominal_ug != ug; k++)
            ;
        if (k == ws->nitems) {
            if (ws->nitems >= WEIGHT_SET_MAX_ITEMS)
                return sc_error_set(SC_ERR_RANGE, "more than %d different weights",
                                    WEIGHT_SET_MAX_ITEMS);
            ws->items[ws->nitems].nominal_ug = ug;
            ws->items[ws->nitems].count = 0;
            ws->nitems++;
        }
        ws->items[k].count += count;
    }
    if (ws->nitems == 0)
        return sc_error_set(SC_ERR_PARSE, "no weights given");
    /* Stored in increasing order (db/registry.c wants it so). */
    for (size_t i = 1; i < ws->nitems; i++)
        for (size_t j = i; j > 0 && ws->items[j].nominal_ug < ws->items[j - 1].nominal_ug; j--) {
            struct weight_item t = ws->items[j];
            ws->items[j] = ws->items[j - 1];
            ws->items[j - 1] = t;
        }
    return 0;
}

static void items_text(const struct weight_set *ws, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ws->nitems && len < size; i++) {
        char m[32];
        mass_format(ws->items[i].nominal_ug, ws->items[i].nominal_ug >= MASS_KG ? MASS_KG : MASS_G,
                    m, sizeof m);
        int n = snprintf(buf + len, size - len, "%s%s%s", i ? "," : "", m,
                         ws->items[i].nominal_ug >= MASS_KG ? "kg" : "g");
        if (n < 0)
            break;
        len += (size_t)n;
        if (ws->items[i].count > 1 && len < size)
            len += (size_t)snprintf(buf + len, size - len, "*%d", ws->items[i].count);
    }
}

static int print_set(const struct weight_set *ws, void *arg)
{
    int json = *(int *)arg;
    char items[512];
    items_text(ws, items, sizeof items);
    if (json) {
        printf("{\"code\":");
        json_string(stdout, ws->code);
        printf(",\"class\":");
        json_string(stdout, ws->cls);
        printf(",\"market\":");
        json_string(stdout, ws->market);
        printf(",\"certificate_no\":");
        json_string(stdout, ws->certificate_no);
        printf(",\"calibration_due\":");
        json_string(stdout, ws->calibration_due);
        printf(",\"items\":");
        json_string(stdout, items);
        printf("}\n");
    } else {
        term_printf(stdout, "%-12s %-4s %-10s due %-10s %s\n", ws->code, ws->cls,
               ws->market[0] ? ws->market : "-", ws->calibration_due, items);
    }
    return 0;
}

int cmd_weights(int argc, char **argv)
{
    static const struct option options[] = {
        {"class", required_argument, NULL, 'c'},
        {"due", required_argument, NULL, 'd'},
        {"items", required_argument, NULL, 'i'},
        {"name", required_argument, NULL, 'n'},
        {"market", required_argument, NULL, 'm'},
        {"certificate", required_argument, NULL, 'C'},
        {"json", no_argument, NULL, 'j'},
        {"as", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct weight_set ws;
    memset(&ws, 0, sizeof ws);
    const char *cls = NULL, *due = NULL, *items = NULL, *as = NULL;
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'c': cls = optarg; break;
        case 'd': due = optarg; break;
        case 'i': items = optarg; break;
        case 'n':
            if (cli_text_field("weights", "--name", ws.name, sizeof ws.name, optarg) != 0)
                return CLI_EXIT_USAGE;
            break;
        case 'm':
            if (cli_text_field("weights", "--market", ws.market, sizeof ws.market, optarg) != 0)
                return CLI_EXIT_USAGE;
            break;
        case 'C':
            if (cli_text_field("weights", "--certificate", ws.certificate_no,
                               sizeof ws.certificate_no, optarg) != 0)
                return CLI_EXIT_USAGE;
            break;
        case 'j': json = 1; break;
        case 'a': as = optarg; break;
        case 'h': weights_usage(stdout); return CLI_EXIT_OK;
        default: weights_usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage_error("weights", "give add or list");
    const char *verb = argv[optind];
    int add = strcmp(verb, "add") == 0;
    if (!add && strcmp(verb, "list") != 0)
        return cli_usage_error("weights", "'%s': want add or list", verb);
    if (add) {
        if (optind + 2 != argc)
            return cli_usage_error("weights", "add: give one CODE");
        if (!import_code_ok(argv[optind + 1]))
            return cli_usage_error("weights", "add: '%s' is not a code (letters, digits, "
                                              "- _ . /)", argv[optind + 1]);
        if (cls == NULL || due == NULL || items == NULL)
            return cli_usage_error("weights", "add: --class, --due and --items are required");
        static const char *const classes[] = {"E1", "E2", "F1", "F2", "M1",
                                              "M12", "M2", "M23", "M3"};
        int ok = 0;
        for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
            ok |= strcmp(classes[i], cls) == 0;
        if (!ok)
            return cli_usage_error("weights", "--class %s: want an OIML R111 class (E1 ... M3)",
                                   cls);
        day_t d;
        if (day_parse(due, &d) < 0 || strlen(due) != 10)
            return cli_usage_error("weights", "--due %s: want YYYY-MM-DD", due);
        if (parse_items(items, &ws) < 0)
            return cli_usage_error("weights", "--items: %s", sc_error_message());
        if (cli_text_field("weights", "CODE", ws.code, sizeof ws.code, argv[optind + 1]) != 0)
            return CLI_EXIT_USAGE;
        snprintf(ws.cls, sizeof ws.cls, "%s", cls);
        snprintf(ws.calibration_due, sizeof ws.calibration_due, "%s", due);
    } else if (optind + 1 != argc) {
        return cli_usage_error("weights", "list takes no argument");
    }
    struct db *db;
    int rc = open_db("weights", &db);
    if (rc != CLI_EXIT_OK)
        return rc;
    rc = cli_acting_require(db, "weights", as, add ? ROLE_ACT_REGISTRY : ROLE_ACT_READ,
                            add && ws.market[0] ? ws.market : NULL, NULL);
    if (rc != CLI_EXIT_OK) {
        db_close(db);
        return rc;
    }
    if (add) {
        struct market m;
        if (ws.market[0] && registry_find_market(db, ws.market, &m) < 0) {
            db_close(db);
            return cli_fail("weights", "--market %s: no such market", ws.market);
        }
        rc = registry_put_weight_set(db, &ws);
        db_close(db);
        if (rc < 0)
            return cli_fail("weights", "%s: %s", ws.code, sc_error_message());
        printf("%s %s\n", ws.code, rc == 0 ? "unchanged" : "saved");
        return CLI_EXIT_OK;
    }
    rc = registry_list_weight_sets(db, NULL, print_set, &json);
    db_close(db);
    return rc < 0 ? cli_fail("weights", "%s", sc_error_message()) : CLI_EXIT_OK;
}
