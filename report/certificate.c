#include "report/certificate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mass.h"
#include "core/procedure.h"
#include "db/calibration.h"
#include "db/officer.h"
#include "db/registry.h"

void certificate_number(const char *day, const char *calibration_id, int pass, char *buf,
                        size_t size)
{
    calibration_number(pass ? "JD" : "TZ", day, calibration_id, buf, size);
}

/* Formats into a field, never cutting a UTF-8 character. */
static void set(char *dst, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void set(char *dst, size_t size, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    size_t n = strlen(tmp);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && ((unsigned char)tmp[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(dst, tmp, n);
    dst[n] = '\0';
}

static void g(int64_t ug, char *buf, size_t size)
{
    char num[32];
    mass_format(ug < 0 ? -ug : ug, MASS_G, num, sizeof num);
    set(buf, size, "%s%s", ug < 0 ? "-" : "", num);
}

static void sg(int64_t ug, char *buf, size_t size)
{
    char num[32];
    mass_format(ug < 0 ? -ug : ug, MASS_G, num, sizeof num);
    set(buf, size, "%s%s", ug > 0 ? "+" : ug < 0 ? "-" : "", num);
}

static const struct {
    const char *test, *label;
} tests[] = {
    {"general", "通用要求 general"}, {"levelling", "调水平 levelling"},
    {"pre-load", "预加载 pre-load"},     {"zero", "置零 zero"},
    {"weighing", "称量 weighing"},       {"eccentricity", "偏载 eccentricity"},
    {"repeatability", "重复性 repeat."}, {"tare", "除皮 tare"},
    {"discrimination", "鉴别力 discrim."}, {"price", "计价 price"},
};

static const char *test_label(const char *test)
{
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
        if (strcmp(tests[i].test, test) == 0)
            return tests[i].label;
    return test;
}

static const char *kind_label(const char *kind)
{
    if (strcmp(kind, "first") == 0)
        return "首次检定 first verification";
    if (strcmp(kind, "in-service") == 0)
        return "使用中检查 in-service inspection";
    return "后续检定 subsequent verification";
}

/* "2001 王计量" */
static void person(struct db *db, const char *badge, char *buf, size_t size)
{
    buf[0] = '\0';
    if (badge[0] == '\0')
        return;
    struct officer o;
    memset(&o, 0, sizeof o);
    officer_find(db, badge, &o);
    set(buf, size, "%s %s", badge, o.name);
}

static void roman(const char *cls, char *buf, size_t size)
{
    set(buf, size, "%s", strcmp(cls, "I") == 0     ? "Ⅰ"
                         : strcmp(cls, "II") == 0  ? "Ⅱ"
                         : strcmp(cls, "III") == 0 ? "Ⅲ"
                         : strcmp(cls, "IIII") == 0 ? "Ⅳ"
                                                    : cls);
}

int certificate_load(struct db *db, const char *id, struct certificate *out)
{
    memset(out, 0, sizeof *out);
    struct calibration c;
    struct calibration_step *steps = NULL;
    size_t n = 0;
    int rc = calibration_load(db, id, &c, &steps, &n, NULL);
    if (rc < 0)
        return rc;
    if (strcmp(c.status, "committed") != 0 || c.abandoned[0] != '\0' || c.verdict[0] == '\0') {
        free(steps);
        return sc_error_set(SC_ERR_ARG, "calibration %s has no verdict (%s): there is no paper to print",
                            id, c.abandoned[0] ? "it was abandoned" : "it is not finished");
    }
    int pass = strcmp(c.verdict, "pass") == 0;
    out->paper = pass ? CERT_VERIFICATION : CERT_NOTICE;
    set(out->id, sizeof out->id, "%s", c.id);
    set(out->number, sizeof out->number, "%s", c.certificate_no);
    set(out->record_no, sizeof out->record_no, "%s", c.record_no);
    calibration_paper_get(&c, "issuer.name", out->issuer, sizeof out->issuer);
    calibration_paper_get(&c, "issuer.authorisation", out->issuer_authorisation,
                          sizeof out->issuer_authorisation);
    calibration_paper_get(&c, "issuer.address", out->issuer_address, sizeof out->issuer_address);
    calibration_paper_get(&c, "issuer.phone", out->issuer_phone, sizeof out->issuer_phone);
    calibration_paper_get(&c, "issuer.email", out->issuer_email, sizeof out->issuer_email);
    calibration_paper_get(&c, "applicant", out->applicant, sizeof out->applicant);
    calibration_paper_get(&c, "instrument.name", out->instrument_name, sizeof out->instrument_name);
    calibration_paper_get(&c, "standard.name", out->standard, sizeof out->standard);
    calibration_paper_get(&c, "standard.range", out->standard_range, sizeof out->standard_range);
    calibration_paper_get(&c, "standard.accuracy", out->standard_accuracy, sizeof out->standard_accuracy);
    calibration_paper_get(&c, "standard.cert", out->standard_cert, sizeof out->standard_cert);
    char rcert[96], runtil[16];
    calibration_paper_get(&c, "reference.cert", rcert, sizeof rcert);
    calibration_paper_get(&c, "reference.until", runtil, sizeof runtil);
    set(out->reference, sizeof out->reference, "%s, %s %s, %s %s", c.weight_set[0] ? c.weight_set : "-",
        "证书 cert.", rcert[0] ? rcert : "-", "有效期至 valid until", runtil[0] ? runtil : "-");

    struct instrument in;
    memset(&in, 0, sizeof in);
    registry_find_instrument(db, c.instrument, &in);
    set(out->instrument_code, sizeof out->instrument_code, "%s", c.instrument);
    set(out->model, sizeof out->model, "%s %s", in.maker, in.model);
    set(out->serial, sizeof out->serial, "%s", in.serial);
    char r[8], a[32], b[32], e[32];
    roman(in.cls, r, sizeof r);
    g(in.max_ug, a, sizeof a);
    g(in.min_ug, b, sizeof b);
    g(in.e_ug, e, sizeof e);
    set(out->plate, sizeof out->plate, "%s  Max %s g  Min %s g  e = %s g", r, a, b, e);
    set(out->kind, sizeof out->kind, "%s", kind_label(c.kind));
    /* The stored code names the regulation; its title from the engine. */
    int is1204 = strcmp(c.regulation, "JJG 1204-2025") == 0;
    const struct proc_regulation *reg = proc_regulation_for(is1204, is1204 ? day_from_ymd(2027, 1, 8) : 0);
    set(out->regulation, sizeof out->regulation, "%s 《%s》",
        c.regulation[0] ? c.regulation : reg->code, reg->title_zh);
    if (pass)
        set(out->conclusion, sizeof out->conclusion, "%s级 合格 PASS", r);
    else
        set(out->conclusion, sizeof out->conclusion, "不合格 FAIL");
    set(out->verified_on, sizeof out->verified_on, "%s", c.verified_on[0] ? c.verified_on : "");
    if (out->verified_on[0] == '\0')
        set(out->verified_on, sizeof out->verified_on, "%.10s", c.ended_at); /* before schema 6 */
    if (pass)
        set(out->valid_until, sizeof out->valid_until, "%s", c.next_due);
    person(db, c.officer, out->verifier, sizeof out->verifier);
    person(db, c.checker, out->checker, sizeof out->checker);
    person(db, c.approver, out->approver, sizeof out->approver);
    set(out->place, sizeof out->place, "%s", c.place);
    set(out->temperature, sizeof out->temperature, "%s", c.temperature);
    set(out->humidity, sizeof out->humidity, "%s", c.humidity);
    if (pass) {
        set(out->mark_no, sizeof out->mark_no, "%s", c.mark_no);
        set(out->seal_no, sizeof out->seal_no, "%s", c.seal_no);
    }
    set(out->reason, sizeof out->reason, "%s", c.note);
    set(out->qr, sizeof out->qr, "stallcheck:verification:%s", c.id);

    out->rows = calloc(n ? n : 1, sizeof *out->rows);
    if (out->rows == NULL) {
        free(steps);
        return SC_ERR_NOMEM;
    }
    size_t flen = 0;
    for (size_t i = 0; i < n; i++) {
        const struct calibration_step *s = &steps[i];
        struct certificate_row *row = &out->rows[out->nrows++];
        set(row->test, sizeof row->test, "%s", test_label(s->test));
        set(row->position, sizeof row->position, "%s", s->position);
        set(row->note, sizeof row->note, "%s", s->note);
        int check = strcmp(s->test, "general") == 0 || strcmp(s->test, "levelling") == 0 ||
                    strcmp(s->test, "pre-load") == 0;
        if (!check)
            g(s->load_ug, row->load, sizeof row->load);
        if (s->has_indication && !check)
            g(s->indication_ug, row->indication, sizeof row->indication);
        if (s->judged && !check && strcmp(s->test, "price") != 0) {
            sg(s->error_ug, row->error, sizeof row->error);
            g(s->mpe_ug, a, sizeof a);
            set(row->bound, sizeof row->bound, "%s%s",
                strcmp(s->test, "discrimination") == 0 ? ">=" : "±", a);
        }
        set(row->verdict, sizeof row->verdict, "%s", !s->judged ? "" : s->pass ? "ok" : "FAIL");
        /* The notice names each failed test once. */
        if (s->judged && !s->pass && strstr(out->failed, s->test) == NULL && flen < sizeof out->failed) {
            set(out->failed + flen, sizeof out->failed - flen, "%s%s", flen ? ", " : "", test_label(s->test));
            flen = strlen(out->failed);
        }
    }
    free(steps);
    return SC_OK;
}

void certificate_free(struct certificate *c)
{
    free(c->rows);
    c->rows = NULL;
    c->nrows = 0;
}

static const char *or_dash(const char *s)
{
    return s[0] ? s : "-";
}

/* The verdict's reason, wrapped: a PDF row does not wrap itself. */
static void para_wrapped(struct card *k, const char *text)
{
    for (const char *p = text; *p != '\0';) {
        size_t len = strlen(p), cut = len;
        if (len > 64) { /* beside the QR code at the top right */
            cut = 64;
            while (cut > 40 && p[cut] != ' ')
                cut--;
            while (cut > 0 && ((unsigned char)p[cut] & 0xc0) == 0x80)
                cut--;
        }
        card_para(k, "%.*s", (int)cut, p);
        p += cut;
        while (*p == ' ')
            p++;
    }
}

int certificate_card(struct db *db, const char *id, struct card **out)
{
    *out = NULL;
    struct certificate c;
    int rc = certificate_load(db, id, &c);
    if (rc < 0)
        return rc;
    struct card *k = card_new();
    if (k == NULL) {
        certificate_free(&c);
        return SC_ERR_NOMEM;
    }
    int pass = c.paper == CERT_VERIFICATION;
    card_title(k, pass ? "检定证书  Verification certificate"
                       : "检定结果通知书  Notice of failed verification");
    card_qr(k, c.qr);
    card_page_numbers(k); /* 第 x 页 共 y 页 */
    /* The cover. */
    card_field(k, "证书编号 No.", "%s", c.number);
    card_field(k, "发证单位 Issued by", "%s", c.issuer);
    card_field(k, "授权证书号 Authorisation", "%s", c.issuer_authorisation);
    card_field(k, "委托方 Applicant", "%s", or_dash(c.applicant));
    card_field(k, "计量器具 Instrument", "%s  %s", c.instrument_name, c.instrument_code);
    card_field(k, "型号规格 Model", "%s  %s", or_dash(c.model), c.plate);
    card_field(k, "出厂编号 Serial no.", "%s", or_dash(c.serial));
    card_field(k, "检定类别 Kind", "%s", c.kind);
    card_field(k, "检定依据 Regulation", "%s", c.regulation);
    card_field(k, "检定结论 Conclusion", "%s", c.conclusion);
    card_field(k, "检定日期 Date", "%s", c.verified_on);
    if (pass) {
        card_field(k, "有效期至 Valid until", "%s", c.valid_until);
        card_field(k, "检定合格标志 Mark", "%s   封印 Seal %s", c.mark_no, c.seal_no);
    } else {
        card_field(k, "不合格项目 Failed", "%s", c.failed);
        card_field(k, "处理 Action", "停止使用，修理后重新检定 (stop using it; repair, verify again)");
    }
    card_field(k, "检定员 Verified by", "%s   ____________", c.verifier);
    card_field(k, "核验员 Checked by", "%s   ____________", c.checker);
    card_field(k, "批准人 Approved by", "%s   ____________", c.approver);
    card_field(k, "地址 Address", "%s", or_dash(c.issuer_address));
    card_field(k, "电话 Phone", "%s   %s", or_dash(c.issuer_phone), c.issuer_email);
    /* The inner pages. */
    card_page(k);
    card_field(k, "证书编号 No.", "%s", c.number);
    card_field(k, "原始记录号 Record no.", "%s", c.record_no);
    card_field(k, "计量标准 Standard", "%s", or_dash(c.standard));
    card_field(k, "测量范围 Range", "%s   %s", or_dash(c.standard_range), c.standard_accuracy);
    card_field(k, "考核证书号 Standard cert.", "%s", or_dash(c.standard_cert));
    card_field(k, "标准器 Weights", "%s", c.reference);
    card_field(k, "检定地点 Place", "%s", or_dash(c.place));
    card_field(k, "环境条件 Conditions", "%s °C   %s %%RH", or_dash(c.temperature), or_dash(c.humidity));
    para_wrapped(k, c.reason);
    /* Three tables: the checks answered, the readings judged, the price. */
    static const char *const headings[3] = {
        "通用技术要求 General checks",
        "检定记录 Results (g; Ec = E - E0; MPE R76-1 Table 6)",
        "计价 Price computation (JJG 1204-2025 6.9; R76-1 4.14)",
    };
    for (int part = 0; part < 3; part++) {
        int started = 0;
        for (size_t i = 0; i < c.nrows; i++) {
            const struct certificate_row *r = &c.rows[i];
            int is_price = strncmp(r->test, "计价", strlen("计价")) == 0;
            int in_part = part == 0 ? r->load[0] == '\0' : part == 1 ? r->load[0] && !is_price : is_price;
            if (!in_part)
                continue;
            if (!started) {
                card_heading(k, headings[part]);
                if (part == 1) {
                    card_table(k, 8, (const int[]){4, 20, 14, 10, 10, 8, 8, 5});
                    card_row(k, (const char *[]){"#", "项目 test", "", "载荷 load", "示值 I", "Ec", "MPE", ""});
                } else {
                    card_table(k, 5, (const int[]){3, 17, 14, 43, 5});
                    card_row(k, (const char *[]){"#", "项目 item", part == 0 ? "" : "示值 weight",
                                                 part == 0 ? "结果 answer" : "单价, 金额 price to pay", ""});
                }
                started = 1;
            }
            char no[24];
            snprintf(no, sizeof no, "%zu", i + 1);
            if (part == 1) {
                card_row(k, (const char *[]){no, r->test, r->position, r->load, or_dash(r->indication),
                                             or_dash(r->error), or_dash(r->bound), r->verdict});
            } else {
                /* The price test's weight shown goes where a check item's name does. */
                char weight[32];
                snprintf(weight, sizeof weight, "%s g", r->indication);
                card_row(k, (const char *[]){no, r->test, part == 2 ? weight : r->position, r->note,
                                             r->verdict});
            }
        }
    }
    card_para(k, "—— 以下空白 End of %s ——", pass ? "certificate" : "notice");
    certificate_free(&c);
    *out = k;
    return 0;
}

int certificate_pdf(struct db *db, const char *id, const char *path)
{
    struct card *c;
    int rc = certificate_card(db, id, &c);
    if (rc < 0)
        return rc;
    rc = card_pdf(&c, 1, path);
    card_free(c);
    return rc;
}

int certificate_text(struct db *db, const char *id, FILE *out)
{
    struct card *c;
    int rc = certificate_card(db, id, &c);
    if (rc < 0)
        return rc;
    rc = card_text(c, out);
    card_free(c);
    return rc;
}
