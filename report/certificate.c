#include "report/certificate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/mass.h"
#include "db/calibration.h"
#include "db/officer.h"
#include "db/registry.h"
#include "report/lang.h"
#include "report/scorecard.h"
#include "report/site_path.h"

void certificate_number(const char *day, const char *calibration_id, int pass, char *buf,
                        size_t size)
{
    char digits[9] = "";
    size_t n = 0;
    for (const char *p = day; *p && n < 8; p++)
        if (*p >= '0' && *p <= '9')
            digits[n++] = *p;
    digits[n] = '\0';
    char hex[7] = "";
    size_t h = 0;
    for (const char *p = calibration_id; *p && h < 6; p++)
        if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))
            hex[h++] = (char)(*p >= 'a' ? *p - 32 : *p);
    hex[h] = '\0';
    snprintf(buf, size, "%s%s-%s", pass ? "JD" : "TZ", digits, hex);
}

static void g(int64_t ug, char *buf, size_t size)
{
    char num[32];
    mass_format(ug < 0 ? -ug : ug, MASS_G, num, sizeof num);
    snprintf(buf, size, "%s%s", ug < 0 ? "-" : "", num);
}

static void sg(int64_t ug, char *buf, size_t size)
{
    char num[32];
    mass_format(ug < 0 ? -ug : ug, MASS_G, num, sizeof num);
    snprintf(buf, size, "%s%s", ug > 0 ? "+" : ug < 0 ? "-" : "", num);
}

static const char *test_zh(const char *test)
{
    if (strcmp(test, "zero") == 0)
        return "置零 zero";
    if (strcmp(test, "weighing") == 0)
        return "称量 weighing";
    if (strcmp(test, "eccentricity") == 0)
        return "偏载 eccentricity";
    if (strcmp(test, "repeatability") == 0)
        return "重复性 repeat.";
    if (strcmp(test, "tare") == 0)
        return "除皮 tare";
    if (strcmp(test, "discrimination") == 0)
        return "鉴别力 discrim.";
    return test;
}

