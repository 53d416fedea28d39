/* stallcheck publish: the public site and open data (一公开) from this
 * handheld's database or from the district's (report/site.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/acting.h"
#include "cli/cli.h"
#include "core/error.h"
#include "db/db.h"
#include "db/publish.h"
#include "db/zone.h"
#include "report/json.h"
#include "report/lang.h"
#include "report/site.h"
#include "report/site_path.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck publish --output DIR [--district URL] [--base-url URL]\n"
            "                          [--date DATE] [--rules FILE] [--lang LANG]\n"
            "                          [--as BADGE] [--verbose] [--json]\n"
            "Writes the public site (一公开: results made public) into DIR: each\n"
            "market's red and black list and figures, each stall's score and record\n"
            "(inspections with their dates, officers' badges and results, re-weighs,\n"
            "corrections), each draw with its seed so anyone can replay it (once its\n"
            "day is over: the stalls drawn are not told in advance), each\n"
            "verification certificate, and open data (data/*.csv, data/*.json).  Plain\n"
            "HTML and CSS, no script, nothing fetched from elsewhere.  Publishing again\n"
            "rewrites only the files that changed and removes those it no longer makes.\n\n"
            "  --output DIR     the site's directory (created when missing)\n"
            "  --district URL   read the district's PostgreSQL database (anything libpq\n"
            "                   takes) instead of this handheld's\n"
            "  --base-url URL   the http(s) address DIR is served at (QR codes on papers\n"
            "                   point under it); default: the setting public_base_url\n"
            "  --date DATE      scores and lists as of DATE (default today)\n"
            "  --rules FILE     the scoring rules (default: those in force)\n"
            "  --lang LANG      zh_CN (default) or en\n"
            "  --as BADGE       who publishes this handheld's records (an officer,\n"
            "                   metrology staff or an admin; the PIN on the terminal or\n"
            "                   one line of stdin); the district needs none: its URL's\n"
            "                   PostgreSQL role is the authority\n"
            "  --verbose        name every file written or removed\n"
            "  --json           the summary as one JSON object\n"
            "  --help           this text\n\n"
            "Set the base URL once: stallcheck settings public_base_url URL.\n"
            "Exit status: 0 published, 1 error, 2 usage.\n");
}

int cmd_publish(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'}, {"district", required_argument, NULL, 'D'},
        {"base-url", required_argument, NULL, 'b'}, {"date", required_argument, NULL, 'd'},
        {"rules", required_argument, NULL, 'r'},    {"lang", required_argument, NULL, 'l'},
        {"verbose", no_argument, NULL, 'v'},       {"json", no_argument, NULL, 'j'},
        {"as", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    const char *dir = NULL, *district = NULL, *base = NULL, *date = NULL, *rules_path = NULL;
    const char *lang = "zh_CN", *as = NULL;
    int verbose = 0, json = 0, c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'o': dir = optarg; break;
        case 'D': district = optarg; break;
        case 'b': base = optarg; break;
        case 'd': date = optarg; break;
        case 'r': rules_path = optarg; break;
        case 'l': lang = optarg; break;
        case 'v': verbose = 1; break;
        case 'a': as = optarg; break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: usage(stderr); return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("publish", "unexpected argument '%s'", argv[optind]);
    if (dir == NULL || *dir == '\0')
        return cli_usage_error("publish", "--output DIR is required");
    if (strcmp(lang, "zh_CN") != 0 && strcmp(lang, "en") != 0)
        return cli_usage_error("publish", "--lang: '%s' is not zh_CN or en", lang);
    /* The pages in their language, the terminal's messages (a sign-in
     * refused, a server without the schema) in the terminal's. */
    enum paper_lang pages = strcmp(lang, "en") == 0 ? PAPER_EN : PAPER_ZH;

    struct db *db = NULL;
    struct pub_src *src = NULL;
    int rc;
    if (district != NULL) {
        rc = pub_src_pg(district, &src);
    } else {
        const char *path = cli_db_path();
        if (path == NULL)
            return cli_fail("publish", "%s", sc_error_message());
        rc = db_open(path, &db);
        /* Every market's records: a role that reads them all. */
        struct acting who;
        if (rc == 0 &&
            cli_acting_require(db, "publish", as, ROLE_ACT_READ, NULL, &who) != CLI_EXIT_OK) {
            db_close(db);
            return CLI_EXIT_ERROR;
        }
        if (rc == 0)
            rc = pub_src_sqlite(db, &src);
    }
    if (rc < 0) {
        int e = cli_fail("publish", "%s", sc_error_message());
        db_close(db);
        return e;
    }

    char base_buf[512] = "", site_name[256] = "", today[16];
    if (base == NULL && pub_setting(src, SITE_BASE_SETTING, base_buf, sizeof base_buf) == 0)
        base = base_buf;
    pub_setting(src, "issuing_body", site_name, sizeof site_name);
    /* Days are the bureau's (db/zone.h): a handheld's setting, the zone the
     * district stored at sync --init. */
    char zone[64];
    if (pub_setting(src, ZONE_SETTING, zone, sizeof zone) == 0)
        zone_use(zone);
    struct rules rules;
    day_t as_of, today_day;
    db_today(today, sizeof today);
    int exit_code = CLI_EXIT_OK;
    if (base == NULL || *base == '\0') {
        exit_code = cli_fail("publish", "no public base URL: give --base-url URL, or set it "
                                        "once with: stallcheck settings %s URL",
                             SITE_BASE_SETTING);
    } else if (!site_base_valid(base)) {
        exit_code = cli_usage_error("publish", "--base-url: '%s' is not an http:// or https:// "
                                               "URL", base);
    } else if (day_parse(today, &today_day) < 0 || day_parse(date ? date : today, &as_of) < 0) {
        exit_code = cli_usage_error("publish", "--date: '%s' is not a date (YYYY-MM-DD)", date);
    } else if (pub_rules(src, rules_path, &rules) < 0) {
        exit_code = cli_fail("publish", "%s", sc_error_message());
    } else {
        struct site_options opt = {dir,    base,      site_name, as_of,
                                   today_day, &rules, verbose ? stderr : NULL};
        struct site_stats st;
        struct paper_lang_saved saved;
        paper_lang_begin(pages, &saved);
        int published = site_publish(src, &opt, &st);
        paper_lang_end(&saved);
        if (published < 0) {
            exit_code = cli_fail("publish", "%s", sc_error_message());
        } else if (json) {
            printf("{\"output\":");
            json_string(stdout, dir);
            printf(",\"source\":\"%s\",\"markets\":%ld,\"stalls\":%ld,"
                   "\"inspections\":%ld,\"draws\":%ld,\"certificates\":%ld,\"files\":%ld,"
                   "\"written\":%ld,\"unchanged\":%ld,\"removed\":%ld}\n",
                   pub_src_kind(src), st.markets, st.stalls, st.inspections, st.draws,
                   st.certificates, st.files.files, st.files.written, st.files.unchanged,
                   st.files.removed);
        } else {
            printf("published %ld markets, %ld stalls, %ld inspections, %ld draws, "
                   "%ld certificates to %s\n%ld files: %ld written, %ld unchanged, "
                   "%ld removed\n",
                   st.markets, st.stalls, st.inspections, st.draws, st.certificates, dir,
                   st.files.files, st.files.written, st.files.unchanged, st.files.removed);
        }
    }
    pub_src_close(src);
    db_close(db);
    return exit_code;
}
