/* stallcheck calibrate: a calibration (校准) of a weighing instrument after
 * EURAMET cg-18 (core/cg18.h), step by step on the command line, to its
 * calibration certificate (校准证书); the certificates reprinted and listed;
 * an unfinished one ended. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/acting.h"
#include "cli/cli.h"
#include "core/decimal.h"
#include "core/error.h"
#include "core/mass.h"
#include "core/uncertainty.h"
#include "core/procedure.h"
#include "db/db.h"
#include "db/nawical.h"
#include "report/calcert.h"
#include "report/lang.h"
#include "report/json.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck calibrate run INSTRUMENT --set CODE --temp C --humidity RH\n"
            "                                [--place TEXT] [--display INTERVAL] [--output FILE.pdf]\n"
            "       stallcheck calibrate certificate ID [--output FILE.pdf | --text] [--lang LANG]\n"
            "       stallcheck calibrate list [INSTRUMENT] [--json]\n"
            "       stallcheck calibrate end ID --reason TEXT\n"
            "(each with [--as BADGE]; the PIN is asked, or read as the first line of stdin,\n"
            " before the readings)\n\n"
            "A calibration (校准) after EURAMET cg-18: the repeatability (5 loadings near Max),\n"
            "the eccentricity (about Max/3 at the centre and four quarters) and the errors\n"
            "of indication at 5 loads from Min to Max, each with its expanded uncertainty\n"
            "U (k = 2) from the rounding, the repeatability, the eccentricity, the weights'\n"
            "R111 class and air buoyancy.  No pass or fail: a calibration certificate gives\n"
            "results with their uncertainty.\n\n"
            "run      prints each step on stderr and reads the indication from stdin, one a\n"
            "         line, as the scale shows it (\"15005\", \"15.005 kg\": its digits count);\n"
            "         stopped early, the draft stays and the next run resumes it.  At the end\n"
            "         the results are committed and the certificate written (default\n"
            "         NUMBER.pdf here).\n"
            "  --set CODE        the weight set (in date; its OIML R111 class)\n"
            "  --temp C          the room temperature, deg C\n"
            "  --humidity RH     the relative humidity, %%\n"
            "  --place TEXT      where (default: the instrument's market, on site)\n"
            "  --display D       a test mode's finer interval read (default: d, else e)\n"
            "certificate  reprints a calibration certificate (ID: id or number JZ...)\n"
            "  --lang L          the paper's language: zh_CN (default; Chinese first,\n"
            "                    English second) or en\n"
            "list     the committed calibrations, newest first\n"
            "end      ends an unfinished calibration: deleted when it has no reading, else\n"
            "         kept as ended without results, with the reason\n\n"
            "Exit status: 0 done, 1 error, 2 usage.\n");
}

static int open_db(struct db **db)
{
    const char *path = cli_db_path();
    if (path == NULL)
        return cli_fail("calibrate", "%s", sc_error_message());
    if (db_open(path, db) < 0)
        return cli_fail("calibrate", "%s: %s", path, sc_error_message());
    return CLI_EXIT_OK;
}

/* A reading as typed: "15005", "15005.0 g", "15.005 kg". */
static int parse_reading(const char *line, struct cg18_reading *r)
{
    char num[64], unit[16] = "g";
    int n = sscanf(line, " %63[-+0-9.] %15s", num, unit);
    if (n < 1)
        return sc_error_set(SC_ERR_PARSE, "'%s' is not a reading (e.g. 15005 or 15.005 kg)", line);
    int64_t u = mass_unit(unit);
    if (u <= 0)
        return sc_error_set(SC_ERR_PARSE, "'%s': unknown unit '%s'", line, unit);
    char text[96];
    snprintf(text, sizeof text, "%s%s", num, unit);
    if (mass_parse(text, 0, &r->indication_ug) < 0 || proc_digit_of(num, u, &r->digit_ug) < 0)
        return sc_error_set(SC_ERR_PARSE, "'%s' is not a reading", line);
    r->stable = 1;
    return SC_OK;
}

static void print_results(const struct cg18 *e)
{
    struct cg18_results res;
    if (cg18_results(e, &res) < 0)
        return;
    char a[32], b[32], c[32], d[32];
    /* rounded up to two significant digits, as on the certificate */
    mass_format(unc_round_up(res.s_ug, 2), MASS_G, a, sizeof a);
    printf("repeatability: s = %s g\n", a);
    mass_format(res.ecc_max_ug, MASS_G, a, sizeof a);
    printf("eccentricity: |dI|max = %s g\n", a);
    for (int i = 0; i < res.npoints; i++) {
        const struct cg18_point *p = &res.points[i];
        mass_format(p->load_ug, MASS_G, a, sizeof a);
        mass_format(p->indication_ug, MASS_G, b, sizeof b);
        mass_format(p->error_ug < 0 ? -p->error_ug : p->error_ug, MASS_G, c, sizeof c);
        mass_format(p->U_report_ug, MASS_G, d, sizeof d);
        printf("%10s g  I %10s g  E %s%s g  U(k=%d) %s g\n", a, b, p->error_ug < 0 ? "-" : p->error_ug > 0 ? "+" : "", c, res.k, d);
    }
}

