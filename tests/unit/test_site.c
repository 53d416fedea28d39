/* The public site's pieces: page paths and URLs (what every QR code
 * holds), the writer that rewrites only what changed and removes only what
 * it made, HTML escaping, and the fixed result wording of spot checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/error.h"
#include "core/rules.h"
#include "core/score.h"
#include "db/zone.h"
#include "report/html.h"
#include "report/record.h"
#include "report/site_out.h"
#include "report/site_path.h"
#include "report/words.h"

static void paths(void **state)
{
    (void)state;
    char buf[256];
    assert_int_equal(site_path(SITE_STALL, "M01-003", buf, sizeof buf), 0);
    assert_string_equal(buf, "stall/M01-003.html");
    assert_int_equal(site_path(SITE_MARKET, "M01", buf, sizeof buf), 0);
    assert_string_equal(buf, "market/M01.html");
    assert_int_equal(site_path(SITE_CERT, "3f2a-b", buf, sizeof buf), 0);
    assert_string_equal(buf, "cert/3f2a-b.html");
    /* Anything that is not plain ASCII is written in hex: safe in a URL and
     * on any file system, and never two keys on one page. */
    assert_int_equal(site_path(SITE_STALL, "东1/../x", buf, sizeof buf), 0);
    assert_string_equal(buf, "stall/x-e4b89c312f2e2e2f78.html");
    assert_int_equal(site_path(SITE_STALL, "x-31", buf, sizeof buf), 0);
    assert_string_equal(buf, "stall/x-782d3331.html");
    assert_int_equal(site_path(SITE_STALL, ".hidden", buf, sizeof buf), 0);
    assert_string_equal(buf, "stall/x-2e68696464656e.html");
    assert_int_equal(site_path(SITE_STALL, "", buf, sizeof buf), 0);
    assert_string_equal(buf, "stall/x-.html");
    assert_int_equal(site_path(SITE_STALL, "M01-003", buf, 10), SC_ERR_RANGE);
}