int certificate_card(struct db *db, const char *id, struct card **out)
{
    *out = NULL;
    struct calibration c;
    struct calibration_step *steps = NULL;
    size_t n = 0;
    int rc = calibration_load(db, id, &c, &steps, &n, NULL);
    if (rc < 0)
        return rc;
    if (strcmp(c.status, "committed") != 0) {
        free(steps);
        return sc_error_set(SC_ERR_ARG, "calibration %s is not finished: no verdict to print", id);
    }
    struct instrument in;
    memset(&in, 0, sizeof in);
    registry_find_instrument(db, c.instrument, &in);
    struct market m;
    memset(&m, 0, sizeof m);
    registry_find_market(db, in.market, &m);
    struct weight_set ws;
    memset(&ws, 0, sizeof ws);
    int have_ws = c.weight_set[0] && registry_find_weight_set(db, c.weight_set, &ws) == 0;
    struct officer o;
    memset(&o, 0, sizeof o);
    officer_find(db, c.officer, &o);
    int pass = strcmp(c.verdict, "pass") == 0;

    struct card *k = card_new();
    if (k == NULL) {
        free(steps);
        return SC_ERR_NOMEM;
    }
    char a[48], b[48], d[48];
    card_title(k, pass ? "检定证书  Verification certificate"
                       : "检定结果通知书  Notice of failed verification");
    /* The QR opens the certificate's public page (cert/ID.html). */
    char base[512];
    if (db_setting_get(db, SITE_BASE_SETTING, base, sizeof base) == 0)
        scorecard_qr(k, base, SITE_CERT, c.id);
    card_field(k, "证书编号 No.", "%s", c.certificate_no);
    card_field(k, "计量器具 Instrument", "%s  %s %s  S/N %s", in.code, in.maker, in.model,
               in.serial);
    g(in.max_ug, a, sizeof a);
    g(in.min_ug, b, sizeof b);
    g(in.e_ug, d, sizeof d);
    card_field(k, "准确度等级 Class", "%s   Max %s g   Min %s g   e = %s g", in.cls, a, b, d);
    card_field(k, "使用单位 Owner", "%s %s  %s", in.market, m.name, in.stall);
    card_field(k, "检定依据 Procedure", "JJG 539-2016 数字指示秤; OIML R76-1 (2006) A.4");
    if (have_ws) {
        card_field(k, "标准器 Reference", "砝码 %s, OIML R111 %s", ws.code, ws.cls);
        card_field(k, "标准器证书 Ref. cert.", "%s, valid until %s",
                   ws.certificate_no[0] ? ws.certificate_no : "-",
                   ws.calibration_due[0] ? ws.calibration_due : "-");
    } else {
        card_field(k, "标准器 Reference", "%s", c.weight_set[0] ? c.weight_set : "-");
    }
    card_field(k, "环境温度 Temperature", "%s °C", c.temperature[0] ? c.temperature : "-");
    card_field(k, "检定日期 Date", "%.10s", c.ended_at);
    card_field(k, "检定员 Verified by", "%s %s", c.officer, o.name);
    card_field(k, "检定结论 Conclusion", "%s", pass ? "合格 PASS" : "不合格 FAIL");
    if (pass)
        card_field(k, "有效期至 Valid until", "%s", c.next_due);
    else
        card_field(k, "处理 Action", "停止使用，修理后重新检定 (repair, verify again)");
    /* The verdict's reason, wrapped: a PDF row does not wrap itself. */
    for (const char *p = c.note; *p != '\0';) {
        size_t len = strlen(p), cut = len;
        if (len > 64) { /* beside the QR code at the top right */
            cut = 64;
            while (cut > 40 && p[cut] != ' ')
                cut--;
        }
        card_para(k, "%.*s", (int)cut, p);
        p += cut;
        while (*p == ' ')
            p++;
    }
    card_heading(k, "检定记录 Readings (g; Ec = E - E0; MPE R76-1 Table 6)");
    card_table(k, 7, (const int[]){4, 30, 9, 10, 8, 8, 5});
    card_row(k, (const char *[]){"#", "项目 test", "载荷 load", "示值 I", "Ec", "MPE", ""});
    for (size_t i = 0; i < n; i++) {
        const struct calibration_step *s = &steps[i];
        char no[16], load[48], ind[48], err[48], mpe[64];
        snprintf(no, sizeof no, "%d", s->seq + 1);
        g(s->load_ug, load, sizeof load);
        if (s->has_indication)
            g(s->indication_ug, ind, sizeof ind);
        else
            snprintf(ind, sizeof ind, "-");
        if (s->judged) {
            sg(s->error_ug, err, sizeof err);
            g(s->mpe_ug, a, sizeof a);
            snprintf(mpe, sizeof mpe, "%s%s", strcmp(s->test, "discrimination") == 0 ? ">=" : "±",
                     a);
        } else {
            snprintf(err, sizeof err, "-");
            snprintf(mpe, sizeof mpe, "-");
        }
        char test[48];
        snprintf(test, sizeof test, "%s%s%s", test_zh(s->test), s->position[0] ? " " : "",
                 s->position);
        card_row(k, (const char *[]){no, test, load, ind, err, mpe,
                                     !s->judged ? "" : s->pass ? "ok" : "FAIL"});
    }
    free(steps);
    *out = k;
    return 0;
}

int certificate_pdf(struct db *db, const char *id, const char *path)
{
    /* A Chinese paper, whatever the screen's language (report/lang.h). */
    struct paper_lang_saved saved;
    paper_lang_begin(PAPER_ZH, &saved);
    struct card *c;
    int rc = certificate_card(db, id, &c);
    if (rc == 0) {
        rc = card_pdf(&c, 1, path);
        card_free(c);
    }
    paper_lang_end(&saved);
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