static int run(struct db *db, const struct acting *who, const char *instrument, const char *set,
               const char *temp, const char *humidity, const char *place, int64_t display,
               const char *output)
{
    char today_text[16];
    db_today(today_text, sizeof today_text);
    day_t today;
    day_parse(today_text, &today);
    struct nawical cal;
    struct cg18 *e = NULL;
    char *state = NULL;
    int rc;
    /* An unfinished calibration of it by this officer resumes. */
    if (nawical_find_draft(db, who->badge[0] ? who->badge : NULL, instrument, &cal, &state) == 0) {
        rc = cg18_load(state, today, &e);
        free(state);
        if (rc < 0)
            return cli_fail("calibrate", "cannot resume %s: %s", cal.id, sc_error_message());
        fprintf(stderr, "resuming calibration %s (%d/%d readings)\n", cal.id, cg18_done(e), cg18_total(e));
    } else {
        if (set == NULL || temp == NULL || humidity == NULL)
            return cli_usage_error("calibrate", "run: --set, --temp and --humidity are needed");
        struct cg18_config cfg;
        if ((rc = nawical_config(db, instrument, set, display, today, &cfg)) < 0 || (rc = cg18_new(&cfg, &e)) < 0)
            return cli_fail("calibrate", "%s", sc_error_message());
        memset(&cal, 0, sizeof cal);
        snprintf(cal.instrument, sizeof cal.instrument, "%s", instrument);
        snprintf(cal.weight_set, sizeof cal.weight_set, "%s", set);
        snprintf(cal.officer, sizeof cal.officer, "%s", who->badge);
        snprintf(cal.temperature, sizeof cal.temperature, "%s", temp);
        snprintf(cal.humidity, sizeof cal.humidity, "%s", humidity);
        snprintf(cal.place, sizeof cal.place, "%s", place ? place : "");
    }
    char line[256], text[4096];
    struct cg18_step st;
    while (cg18_current(e, &st) == 1) {
        fprintf(stderr, "[%d/%d] %s\n> ", st.index + 1, cg18_total(e), st.instruction);
        fflush(stderr);
        if (fgets(line, sizeof line, stdin) == NULL) {
            cg18_save(e, text, sizeof text);
            rc = nawical_save_draft(db, &cal, text);
            cg18_free(e);
            if (rc < 0)
                return cli_fail("calibrate", "%s", sc_error_message());
            fprintf(stderr, "\nstopped at step %d: the calibration %s waits; run it again to resume\n",
                    st.index + 1, cal.id);
            return CLI_EXIT_ERROR;
        }
        line[strcspn(line, "\r\n")] = '\0';
        struct cg18_reading r;
        if (parse_reading(line, &r) < 0 || cg18_feed(e, &r) < 0) {
            fprintf(stderr, "refused: %s\n", sc_error_message());
            continue;
        }
        /* Every reading saved: a later run resumes here. */
        cg18_save(e, text, sizeof text);
        if ((rc = nawical_save_draft(db, &cal, text)) < 0) {
            cg18_free(e);
            return cli_fail("calibrate", "%s", sc_error_message());
        }
    }
    if ((rc = nawical_finish(db, &cal, e)) < 0) {
        cg18_free(e);
        return cli_fail("calibrate", "%s", sc_error_message());
    }
    print_results(e);
    cg18_free(e);
    char path[512];
    snprintf(path, sizeof path, "%s", output ? output : "");
    if (output == NULL)
        snprintf(path, sizeof path, "%s.pdf", cal.certificate_no);
    if ((rc = calcert_pdf(db, cal.id, path)) < 0)
        return cli_fail("calibrate", "saved as %s, but no PDF: %s", cal.certificate_no, sc_error_message());
    printf("calibration certificate %s: %s\n", cal.certificate_no, path);
    return CLI_EXIT_OK;
}

static int print_row(const struct nawical *c, void *arg)
{
    int json = *(int *)arg;
    if (json) {
        printf("{\"id\":");
        json_string(stdout, c->id);
        printf(",\"certificate_no\":");
        json_string(stdout, c->certificate_no);
        printf(",\"instrument\":");
        json_string(stdout, c->instrument);
        printf(",\"date\":");
        json_string(stdout, c->calibrated_on);
        printf(",\"ended_without_results\":%s}\n", c->abandoned[0] ? "true" : "false");
    } else {
        printf("%s  %-18s %-12s %s%s\n", c->id, c->certificate_no[0] ? c->certificate_no : "-", c->instrument,
               c->calibrated_on, c->abandoned[0] ? "  ended without results" : "");
    }
    return 0;
}