static void urls(void **state)
{
    (void)state;
    char buf[256];
    assert_int_equal(site_url("https://sc.example.gov.cn/gs/", SITE_STALL, "M1-2", buf, sizeof buf), 0);
    assert_string_equal(buf, "https://sc.example.gov.cn/gs/stall/M1-2.html");
    assert_int_equal(site_url("http://10.0.0.5", SITE_MARKET, "M1", buf, sizeof buf), 0);
    assert_string_equal(buf, "http://10.0.0.5/market/M1.html");
    assert_true(site_base_valid("https://a.b/"));
    assert_false(site_base_valid("ftp://a.b/"));
    assert_false(site_base_valid("https://"));
    assert_false(site_base_valid("https:///x"));
    assert_false(site_base_valid("https://a.b/\"><script>"));
    assert_false(site_base_valid("https://a b/"));
    assert_false(site_base_valid(NULL));
    assert_int_equal(site_url("stallcheck:", SITE_STALL, "M1", buf, sizeof buf), SC_ERR_ARG);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int write_one(struct site_out *o, const char *path, const char *text)
{
    FILE *f = site_out_begin(o, path);
    if (f == NULL)
        return -1;
    fputs(text, f);
    return site_out_end(o);
}

static void writer(void **state)
{
    (void)state;
    char dir[] = "/tmp/test-site-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512];
    struct site_out *o;
    struct site_out_stats st;

    assert_int_equal(site_out_open(dir, NULL, &o), 0);
    assert_int_equal(write_one(o, "index.html", "one"), 0);
    assert_int_equal(write_one(o, "stall/A.html", "a"), 0);
    assert_int_equal(write_one(o, "stall/B.html", "b"), 0);
    assert_int_equal(site_out_finish(o, &st), 0);
    assert_int_equal(st.files, 3);
    assert_int_equal(st.written, 3);

    /* Not ours: never touched. */
    snprintf(path, sizeof path, "%s/robots.txt", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("mine", f);
    fclose(f);
    /* A manifest edited to point outside the site is not obeyed. */
    snprintf(path, sizeof path, "%s/%s", dir, SITE_MANIFEST);
    f = fopen(path, "a");
    assert_non_null(f);
    fputs("../outside\n/etc/passwd\nrobots.txt.not\n", f);
    fclose(f);

    struct stat before, after;
    snprintf(path, sizeof path, "%s/stall/A.html", dir);
    assert_int_equal(stat(path, &before), 0);
    assert_int_equal(site_out_open(dir, NULL, &o), 0);
    assert_int_equal(write_one(o, "index.html", "two"), 0);
    assert_int_equal(write_one(o, "stall/A.html", "a"), 0);
    assert_int_equal(site_out_finish(o, &st), 0);
    assert_int_equal(st.files, 2);
    assert_int_equal(st.written, 1);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(st.removed, 1);
    assert_int_equal(stat(path, &after), 0);
    /* The same bytes: not rewritten (a rewrite renames a new file in). */
    assert_int_equal(before.st_ino, after.st_ino);
    assert_int_equal(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
    snprintf(path, sizeof path, "%s/index.html", dir);
    assert_string_equal(slurp(path), "two");
    snprintf(path, sizeof path, "%s/stall/B.html", dir);
    assert_int_not_equal(access(path, F_OK), 0);          /* the last run's, not this one's */
    snprintf(path, sizeof path, "%s/robots.txt", dir);
    assert_string_equal(slurp(path), "mine");

    /* A failed run removes nothing and leaves every file whole. */
    assert_int_equal(site_out_open(dir, NULL, &o), 0);
    assert_int_equal(write_one(o, "index.html", "three"), 0);
    assert_null(site_out_begin(o, "../escape.html"));
    site_out_abort(o);
    snprintf(path, sizeof path, "%s/stall/A.html", dir);
    assert_string_equal(slurp(path), "a");
    snprintf(path, sizeof path, "%s/index.html", dir);
    assert_string_equal(slurp(path), "three");

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static void escaping(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    html_text(f, "<a href=\"x\">'&'</a>\x01\xff张记");
    fclose(f);
    assert_string_equal(buf, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;\xEF\xBF\xBD张记");
    free(buf);
}

static void result_wording(void **state)
{
    (void)state;
    struct rules r;
    rules_default(&r);
    struct score_finding pass = {CHECK_PRICE_TAGS, ANSWER_PASS, 0};
    struct score_finding tags = {CHECK_PRICE_TAGS, ANSWER_FAIL, 0};
    struct score_finding seal = {CHECK_SEAL, ANSWER_SEAL_BROKEN, 0};
    struct score_event e = {"i", 1, SCORE_EVENT_INSPECTION, &pass, 1, 1, 0};
    assert_int_equal(words_result_of(&r, &e), WORDS_RESULT_CLEAN);
    e.findings = &tags;
    assert_int_equal(words_result_of(&r, &e), WORDS_RESULT_CORRECTED);
    e.findings = &seal;   /* black under the default rules: handled as a case */
    assert_int_equal(words_result_of(&r, &e), WORDS_RESULT_PENDING);
    e.findings = &pass;
    e.reweighs_short = 1; /* short weight beyond the allowed deviation */
    assert_int_equal(words_result_of(&r, &e), WORDS_RESULT_PENDING);
    /* Untranslated (C locale), the msgids: the wording's English gloss. */
    assert_string_equal(words_result(WORDS_RESULT_CLEAN), "No problem found");
    assert_string_equal(words_violation(CHECK_REWEIGH, ANSWER_FAIL), "Short weight");
    assert_string_equal(words_violation(CHECK_SEAL, ANSWER_SEAL_MISSING), "Scale seal missing");
}

/* A stall's public record counts an inspection on the bureau's day: one
 * started 16:30 UTC on 31 May (00:30 on 1 June in Beijing) is 1 June's,
 * and not yet in the score of 31 May. */
static void a_record_counts_on_the_bureaus_day(void **state)
{
    (void)state;
    assert_int_equal(zone_set("Asia/Shanghai"), 0);
    const struct pub_finding f[] = {{"cheating-device", "fail", NULL}};
    const struct pub_inspection in = {.id = "i1", .stall = "M01-001", .market = "M01",
                                      .officer1 = "1001", .started_at = "2026-05-31T16:30:00Z",
                                      .findings = f, .n_findings = 1};
    const struct pub_stall st = {.code = "M01-001", .market = "M01", .name = "x",
                                 .category = "vegetables", .active = 1, .inspections = &in,
                                 .n_inspections = 1};
    struct rules r;
    rules_default(&r);
    struct stall_record rec;
    assert_int_equal(record_build(&st, &r, day_from_ymd(2026, 5, 31), &rec), 0);
    assert_int_equal(rec.n, 1);
    assert_int_equal(rec.ev[0].day, day_from_ymd(2026, 6, 1));
    assert_int_equal(rec.res.inspections, 0);
    record_free(&rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paths),        cmocka_unit_test(urls),
        cmocka_unit_test(writer),       cmocka_unit_test(escaping),
        cmocka_unit_test(result_wording),
        cmocka_unit_test(a_record_counts_on_the_bureaus_day),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
