/* stallcheck mpe, stallcheck reweigh: the metrology rules of core/r76.h and
 * core/reweigh.h on the command line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/day.h"
#include "core/decimal.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/mass.h"
#include "core/r76.h"
#include "core/reweigh.h"
#include "report/json.h"

/* A mass in grams, exact, trailing zeros dropped: "2.5". */
struct gstr {
    char s[32];
};

static struct gstr grams(int64_t ug)
{
    struct gstr g;
    if (mass_format(ug, MASS_G, g.s, sizeof g.s) < 0)
        strcpy(g.s, "?");
    return g;
}

/* a / b for b = 1, 2 or 5 × 10^k: always a terminating decimal. */
static struct gstr ratio(int64_t a, int64_t b)
{
    struct gstr r;
    int scale = 0;
    while (scale < 12 && a % b != 0 && a <= INT64_MAX / 10) {
        a *= 10;
        scale++;
    }
    if (a % b != 0 || decimal_format_trim(a / b, scale, r.s, sizeof r.s) < 0)
        strcpy(r.s, "?");
    return r;
}

/* Parses "15kg", or "6/15kg" (several parts; a part without a unit takes
 * the last part's unit).  Returns the number of parts or a negative code. */
static int parse_masses(const char *text, int64_t *out, int max_parts)
{
    char buf[128];
    if (strlen(text) >= sizeof buf)
        return sc_error_set(SC_ERR_PARSE, "'%s': too long", text);
    strcpy(buf, text);
    char *parts[R76_MAX_PARTS + 1];
    int n = 0;
    for (char *p = buf, *slash;; p = slash + 1) {
        if (n == max_parts + 1)
            return sc_error_set(SC_ERR_PARSE, "'%s': at most %d parts", text, max_parts);
        parts[n++] = p;
        slash = strchr(p, '/');
        if (slash == NULL)
            break;
        *slash = '\0';
    }
    if (n > max_parts)
        return sc_error_set(SC_ERR_PARSE, "'%s': at most %d parts", text, max_parts);
    /* The last part's unit: what follows its number. */
    const char *last = parts[n - 1];
    const char *unit = last + strspn(last, " +-0123456789.");
    int64_t default_unit = mass_unit(unit);
    for (int i = 0; i < n; i++) {
        int rc = mass_parse(parts[i], i == n - 1 ? 0 : default_unit, &out[i]);
        if (rc < 0)
            return rc; /* mass_parse's message stands */
    }
    return n;
}

static void mpe_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck mpe --class C --max M --e E --load L [OPTIONS]\n"
            "The maximum permissible error (MPE) of a non-automatic weighing instrument\n"
            "at a load (OIML R76-1 Table 6; JJG 539-2016), after checking that its class,\n"
            "Max, Min, e and d agree (R76-1 3.1.2, 3.4, Table 3).\n\n"
            "  --class C       accuracy class: I, II, III, IIII (or \xe2\x91\xa2, \xe2\x91\xa3)\n"
            "  --max M         maximum capacity, with a unit: 15kg, 6000g\n"
            "  --e E           verification scale interval: 5g, 500mg\n"
            "  --load L        the load: 2.5kg, 100g (net or gross alike)\n"
            "  --min M         minimum capacity (checked against Table 3)\n"
            "  --d D           actual scale interval, when finer than e (classes I, II)\n"
            "  --in-service    the in-service MPE: twice the verification MPE (R76-1 3.5.2)\n"
            "  --json          one JSON object\n"
            "  --help          this text\n\n"
            "Masses are exact: no rounding.  A multi-interval instrument is given as\n"
            "--max 6kg/15kg --e 2g/5g (R76-1 3.3: the load is judged in the e of the\n"
            "partial range holding it); multiple-range ones (add --multi-range) are refused.\n\n"
            "Example:\n"
            "  stallcheck mpe --class III --max 15kg --e 5g --load 2505g\n"
            "  MPE \xc2\xb1" "5 g on verification: class III, e = 5 g, n = 3000, load 2505 g = 501 e\n\n"
            "JSON fields: class, max_g, min_g (null when not given), e_g, d_g, n (of the\n"
            "partial range holding the load), partial_range, partial_ranges, load_g,\n"
            "load_e, stage (\"verification\" or \"in-service\"), mpe_g, mpe_e.\n"
            "Exit status: 0 done; 1 an inconsistent instrument or a load outside it;\n"
            "2 a usage error.\n");
}