int cmd_calibrate(int argc, char **argv)
{
    static const struct option options[] = {
        {"set", required_argument, NULL, 's'},   {"temp", required_argument, NULL, 't'},
        {"humidity", required_argument, NULL, 'u'}, {"place", required_argument, NULL, 'p'},
        {"display", required_argument, NULL, 'd'}, {"output", required_argument, NULL, 'o'},
        {"text", no_argument, NULL, 'x'},        {"json", no_argument, NULL, 'j'},
        {"reason", required_argument, NULL, 'r'}, {"as", required_argument, NULL, 'a'},
        {"lang", required_argument, NULL, 'L'},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *set = NULL, *temp = NULL, *humidity = NULL, *place = NULL, *display = NULL, *output = NULL,
               *reason = NULL, *as = NULL;
    int text = 0, json = 0, lang_given = 0, c;
    enum paper_lang lang = PAPER_ZH;
    while ((c = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
        switch (c) {
        case 's': set = optarg; break;
        case 't': temp = optarg; break;
        case 'u': humidity = optarg; break;
        case 'p': place = optarg; break;
        case 'd': display = optarg; break;
        case 'o': output = optarg; break;
        case 'x': text = 1; break;
        case 'j': json = 1; break;
        case 'r': reason = optarg; break;
        case 'a': as = optarg; break;
        case 'L':
            if (paper_lang_parse(optarg, &lang) < 0)
                return cli_usage_error("calibrate", "--lang: %s", sc_error_message());
            lang_given = 1;
            break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage_error("calibrate", "give run, certificate, list or end");
    const char *verb = argv[optind++];
    int nargs = argc - optind;
    int is_run = strcmp(verb, "run") == 0, is_cert = strcmp(verb, "certificate") == 0,
        is_list = strcmp(verb, "list") == 0, is_end = strcmp(verb, "end") == 0;
    if (!is_run && !is_cert && !is_list && !is_end)
        return cli_usage_error("calibrate", "'%s': want run, certificate, list or end", verb);
    if ((is_list && nargs > 1) || (!is_list && nargs != 1))
        return cli_usage_error("calibrate", "%s: give one %s", verb, is_run ? "INSTRUMENT" : "ID");
    struct decimal dec;
    if (temp && decimal_parse(temp, &dec, NULL) < 0)
        return cli_usage_error("calibrate", "--temp %s: not a number", temp);
    if (humidity && (decimal_parse(humidity, &dec, NULL) < 0 || humidity[0] == '-' || atof(humidity) > 100))
        return cli_usage_error("calibrate", "--humidity %s: a number from 0 to 100", humidity);
    int64_t display_ug = 0;
    if (display && mass_parse(display, MASS_G, &display_ug) < 0)
        return cli_usage_error("calibrate", "--display %s: not a mass", display);
    if (text && output)
        return cli_usage_error("calibrate", "--text and --output: choose one");
    if (lang_given && !is_cert)
        return cli_usage_error("calibrate", "--lang is for certificate");
    if (is_end && (reason == NULL || reason[0] == '\0'))
        return cli_usage_error("calibrate", "end: --reason is needed");
    struct db *db;
    int rc = open_db(&db);
    if (rc != CLI_EXIT_OK)
        return rc;
    struct acting who;
    memset(&who, 0, sizeof who);
    if ((rc = cli_acting_require(db, "calibrate", as, is_run || is_end ? ROLE_ACT_CALIBRATE : ROLE_ACT_READ,
                                 NULL, &who)) != 0) {
        db_close(db);
        return rc;
    }
    if (is_run) {
        rc = run(db, &who, argv[optind], set, temp, humidity, place, display_ug, output);
    } else if (is_list) {
        rc = nawical_list(db, nargs ? argv[optind] : NULL, print_row, &json);
        rc = rc < 0 ? cli_fail("calibrate", "%s", sc_error_message()) : CLI_EXIT_OK;
    } else {
        struct nawical cal;
        if (nawical_find(db, argv[optind], &cal) < 0) {
            rc = cli_fail("calibrate", "%s", sc_error_message());
        } else if (is_end) {
            rc = nawical_end(db, &cal, reason) < 0 ? cli_fail("calibrate", "%s", sc_error_message())
                                                  : CLI_EXIT_OK;
        } else if (text) {
            rc = calcert_text_lang(db, cal.id, stdout, lang) < 0 ? cli_fail("calibrate", "%s", sc_error_message())
                                                      : CLI_EXIT_OK;
        } else {
            char path[512];
            snprintf(path, sizeof path, "%s", output ? output : "");
            if (output == NULL)
                snprintf(path, sizeof path, "%s.pdf", cal.certificate_no);
            if (calcert_pdf_lang(db, cal.id, path, lang) < 0) {
                rc = cli_fail("calibrate", "%s", sc_error_message());
            } else {
                printf("%s\n", path);
                rc = CLI_EXIT_OK;
            }
        }
    }
    db_close(db);
    return rc;
}