int cmd_mpe(int argc, char **argv)
{
    static const struct option options[] = {
        {"class", required_argument, NULL, 'c'},
        {"max", required_argument, NULL, 'M'},
        {"min", required_argument, NULL, 'm'},
        {"e", required_argument, NULL, 'e'},
        {"d", required_argument, NULL, 'd'},
        {"load", required_argument, NULL, 'l'},
        {"in-service", no_argument, NULL, 's'},
        {"multi-range", no_argument, NULL, 'R'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *class_text = NULL, *max_text = NULL, *min_text = NULL, *e_text = NULL,
               *d_text = NULL, *load_text = NULL;
    int in_service = 0, json = 0, multi_range = 0, c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'c': class_text = optarg; break;
        case 'M': max_text = optarg; break;
        case 'm': min_text = optarg; break;
        case 'e': e_text = optarg; break;
        case 'd': d_text = optarg; break;
        case 'l': load_text = optarg; break;
        case 's': in_service = 1; break;
        case 'R': multi_range = 1; break;
        case 'j': json = 1; break;
        case 'h': mpe_usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("mpe", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("mpe", "unexpected argument '%s'", argv[optind]);
    if (!class_text || !max_text || !e_text || !load_text)
        return cli_usage_error("mpe", "--class, --max, --e and --load are needed");

    struct r76_instrument in;
    enum r76_class cls;
    if (r76_class_parse(class_text, &cls) < 0)
        return cli_usage_error("mpe", "--class: %s", sc_error_message());
    int64_t maxes[R76_MAX_PARTS], es[R76_MAX_PARTS], min = 0, d = 0, load;
    int nmax = parse_masses(max_text, maxes, R76_MAX_PARTS);
    if (nmax < 0)
        return cli_usage_error("mpe", "--max: %s", sc_error_message());
    int ne = parse_masses(e_text, es, R76_MAX_PARTS);
    if (ne < 0)
        return cli_usage_error("mpe", "--e: %s", sc_error_message());
    if (min_text && mass_parse(min_text, 0, &min) < 0)
        return cli_usage_error("mpe", "--min: %s", sc_error_message());
    if (d_text && mass_parse(d_text, 0, &d) < 0)
        return cli_usage_error("mpe", "--d: %s", sc_error_message());
    if (mass_parse(load_text, 0, &load) < 0)
        return cli_usage_error("mpe", "--load: %s", sc_error_message());
    if (min_text && min == 0)
        return cli_usage_error("mpe", "--min: must be above zero (leave it out when not known)");
    if (d_text && d == 0)
        return cli_usage_error("mpe", "--d: must be above zero");

    r76_instrument_single(&in, cls, maxes[0], min, es[0], d);
    if (nmax > 1 || ne > 1 || multi_range) {
        if (nmax != ne)
            return cli_usage_error("mpe", "--max has %d parts and --e %d", nmax, ne);
        in.scheme = multi_range ? R76_MULTI_RANGE : R76_MULTI_INTERVAL;
        in.parts = nmax;
        for (int i = 0; i < nmax; i++) {
            in.max_ug[i] = maxes[i];
            in.e_ug[i] = es[i];
        }
    }
    if (r76_instrument_check(&in) < 0)
        return cli_fail("mpe", "%s", sc_error_message());
    enum r76_stage stage = in_service ? R76_IN_SERVICE : R76_VERIFICATION;
    int64_t mpe;
    if (r76_instrument_mpe(&in, load, stage, &mpe) < 0)
        return cli_fail("mpe", "%s", sc_error_message());

    /* The partial range holding the load (the only one when single). */
    int part = r76_instrument_part(&in, load);
    int64_t e = in.e_ug[part], n = in.n_part[part];
    const char *stage_id = in_service ? "in-service" : "verification";
    if (json) {
        printf("{\"class\":\"%s\",\"max_g\":\"%s\",\"min_g\":", r76_class_name(cls),
               grams(in.max_ug[part]).s);
        if (min)
            printf("\"%s\"", grams(min).s);
        else
            printf("null");
        printf(",\"e_g\":\"%s\",\"d_g\":\"%s\",\"n\":%lld,\"partial_range\":%d,"
               "\"partial_ranges\":%d,\"load_g\":\"%s\",\"load_e\":\"%s\","
               "\"stage\":\"%s\",\"mpe_g\":\"%s\",\"mpe_e\":\"%s\"}\n",
               grams(e).s, grams(d && part == 0 ? d : e).s, (long long)n, part + 1, in.parts,
               grams(load).s, ratio(load, e).s, stage_id, grams(mpe).s, ratio(mpe, e).s);
    } else if (in.parts > 1) {
        printf("MPE \xc2\xb1%s g %s: class %s, partial range %d of %d (Max %s g, e = %s g, n = %lld), "
               "load %s g = %s e\n",
               grams(mpe).s, in_service ? "in service" : "on verification", r76_class_name(cls),
               part + 1, in.parts, grams(in.max_ug[part]).s, grams(e).s, (long long)n,
               grams(load).s, ratio(load, e).s);
    } else {
        printf("MPE \xc2\xb1%s g %s: class %s, e = %s g, n = %lld, load %s g = %s e\n",
               grams(mpe).s, in_service ? "in service" : "on verification", r76_class_name(cls),
               grams(e).s, (long long)n, grams(load).s, ratio(load, e).s);
    }
    return CLI_EXIT_OK;
}

static void reweigh_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck reweigh --category CAT --declared D --measured M [OPTIONS]\n"
            "       stallcheck reweigh --categories [--json]\n"
            "A re-weigh (\xe5\xa4\x8d\xe7\xa7\xa4) verdict under \xe3\x80\x8a\xe9\x9b\xb6\xe5\x94\xae"
            "\xe5\x95\x86\xe5\x93\x81\xe7\xa7\xb0\xe9\x87\x8d\xe8\xae\xa1\xe9\x87\x8f\xe7\x9b\x91\xe7\x9d\xa3"
            "\xe7\xae\xa1\xe7\x90\x86\xe5\x8a\x9e\xe6\xb3\x95\xe3\x80\x8b (Order 66, 2004; Order 31, 2020):\n"
            "the goods' true mass may fall short of the mass charged by no more than the\n"
            "negative deviation of its Table 1 (food) or Table 2 (gold, silver) (Art. 5).\n\n"
            "  --category CAT  grain-veg-fruit, meat-egg-aquatic, dried-delicacy, premium,\n"
            "                  gold, silver (--categories lists them)\n"
            "  --declared D    the mass charged (\xe7\xbb\x93\xe7\xae\x97\xe9\x87\x8d\xe9\x87\x8f): 1kg, 2\xe6\x96\xa4, 500g\n"
            "  --measured M    the mass re-weighed\n"
            "  --price P       unit price: 12 or 12\xe5\x85\x83/kg, 6\xe5\x85\x83/\xe6\x96\xa4, 1200\xe5\x88\x86/kg; gives the money\n"
            "                  short, and picks the row when --category is left out\n"
            "  --method M      how it was re-weighed (Art. 6): higher (a more accurate\n"
            "                  scale, the default), own (the seller's scale with check\n"
            "                  weights), equal (a scale of equal accuracy: twice the limit)\n"
            "  --reference ID  the reference scale (or, with --method own, the check\n"
            "                  weights) used: recorded in the verdict\n"
            "  --valid-until DATE  the last day of its calibration (YYYY-MM-DD): an\n"
            "                  expired reference is refused\n"
            "  --reference-mpe M  its own MPE: refused when above 1/3 of the deviation\n"
            "  --today DATE    the date of the re-weigh (default: today's date)\n"
            "  --row R         when kind and price band point to different rows: larger\n"
            "                  (the larger deviation, the default), or the officer's\n"
            "                  override kind or price\n"
            "  --categories    list the categories with their names in the measures\n"
            "  --json          one JSON object (one per line with --categories)\n"
            "  --help          this text\n\n"
            "With both a category and a price that point to different rows (beef at\n"
            "80 \xe5\x85\x83/kg), the row with the larger deviation is applied. A mass\n"
            "outside the table's ranges gets no verdict, and the answer says so.\n"
            "The money short is price \xc3\x97 shortfall rounded half up to 1 \xe5\x88\x86.\n\n"
            "Example:\n"
            "  stallcheck reweigh --category meat-egg-aquatic --declared 1kg --measured 950g\n"
            "  fail: shortfall 50 g exceeds allowed 5 g (\xe9\x99\x84\xe8\xa1\xa8" "1 meat-egg-aquatic, m <= 2.5 kg)\n\n"
            "JSON fields: verdict (\"pass\", \"fail\", \"outside\"), pass (true, false, null\n"
            "when outside), category, table, band, method, row, declared_g, measured_g,\n"
            "shortfall_g, deviation_g, allowed_g (null when outside), price_fen_per_kg and\n"
            "money_short_fen (with --price), reference_id and reference_valid_until (null\n"
            "without --reference), reason.\n"
            "Exit status: 0 pass, or outside the table; 3 fail; 1 an error; 2 a usage error.\n");
}

static int list_categories(int json)
{
    size_t n;
    const struct reweigh_category_info *all = reweigh_categories(&n);
    for (size_t i = 0; i < n; i++) {
        size_t nb;
        const struct reweigh_band *b = reweigh_bands(all[i].cat, &nb);
        if (json) {
            printf("{\"id\":");
            json_string(stdout, all[i].id);
            printf(",\"table\":");
            json_string(stdout, all[i].table);
            printf(",\"name_zh\":");
            json_string(stdout, all[i].name_zh);
            printf(",\"name_en\":");
            json_string(stdout, all[i].name_en);
            if (all[i].price_hi_fen >= 0) {
                printf(",\"price_above_fen_per_kg\":%lld,\"price_to_fen_per_kg\":",
                       (long long)all[i].price_lo_fen);
                if (all[i].price_hi_fen)
                    printf("%lld", (long long)all[i].price_hi_fen);
                else
                    printf("null");
            }
            printf(",\"bands\":[");
            for (size_t k = 0; k < nb; k++)
                printf("%s{\"to_g\":\"%s\",\"deviation_g\":\"%s\"}", k ? "," : "",
                       grams(b[k].hi_ug).s, grams(b[k].deviation_ug).s);
            printf("]}\n");
        } else {
            printf("%-17s %s  %s\n", all[i].id, all[i].table, all[i].name_zh);
            printf("%-17s        %s\n", "", all[i].name_en);
            for (size_t k = 0; k < nb; k++)
                printf("%-17s        %-22s %s g\n", "", b[k].text, grams(b[k].deviation_ug).s);
        }
    }
    if (!json)
        printf("\n\xe9\x99\x84\xe8\xa1\xa8" "1 does not cover %s (%s).\n", REWEIGH_EXCLUDED_ZH,
               REWEIGH_EXCLUDED_EN);
    return CLI_EXIT_OK;
}

int cmd_reweigh(int argc, char **argv)
{
    static const struct option options[] = {
        {"category", required_argument, NULL, 'c'},
        {"declared", required_argument, NULL, 'D'},
        {"measured", required_argument, NULL, 'm'},
        {"price", required_argument, NULL, 'p'},
        {"method", required_argument, NULL, 'M'},
        {"categories", no_argument, NULL, 'L'},
        {"reference", required_argument, NULL, 'r'},
        {"valid-until", required_argument, NULL, 'u'},
        {"reference-mpe", required_argument, NULL, 'E'},
        {"today", required_argument, NULL, 't'},
        {"row", required_argument, NULL, 'w'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cat_text = NULL, *declared_text = NULL, *measured_text = NULL,
               *price_text = NULL, *method_text = NULL, *ref_text = NULL, *until_text = NULL,
               *ref_mpe_text = NULL, *today_text = NULL, *row_text = NULL;
    int json = 0, list = 0, c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'c': cat_text = optarg; break;
        case 'D': declared_text = optarg; break;
        case 'm': measured_text = optarg; break;
        case 'p': price_text = optarg; break;
        case 'M': method_text = optarg; break;
        case 'L': list = 1; break;
        case 'r': ref_text = optarg; break;
        case 'u': until_text = optarg; break;
        case 'E': ref_mpe_text = optarg; break;
        case 't': today_text = optarg; break;
        case 'w': row_text = optarg; break;
        case 'j': json = 1; break;
        case 'h': reweigh_usage(stdout); return CLI_EXIT_OK;
        default: return cli_usage_error("reweigh", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("reweigh", "unexpected argument '%s'", argv[optind]);
    if (list)
        return list_categories(json);
    if (!declared_text || !measured_text)
        return cli_usage_error("reweigh", "--declared and --measured are needed");
    if (!cat_text && !price_text)
        return cli_usage_error("reweigh", "--category or --price is needed to pick the table's row");

    struct reweigh_input in = {REWEIGH_NONE, 0, 0, 0, REWEIGH_HIGHER, NULL, 0, REWEIGH_ROW_LARGER};
    if (cat_text && reweigh_category_parse(cat_text, &in.cat) < 0)
        return cli_usage_error("reweigh", "--category: %s", sc_error_message());
    if (mass_parse(declared_text, 0, &in.charged_ug) < 0)
        return cli_usage_error("reweigh", "--declared: %s", sc_error_message());
    if (mass_parse(measured_text, 0, &in.measured_ug) < 0)
        return cli_usage_error("reweigh", "--measured: %s", sc_error_message());
    if (price_text && reweigh_price_parse(price_text, &in.price_fen_per_kg) < 0)
        return cli_usage_error("reweigh", "--price: %s", sc_error_message());
    if (method_text && reweigh_method_parse(method_text, &in.method) < 0)
        return cli_usage_error("reweigh", "--method: %s", sc_error_message());
    if (row_text && reweigh_row_parse(row_text, &in.row) < 0)
        return cli_usage_error("reweigh", "--row: %s", sc_error_message());
    struct reference ref;
    if (ref_text || until_text || ref_mpe_text) {
        if (!ref_text || !until_text)
            return cli_usage_error("reweigh", "--reference and --valid-until go together");
        day_t until;
        if (day_parse(until_text, &until) < 0)
            return cli_usage_error("reweigh", "--valid-until: '%s' is not a date (YYYY-MM-DD)", until_text);
        int64_t mpe = 0;
        if (ref_mpe_text && mass_parse(ref_mpe_text, 0, &mpe) < 0)
            return cli_usage_error("reweigh", "--reference-mpe: %s", sc_error_message());
        /* Check weights with the seller's own scale, else a reference scale. */
        enum reference_kind kind = in.method == REWEIGH_OWN ? REFERENCE_WEIGHTS : REFERENCE_SCALE;
        if (reference_init(&ref, kind, ref_text, until, mpe) < 0)
            return cli_usage_error("reweigh", "--reference: %s", sc_error_message());
        in.reference = &ref;
    }
    if (today_text) {
        if (day_parse(today_text, &in.today) < 0)
            return cli_usage_error("reweigh", "--today: '%s' is not a date (YYYY-MM-DD)", today_text);
    } else {
        time_t now = sc_clock_now();
        struct tm tm;
        localtime_r(&now, &tm);
        in.today = day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    }
    struct reweigh_verdict v;
    if (reweigh_judge(&in, &v) < 0)
        return cli_fail("reweigh", "%s", sc_error_message());

    const struct reweigh_category_info *ci = reweigh_category_info(v.cat);
    if (json) {
        printf("{\"verdict\":\"%s\",\"pass\":%s,\"category\":", reweigh_outcome_id(v.outcome),
               v.outcome == REWEIGH_OUTSIDE ? "null" : v.outcome == REWEIGH_PASS ? "true" : "false");
        json_string(stdout, ci ? ci->id : NULL);
        printf(",\"table\":");
        json_string(stdout, ci ? ci->table : NULL);
        printf(",\"band\":");
        json_string(stdout, v.outcome == REWEIGH_OUTSIDE ? NULL : v.band);
        printf(",\"method\":\"%s\",\"row\":\"%s\",\"declared_g\":\"%s\",\"measured_g\":\"%s\","
               "\"shortfall_g\":\"%s\"",
               reweigh_method_id(in.method), reweigh_row_id(in.row), grams(in.charged_ug).s, grams(in.measured_ug).s,
               grams(v.shortfall_ug).s);
        if (v.outcome == REWEIGH_OUTSIDE)
            printf(",\"deviation_g\":null,\"allowed_g\":null");
        else
            printf(",\"deviation_g\":\"%s\",\"allowed_g\":\"%s\"", grams(v.deviation_ug).s,
                   grams(v.allowed_ug).s);
        if (v.has_money)
            printf(",\"price_fen_per_kg\":%lld,\"money_short_fen\":%lld",
                   (long long)in.price_fen_per_kg, (long long)v.money_short_fen);
        printf(",\"reference_id\":");
        json_string(stdout, v.reference_id[0] ? v.reference_id : NULL);
        printf(",\"reference_valid_until\":");
        if (v.reference_id[0]) {
            char until[16];
            day_format(v.reference_valid_until, until, sizeof until);
            json_string(stdout, until);
        } else {
            printf("null");
        }
        printf(",\"reason\":");
        json_string(stdout, v.reason);
        printf("}\n");
    } else {
        printf("%s\n", v.reason);
        if (v.has_money) {
            int64_t f = v.money_short_fen;
            printf("money short: %lld.%02lld \xe5\x85\x83 (%lld \xe5\x88\x86) at %lld.%02lld \xe5\x85\x83/kg\n",
                   (long long)(f / 100), (long long)(f % 100), (long long)f,
                   (long long)(in.price_fen_per_kg / 100), (long long)(in.price_fen_per_kg % 100));
        }
        if (v.reference_id[0]) {
            char until[16];
            day_format(v.reference_valid_until, until, sizeof until);
            printf("reference: %s %s (valid until %s)\n", reference_kind_name(ref.kind),
                   v.reference_id, until);
        }
    }
    return v.outcome == REWEIGH_FAIL ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
