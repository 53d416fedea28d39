/* The demo district generator (cli/demo_data.h). */
#include "cli/demo_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/category.h"
#include "core/checklist.h"
#include "core/day.h"
#include "core/due.h"
#include "core/error.h"
#include "core/reweigh.h"
#include "core/uscc.h"
#include "core/visit.h"
#include "db/visit.h"
#include "db/lists.h"
#include "db/officer.h"
#include "db/registry.h"

/* ---- a seeded generator: xoshiro256** seeded by splitmix64 ---- */

struct rng {
    uint64_t s[4];
};

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1b54a32d192ed03u);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* 0 .. n-1 (n > 0); the tiny modulo bias does not matter for a demo. */
static int64_t below(struct rng *r, int64_t n)
{
    return (int64_t)(rng_next(r) % (uint64_t)n);
}

/* True with probability per_mille / 1000. */
static int chance(struct rng *r, int per_mille)
{
    return below(r, 1000) < per_mille;
}

/* Demo UUIDs: RFC 4122 version 4 text, but the first 48 bits count up
 * from a seeded start, so rows made in order are keyed in order: a million
 * inspections then append to their B-trees instead of inserting at random
 * places (several times faster), and a district pass joins them in order
 * (db/lists.c).  A record id's first 48 bits are its device's tag
 * (db_record_id), so the count is also written after them, where the text
 * still orders by it: the low nibble of byte 6 (its high one is the
 * version), byte 7, the low 6 bits of byte 8 (the variant keeps the top
 * two), byte 9 and the first four bytes of the node.  The other bits are
 * from the seed. */
struct uuid_gen {
    struct rng rng;
    uint64_t counter;
};

static void fill_uuid_counted(void *ctx, unsigned char *buf, size_t n)
{
    struct uuid_gen *u = ctx;
    uint64_t c = u->counter++;
    for (size_t i = 0; i < n; i += 8) {
        uint64_t v = rng_next(&u->rng);
        for (size_t k = 0; k < 8 && i + k < n; k++)
            buf[i + k] = (unsigned char)(v >> (8 * k));
    }
    for (int i = 0; i < 6 && (size_t)i < n; i++)
        buf[i] = (unsigned char)(c >> (8 * (5 - i)));
    if (n >= 14) {
        /* 4 + 8 + 6 + 8 + 32 = 58 bits, most significant first. */
        buf[6] = (unsigned char)((buf[6] & 0xf0) | ((c >> 54) & 0x0f));
        buf[7] = (unsigned char)(c >> 46);
        buf[8] = (unsigned char)((buf[8] & 0xc0) | ((c >> 40) & 0x3f));
        buf[9] = (unsigned char)(c >> 32);
        for (int i = 0; i < 4; i++)
            buf[10 + i] = (unsigned char)(c >> (8 * (3 - i)));
    }
}

static void fill_uuid(void *ctx, unsigned char *buf, size_t n)
{
    struct rng *r = ctx;
    for (size_t i = 0; i < n; i += 8) {
        uint64_t v = rng_next(r);
        for (size_t k = 0; k < 8 && i + k < n; k++)
            buf[i + k] = (unsigned char)(v >> (8 * k));
    }
}

/* snprintf(dst, size, "%s", src) without the format machinery: the
 * generator copies a few dozen strings per inspection. */
static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

#define PICK(r, arr) ((arr)[below((r), (int64_t)(sizeof(arr) / sizeof((arr)[0])))])

/* ---- names ---- */

static const char *const areas[] = {
    "东街", "西门", "南湖", "北园", "城关", "鼓楼", "新华", "解放", "人民", "建设", "和平", "中山",
    "长安", "滨江", "光明", "朝阳", "青山", "白沙", "金桥", "凤凰", "桂花", "荷塘", "柳岸", "松林",
    "文昌", "兴业", "福兴", "永安", "太平", "丰乐", "前进", "幸福", "红星", "东湖", "西湖", "南门",
    "北门", "江滨", "花园", "新村",
};
static const char *const market_kinds[] = {"农贸市场", "菜市场", "综合市场", "生鲜市场"};
static const struct {
    const char *name;
    const char *division; /* 行政区划代码, positions 3-8 of a USCC */
} districts[] = {
    {"鼓楼区", "350102"}, {"台江区", "350103"}, {"仓山区", "350104"},
    {"马尾区", "350105"}, {"晋安区", "350111"},
};
static const char *const surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "林", "高", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
};
static const char *const given[] = {
    "建国", "秀英", "桂英", "志强", "丽娟", "海燕", "国强", "春梅", "建华", "淑珍", "明",
    "芳",   "伟",   "静",   "磊",   "敏",   "勇",   "艳",   "杰",   "娟",   "涛",   "超",
    "秀兰", "玉兰", "金凤", "德明", "福生", "美玲", "小红", "永康",
};
static const char *const makers[] = {"上海寺冈", "凯丰", "大华", "顶尖", "友声", "托利多"};

/* Per category: goods and a typical price band (分/kg). */
static const struct {
    const char *cat;
    const char *goods[3];
    int price_lo, price_hi;
    int weight_per_mille;      /* share of stalls */
} kinds[] = {
    {"vegetables", {"青菜", "西红柿", "土豆"}, 300, 1200, 300},
    {"meat", {"猪肉", "牛肉", "排骨"}, 2600, 9000, 150},
    {"aquatic", {"草鱼", "基围虾", "带鱼"}, 1600, 8000, 120},
    {"poultry-egg", {"鸡蛋", "鸭蛋", "鸡腿"}, 900, 3000, 80},
    {"tofu", {"豆腐", "豆干", "腐竹"}, 400, 2400, 60},
    {"cooked", {"卤肉", "烤鸭", "酱牛肉"}, 3000, 12000, 80},
    {"dried", {"香菇", "木耳", "红枣"}, 3000, 16000, 70},
    {"fruit", {"苹果", "香蕉", "橙子"}, 500, 2400, 100},
    {"grain-oil", {"大米", "面粉", "花生油"}, 400, 3000, 40},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* Scales on stalls: class III, n = 3 000 (metrology.md: Max 3/6/15/30 kg,
 * e = 1/2/5/10 g); Min = 20 e (R76-1 Table 3). */
static const struct {
    int64_t max_ug, e_ug;
    const char *model;
} scale_models[] = {
    {INT64_C(3000000000), 1000000, "ACS-3"},
    {INT64_C(6000000000), 2000000, "ACS-6"},
    {INT64_C(15000000000), 5000000, "ACS-15"},
    {INT64_C(15000000000), 5000000, "SM-100"},
    {INT64_C(30000000000), 10000000, "ACS-30"},
};

/* ---- the generated district, kept for the history ---- */

struct dscale {
    char code[REG_CODE];
    day_t due;
};

struct dstall {
    char code[REG_CODE];
    int market;
    int kind;
    int trait;        /* index into traits[] */
    int weak;         /* a sloppy stall's chronic item (enum checklist_item) */
    int nscales;
    struct dscale scales[2];
};

struct dmarket {
    char code[REG_CODE];
    char name[REG_NAME];
    char reference[REG_CODE];
    char fair[REG_CODE];      /* the market's fair scale (公平秤) */
};

/* ---- the demo's shares ----
 *
 * A market as inspectors meet one: most stalls honest, a tenth sloppy
 * (tags missing, a seal torn, an item left unfixed past its deadline), a
 * few that short their customers at the fair scale but not the officer,
 * and a few with a cheating scale (鬼秤) or a heavy thumb.  Failure rates
 * are per mille per inspection, the re-weigh's shortfall in thousandths
 * of the allowed deviation (《零售商品称重计量监督管理办法》's table: above
 * 1000 fails), complaints at the fair scale per mille per month and the
 * share of them found short.  The rules (data/rules.ini) then make the
 * lists: a serious failure (short weight, a broken or missing seal, an
 * overdue scale, a cheating device) is black for a year; an item failed
 * again after two deadlines is black; three short complaints in a year are
 * black; a score under 60 is black.  README.md says what comes out. */
enum { TRAIT_HONEST, TRAIT_SLOPPY, TRAIT_SHORTS_CUSTOMERS, TRAIT_CHEATING, TRAIT_COUNT };
static const struct trait {
    int share;                          /* per mille of stalls */
    int licence, tags, mark, seal, device, weak;
    int short_lo, short_hi;             /* the shortfall, thousandths of the allowed */
    int complaints, complaint_short;
} traits[TRAIT_COUNT] = {
    [TRAIT_HONEST] = {900, 10, 30, 5, 0, 0, 0, -300, 600, 4, 100},
    [TRAIT_SLOPPY] = {85, 60, 120, 40, 8, 0, 300, -200, 1030, 20, 300},
    [TRAIT_SHORTS_CUSTOMERS] = {8, 30, 60, 10, 2, 0, 0, 0, 900, 300, 700},
    [TRAIT_CHEATING] = {7, 150, 250, 150, 150, 100, 0, 1500, 8000, 150, 850},
};
/* Verified yearly (强制检定): the share of stall scales overdue today
 * (per mille), found so at every inspection since their due date. */
#define DEMO_OVERDUE_PER_MILLE 10

struct gen {
    struct db *db;
    const struct demo_options *opt;
    struct demo_result *res;
    struct rng rng;       /* every choice */
    struct uuid_gen ids;  /* UUIDs only */
    day_t today;
    struct dmarket *markets;
    int nmarkets;
    struct dstall *stalls;
    int64_t nstalls;
    int nofficers;        /* inspecting officers 1001 .. 1000 + n */
    char hash[OFFICER_HASH_LEN];
    int64_t instrument_serial;
};

static void progress(const struct gen *g, const char *what, int64_t done, int64_t total)
{
    if (!g->opt->progress)
        return;
    int width = 30, fill = total ? (int)(done * width / total) : width;
    fprintf(stderr, "\rdemo-data: %-12s [", what);
    for (int i = 0; i < width; i++)
        fputc(i < fill ? '#' : ' ', stderr);
    fprintf(stderr, "] %3d%%", total ? (int)(done * 100 / total) : 100);
    fflush(stderr);
}

static void fmt_day(day_t d, char *buf, size_t size)
{
    day_format(d, buf, size);
}

/* The demo's bureau keeps the default zone, Asia/Shanghai: UTC+8 all year
 * (no summer time since 1991), so a local time of the demo is 480 minutes
 * ahead of the UTC one that is stored. */
enum { DEMO_UTC_OFFSET_MIN = 8 * 60 };

/* Sets the stamping clock to LOCAL_MINUTE (0-1439, local time) of day D. */
static void set_clock(day_t d, int local_minute)
{
    int minute = local_minute - DEMO_UTC_OFFSET_MIN;
    if (minute < 0) {
        d -= 1;
        minute += 1440;
    }
    char date[16], now[24];
    fmt_day(d, date, sizeof date);
    snprintf(now, sizeof now, "%.10sT%02u:%02u:00Z", date, (unsigned)minute / 60u % 24u,
             (unsigned)minute % 60u);
    db_clock_set(now);
}

/* A USCC for a 个体工商户 (92) in the district, unique by its counter. */
static void make_licence(int64_t n, const char *division, char out[USCC_LEN])
{
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    char body[18];
    snprintf(body, sizeof body, "92%sMA", division);
    for (int i = 16; i >= 10; i--) {
        body[i] = alphabet[n % 31];
        n /= 31;
    }
    body[17] = '\0';
    char check;
    uscc_check_char(body, &check);
    snprintf(out, USCC_LEN, "%s%c", body, check);
}

static int put_officer(struct gen *g, const char *badge, const char *name,
                       enum officer_role role, const char *market)
{
    struct officer o = {.role = role, .active = 1};
    copy_str(o.badge, sizeof o.badge, badge);
    copy_str(o.name, sizeof o.name, name);
    copy_str(o.market, sizeof o.market, market ? market : "");
    int rc = officer_add_hashed(g->db, &o, g->hash);
    if (rc == 0)
        g->res->officers++;
    return rc;
}

static void person(struct rng *r, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s", PICK(r, surnames), PICK(r, given));
}

static int officers(struct gen *g)
{
    unsigned char salt[16];
    fill_uuid(&g->rng, salt, sizeof salt);
    int rc = officer_hash_pin_salted(DEMO_PIN, salt, g->hash);
    if (rc < 0)
        return rc;
    if ((rc = put_officer(g, DEMO_BADGE_ADMIN, "系统管理员", ROLE_ADMIN, NULL)) < 0)
        return rc;
    /* The demo officer has a fixed name, so the README can say it. */
    if ((rc = put_officer(g, DEMO_BADGE_OFFICER, "李明", ROLE_OFFICER, NULL)) < 0)
        return rc;
    g->nofficers = g->nmarkets / 2 > 8 ? g->nmarkets / 2 : 8;
    for (int i = 2; i <= g->nofficers; i++) {
        char badge[16], name[64];
        snprintf(badge, sizeof badge, "%d", 1000 + i);
        person(&g->rng, name, sizeof name);
        if ((rc = put_officer(g, badge, name, ROLE_OFFICER, NULL)) < 0)
            return rc;
    }
    for (int i = 1; i <= 3; i++) {
        char badge[16], name[64];
        snprintf(badge, sizeof badge, "%d", 2000 + i);
        person(&g->rng, name, sizeof name);
        if ((rc = put_officer(g, badge, name, ROLE_METROLOGY, NULL)) < 0)
            return rc;
    }
    /* A manager per market (3001 manages M001). */
    for (int m = 0; m < g->nmarkets && m < 999; m++) {
        char badge[16], name[64];
        snprintf(badge, sizeof badge, "%d", 3001 + m);
        person(&g->rng, name, sizeof name);
        if ((rc = put_officer(g, badge, name, ROLE_MANAGER, g->markets[m].code)) < 0)
            return rc;
    }
    /* A conflict of interest, so the draw has one to respect: officer 1003
     * is recused from M001. */
    return officer_add_recusal(g->db, "1003", g->markets[0].code, "亲属在该市场经营");
}

static int market_equipment(struct gen *g, int m, const char *district_division)
{
    (void)district_division;
    struct dmarket *dm = &g->markets[m];
    /* The fair scale 公平秤 (《集贸市场计量监督管理办法》: the organiser
     * provides one) and the officers' reference scale kept at the market. */
    day_t last = g->today - (day_t)below(&g->rng, 300);
    struct instrument fair = {.kind = "fair", .cls = "III", .max_ug = INT64_C(30000000000),
                              .min_ug = 200000000, .e_ug = 10000000, .d_ug = 10000000,
                              .active = 1};
    snprintf(fair.code, sizeof fair.code, "%.40s-FAIR", dm->code);
    copy_str(dm->fair, sizeof dm->fair, fair.code);
    copy_str(fair.market, sizeof fair.market, dm->code);
    snprintf(fair.maker, sizeof fair.maker, "上海寺冈");
    snprintf(fair.model, sizeof fair.model, "SM-100");
    snprintf(fair.serial, sizeof fair.serial, "T%07lld", (long long)++g->instrument_serial);
    snprintf(fair.mark_no, sizeof fair.mark_no, "JD-%s-F", dm->code);
    snprintf(fair.seal_no, sizeof fair.seal_no, "FY-%s-F", dm->code);
    fmt_day(last, fair.last_verified, sizeof fair.last_verified);
    fmt_day(last + 364, fair.due, sizeof fair.due);
    int rc = registry_put_instrument(g->db, &fair);
    if (rc < 0)
        return rc;
    /* Class II, Max 6 kg, e = 1 g, d = 0.1 g: n = 6 000 >= 5 000 (R76-1
     * Table 3); its MPE is well under a third of the smallest deviation
     * re-weighed here (Art. 6). */
    struct instrument ref = {.kind = "reference", .cls = "II", .max_ug = INT64_C(6000000000),
                             .min_ug = 50000000, .e_ug = 1000000, .d_ug = 100000,
                             .active = 1};
    snprintf(ref.code, sizeof ref.code, "%.40s-REF", dm->code);
    copy_str(dm->reference, sizeof dm->reference, ref.code);
    copy_str(ref.market, sizeof ref.market, dm->code);
    snprintf(ref.maker, sizeof ref.maker, "奥豪斯");
    snprintf(ref.model, sizeof ref.model, "NV6101");
    snprintf(ref.serial, sizeof ref.serial, "OH%06lld", (long long)++g->instrument_serial);
    snprintf(ref.mark_no, sizeof ref.mark_no, "JD-%s-R", dm->code);
    snprintf(ref.protocol, sizeof ref.protocol, "kern");
    snprintf(ref.conn, sizeof ref.conn, "kern:conn=/dev/ttyUSB0:serialcomm=9600/8n1");
    last = g->today - (day_t)below(&g->rng, 200);
    fmt_day(last, ref.last_verified, sizeof ref.last_verified);
    fmt_day(last + 364, ref.due, sizeof ref.due);
    if ((rc = registry_put_instrument(g->db, &ref)) < 0)
        return rc;
    g->res->instruments += 2;
    /* A reference weight set (OIML R111 class F2): the 1-2-2-5 series to
     * 10 kg, and seven 20 kg weights so that the market's 30 kg and 150 kg
     * scales can be tested at Max too. */
    struct weight_set ws = {.cls = "F2"};
    snprintf(ws.code, sizeof ws.code, "%.40s-W1", dm->code);
    snprintf(ws.name, sizeof ws.name, "%.140s标准砝码", dm->name);
    copy_str(ws.market, sizeof ws.market, dm->code);
    snprintf(ws.certificate_no, sizeof ws.certificate_no, "ZS-%s", dm->code);
    snprintf(ws.standard_name, sizeof ws.standard_name, "F2级砝码标准装置");
    snprintf(ws.standard_cert_no, sizeof ws.standard_cert_no, "[2025]示量标证字第%.16s号", dm->code);
    fmt_day(g->today + (day_t)below(&g->rng, 300) - 30, ws.calibration_due,
            sizeof ws.calibration_due);
    static const int64_t series[] = {1,   2,    5,    10,   20,    50,   100,
                                     200, 500, 1000, 2000, 5000, 10000, 20000};
    for (size_t i = 0; i < sizeof series / sizeof series[0]; i++) {
        ws.items[ws.nitems].nominal_ug = series[i] * 1000000;
        ws.items[ws.nitems].count = series[i] == 20000 ? 7
                                    : (series[i] == 2 || series[i] == 20 || series[i] == 200 ||
                                       series[i] == 2000)
                                        ? 2
                                        : 1;
        ws.nitems++;
    }
    return registry_put_weight_set(g->db, &ws);
}

/* The demo bureau that issues the certificates (db/calibration.h reads
 * these settings; a verification cannot be committed without them). */
static int issuing_body(struct db *db)
{
    static const char *const kv[][2] = {
        {"issuing_body", "示范区市场监督管理局计量检定所"},
        {"issuing_body.authorisation", "(示)法计(2026)00001号"},
        {"issuing_body.address", "示范区人民路1号 100000"},
        {"issuing_body.phone", "010-0000 0000"},
        {"issuing_body.email", "jiliang@example.gov.cn"},
    };
    for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++) {
        int rc = db_setting_set(db, kv[i][0], kv[i][1]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int pick_kind(struct rng *r)
{
    int64_t x = below(r, 1000), acc = 0;
    for (size_t k = 0; k < NKINDS; k++) {
        acc += kinds[k].weight_per_mille;
        if (x < acc)
            return (int)k;
    }
    return 0;
}

static int registry(struct gen *g)
{
    int64_t per_market = 125;
    g->nmarkets = (int)((g->nstalls + per_market / 2) / per_market);
    if (g->nmarkets < 1)
        g->nmarkets = 1;
    g->markets = calloc((size_t)g->nmarkets, sizeof *g->markets);
    g->stalls = calloc((size_t)g->nstalls, sizeof *g->stalls);
    if (!g->markets || !g->stalls)
        return sc_error_set(SC_ERR_NOMEM, NULL);
    int rc;
    const size_t nareas = sizeof areas / sizeof areas[0];
    const size_t nmk = sizeof market_kinds / sizeof market_kinds[0];
    for (int m = 0; m < g->nmarkets; m++) {
        struct dmarket *dm = &g->markets[m];
        size_t d = (size_t)m % (sizeof districts / sizeof districts[0]);
        snprintf(dm->code, sizeof dm->code, "M%03d", m + 1);
        size_t combo = (size_t)m % (nareas * nmk);
        if ((size_t)m < nareas * nmk)
            snprintf(dm->name, sizeof dm->name, "%s%s", areas[combo % nareas],
                     market_kinds[combo / nareas]);
        else
            snprintf(dm->name, sizeof dm->name, "%s%s%d号", areas[combo % nareas],
                     market_kinds[combo / nareas], m / (int)(nareas * nmk) + 1);
        struct market mk = {0};
        copy_str(mk.code, sizeof mk.code, dm->code);
        copy_str(mk.name, sizeof mk.name, dm->name);
        copy_str(mk.district, sizeof mk.district, districts[d].name);
        snprintf(mk.address, sizeof mk.address, "%s路%d号", areas[combo % nareas],
                 (int)below(&g->rng, 300) + 1);
        snprintf(mk.organiser, sizeof mk.organiser, "%s市场管理有限公司", areas[combo % nareas]);
        if ((rc = registry_put_market(g->db, &mk)) < 0)
            return rc;
        if ((rc = market_equipment(g, m, districts[d].division)) < 0)
            return rc;
        g->res->markets++;
    }
    for (int64_t i = 0; i < g->nstalls; i++) {
        struct dstall *ds = &g->stalls[i];
        ds->market = (int)(i * g->nmarkets / g->nstalls);
        int64_t first = ((int64_t)ds->market * g->nstalls + g->nmarkets - 1) / g->nmarkets;
        const struct dmarket *dm = &g->markets[ds->market];
        snprintf(ds->code, sizeof ds->code, "%.30s-%03d", dm->code, (int)(i - first + 1));
        ds->kind = pick_kind(&g->rng);
        int64_t t = below(&g->rng, 1000), acc = 0;
        for (ds->trait = 0; ds->trait < TRAIT_COUNT - 1; ds->trait++)
            if (t < (acc += traits[ds->trait].share))
                break;
        static const int weak[] = {CHECK_LICENCE_SHOWN, CHECK_PRICE_TAGS,
                                   CHECK_VERIFICATION_MARK};
        ds->weak = weak[below(&g->rng, 3)];
        /* The operator: a 个体工商户 with a valid USCC. */
        struct stall_operator op = {0};
        size_t d = (size_t)ds->market % (sizeof districts / sizeof districts[0]);
        make_licence(i + 1, districts[d].division, op.licence);
        person(&g->rng, op.name, sizeof op.name);
        snprintf(op.phone, sizeof op.phone, "13%09lld", (long long)below(&g->rng, 1000000000));
        if ((rc = registry_put_operator(g->db, &op)) < 0)
            return rc;
        struct stall st = {.active = 1};
        copy_str(st.code, sizeof st.code, ds->code);
        copy_str(st.market, sizeof st.market, dm->code);
        const struct category_info *ci = category_find(kinds[ds->kind].cat);
        char surname[8];
        /* One UTF-8 Chinese character is 3 bytes: the surname. */
        memcpy(surname, op.name, 3);
        surname[3] = '\0';
        snprintf(st.name, sizeof st.name, "%s记%s", surname, ci->zh);
        copy_str(st.category, sizeof st.category, ci->id);
        copy_str(st.operator_licence, sizeof st.operator_licence, op.licence);
        if ((rc = registry_put_stall(g->db, &st)) < 0)
            return rc;
        ds->nscales = chance(&g->rng, 300) ? 2 : 1;
        for (int s = 0; s < ds->nscales; s++) {
            struct dscale *sc = &ds->scales[s];
            struct instrument in = {.kind = "price-computing", .cls = "III", .active = 1};
            int model = (int)below(&g->rng, (int64_t)(sizeof scale_models / sizeof scale_models[0]));
            /* Fish and meat stalls often have a platform scale as well. */
            if (s == 1 && (ds->kind == 1 || ds->kind == 2)) {
                snprintf(in.kind, sizeof in.kind, "platform");
                in.max_ug = INT64_C(150000000000);
                in.e_ug = 50000000;
                snprintf(in.model, sizeof in.model, "TCS-150");
            } else {
                in.max_ug = scale_models[model].max_ug;
                in.e_ug = scale_models[model].e_ug;
                copy_str(in.model, sizeof in.model, scale_models[model].model);
            }
            in.d_ug = in.e_ug;
            in.min_ug = 20 * in.e_ug;
            snprintf(in.code, sizeof in.code, "%.40s-S%c", ds->code, (char)('1' + s));
            copy_str(sc->code, sizeof sc->code, in.code);
            copy_str(in.market, sizeof in.market, dm->code);
            copy_str(in.stall, sizeof in.stall, ds->code);
            copy_str(in.maker, sizeof in.maker, PICK(&g->rng, makers));
            snprintf(in.serial, sizeof in.serial, "SN%08lld", (long long)++g->instrument_serial);
            snprintf(in.mark_no, sizeof in.mark_no, "JD-%08lld", (long long)g->instrument_serial);
            snprintf(in.seal_no, sizeof in.seal_no, "FY-%08lld", (long long)g->instrument_serial);
            /* Verified yearly (强制检定); a few are overdue today. */
            day_t last = chance(&g->rng, DEMO_OVERDUE_PER_MILLE)
                             ? g->today - 366 - (day_t)below(&g->rng, 90)
                             : g->today - (day_t)below(&g->rng, 365);
            sc->due = last + 364;
            fmt_day(last, in.last_verified, sizeof in.last_verified);
            fmt_day(sc->due, in.due, sizeof in.due);
            if ((rc = registry_put_instrument(g->db, &in)) < 0)
                return rc;
            g->res->instruments++;
        }
        g->res->stalls++;
        g->res->operators++;
        if ((i & 1023) == 0)
            progress(g, "registry", i, g->nstalls);
    }
    progress(g, "registry", g->nstalls, g->nstalls);
    return 0;
}

/* ---- history ---- */

struct event {
    int64_t when;   /* day * 1440 + minute */
    int64_t stall;
    int complaint;  /* a customer's complaint at the fair scale, not an inspection */
};

static int by_when(const void *a, const void *b)
{
    const struct event *x = a, *y = b;
    if (x->when != y->when)
        return x->when < y->when ? -1 : 1;
    return (x->stall > y->stall) - (x->stall < y->stall);
}

/* Whether item fails at an inspection of s: its trait's rate, or its
 * chronic rate for a sloppy stall's weak item. */
static int fails(struct rng *r, const struct dstall *s, int item, int per_mille)
{
    const struct trait *t = &traits[s->trait];
    return chance(r, t->weak > 0 && item == s->weak ? t->weak : per_mille);
}

/* One re-weigh on a scale of the market (Art. 6 (二)): the reference
 * scale at an inspection, the fair scale at a complaint, with the scale's
 * KERN frame for the re-weighed mass as its reading; the shortfall between
 * lo and hi thousandths of the allowed deviation. */
static int demo_reweigh(struct gen *g, const struct dstall *s, enum reweigh_at at,
                        const char *scale, int lo_permille, int hi_permille,
                        const char *started_at, struct visit_reweigh *w)
{
    const int kd = s->kind;
    int64_t price = kinds[kd].price_lo + below(&g->rng, kinds[kd].price_hi - kinds[kd].price_lo);
    int64_t declared = (20 + below(&g->rng, 280)) * INT64_C(10000000); /* 0.2-3 kg, 10 g */
    enum reweigh_category cat;
    reweigh_category_parse(category_find(kinds[kd].cat)->reweigh, &cat);
    int64_t dev;
    const char *band;
    if (reweigh_deviation(cat, declared, &dev, &band) < 0)
        dev = 5000000;
    /* Shortfall in 0.1 g steps (the reference scale's d). */
    int64_t tenth = 100000;
    int64_t lo = dev * lo_permille / 1000 / tenth, hi = dev * hi_permille / 1000 / tenth;
    int64_t shortfall = (lo + below(&g->rng, hi - lo + 1)) * tenth;
    if (shortfall > declared / 2)
        shortfall = declared / 2 / tenth * tenth;
    struct reweigh_input ri = {.cat = cat, .charged_ug = declared,
                               .measured_ug = declared - shortfall, .price_fen_per_kg = price};
    if (visit_reweigh_judge(w, &ri, at, NULL) < 0)
        return sc_error_set(SC_ERR, "demo re-weigh: %s", sc_error_message());
    copy_str(w->goods, sizeof w->goods, kinds[kd].goods[below(&g->rng, 3)]);
    copy_str(w->reference, sizeof w->reference, scale);
    /* 15 bytes: the value in g right-aligned in 9, " G S\r\n". */
    struct visit_reading *r = &w->reading;
    w->has_reading = 1;
    int64_t tenths = ri.measured_ug / tenth;
    snprintf(r->value, sizeof r->value, "%lld.%lld", (long long)(tenths / 10),
             (long long)(tenths % 10));
    snprintf((char *)r->raw, sizeof r->raw, "%9s G S\r\n", r->value);
    r->raw_len = 15;
    copy_str(r->instrument, sizeof r->instrument, scale);
    copy_str(r->driver, sizeof r->driver, "kern");
    copy_str(r->unit, sizeof r->unit, "g");
    copy_str(r->taken_at, sizeof r->taken_at, started_at);
    r->stable = 1;
    return 0;
}

/* The checklist: every item answered, a failed one given 7 days to correct
 * (限期整改) unless it is serious. */
static void demo_checklist(struct gen *g, const struct dstall *s, day_t day, struct visit *v)
{
    int overdue = 0;
    for (int k = 0; k < s->nscales; k++)
        overdue |= due_state_of(1, s->scales[k].due, day) != DUE_IN_DATE;
    int rw_failed = 0;
    for (int k = 0; k < v->n_reweigh; k++)
        rw_failed |= v->reweigh[k].verdict == REWEIGH_FAIL;
    char deadline[11];
    fmt_day(day + 7, deadline, sizeof deadline);
    size_t nitems;
    const struct checklist_item_info *items = checklist_items(&nitems);
    for (size_t k = 0; k < nitems; k++) {
        enum checklist_answer a = ANSWER_PASS;
        const struct trait *t = &traits[s->trait];
        int it = items[k].item;
        switch (items[k].item) {
        case CHECK_LICENCE_SHOWN: a = fails(&g->rng, s, it, t->licence) ? ANSWER_FAIL : a; break;
        case CHECK_PRICE_TAGS: a = fails(&g->rng, s, it, t->tags) ? ANSWER_FAIL : a; break;
        case CHECK_VERIFICATION_MARK: a = fails(&g->rng, s, it, t->mark) ? ANSWER_FAIL : a; break;
        case CHECK_VERIFICATION_DUE: a = overdue ? ANSWER_FAIL : a; break;
        case CHECK_SEAL:
            a = fails(&g->rng, s, it, t->seal)
                    ? (chance(&g->rng, 500) ? ANSWER_SEAL_BROKEN : ANSWER_SEAL_MISSING)
                    : ANSWER_SEAL_INTACT;
            break;
        case CHECK_FAIR_SCALE: a = chance(&g->rng, 5) ? ANSWER_FAIL : a; break;
        case CHECK_CHEATING_DEVICE: a = fails(&g->rng, s, it, t->device) ? ANSWER_FAIL : a; break;
        case CHECK_REWEIGH:
            a = v->n_reweigh == 0 ? ANSWER_NA : rw_failed ? ANSWER_FAIL : ANSWER_PASS;
            break;
        default: break;
        }
        v->answers[items[k].item] = a;
        if (checklist_answer_failed(a) && items[k].severity != SEVERITY_SERIOUS)
            copy_str(v->deadlines[items[k].item], sizeof v->deadlines[0], deadline);
    }
}

/* A visit's stall, market, time and officers; the second officer only at
 * an inspection (a fair-scale check is one officer's). */
static void demo_visit(struct gen *g, const struct event *ev, int second, struct visit *v)
{
    struct dstall *s = &g->stalls[ev->stall];
    const struct dmarket *dm = &g->markets[s->market];
    day_t day = (day_t)(ev->when / 1440);
    int minute = (int)(ev->when % 1440);
    visit_clear(v);
    copy_str(v->stall, sizeof v->stall, s->code);
    copy_str(v->market, sizeof v->market, dm->code);
    /* Officers drawn at random; 1003 is recused from M001. */
    int a, b;
    do {
        a = 1 + (int)below(&g->rng, g->nofficers);
    } while (a == 3 && s->market == 0);
    snprintf(v->officer1, sizeof v->officer1, "%d", 1000 + a);
    if (second) {
        do {
            b = 1 + (int)below(&g->rng, g->nofficers);
        } while (b == a || (b == 3 && s->market == 0));
        snprintf(v->officer2, sizeof v->officer2, "%d", 1000 + b);
    }
    char date[16];
    fmt_day(day, date, sizeof date);
    snprintf(v->started_at, sizeof v->started_at, "%.10sT%02u:%02u:00Z", date,
             (unsigned)minute / 60u % 24u, (unsigned)minute % 60u);
    int end = minute + 5 + (int)below(&g->rng, second ? 20 : 5);
    snprintf(v->ended_at, sizeof v->ended_at, "%.10sT%02u:%02u:00Z", date,
             (unsigned)end / 60u % 24u, (unsigned)end % 60u);
    db_record_id(g->db, v->id);
}

/* A customer's complaint re-weighed at the market's fair scale (公平秤),
 * as `stallcheck fairscale` records one: one re-weigh, no checklist. */
static int complain(struct gen *g, const struct event *ev)
{
    const struct dstall *s = &g->stalls[ev->stall];
    const struct dmarket *dm = &g->markets[s->market];
    static struct visit v;
    demo_visit(g, ev, 0, &v);
    snprintf(v.place, sizeof v.place, "公平秤 fair scale %.80s", dm->fair);
    snprintf(v.note, sizeof v.note, "fair-scale complaint");
    int is_short = chance(&g->rng, traits[s->trait].complaint_short);
    int rc = demo_reweigh(g, s, REWEIGH_AT_FAIR, dm->fair, is_short ? 1100 : 0,
                          is_short ? 3000 : 900, v.started_at, &v.reweigh[v.n_reweigh++]);
    if (rc < 0)
        return rc;
    db_clock_set(v.ended_at);
    if ((rc = visit_commit_bulk(g->db, &v, NULL)) < 0)
        return rc;
    if (g->opt->on_visit != NULL)
        g->opt->on_visit(&v, g->opt->on_visit_arg);
    g->res->inspections++;
    g->res->reweighs++;
    return 0;
}

static int inspect(struct gen *g, const struct event *ev)
{
    struct dstall *s = &g->stalls[ev->stall];
    const struct dmarket *dm = &g->markets[s->market];
    day_t day = (day_t)(ev->when / 1440);
    static struct visit v;
    demo_visit(g, ev, 1, &v);
    snprintf(v.place, sizeof v.place, "%.120s", dm->name);

    /* Most inspections buy something and re-weigh it. */
    int nrw = chance(&g->rng, 600) ? (chance(&g->rng, 130) ? 2 : 1) : 0;
    const struct trait *t = &traits[s->trait];
    for (int k = 0; k < nrw; k++) {
        int rc = demo_reweigh(g, s, REWEIGH_AT_REFERENCE, dm->reference, t->short_lo,
                              t->short_hi, v.started_at, &v.reweigh[v.n_reweigh++]);
        if (rc < 0)
            return rc;
    }
    demo_checklist(g, s, day, &v);
    db_clock_set(v.ended_at);
    /* The rows db/visit writes for any visit; the lists once at the end. */
    int rc = visit_commit_bulk(g->db, &v, NULL);
    if (rc < 0)
        return rc;
    if (g->opt->on_visit != NULL)
        g->opt->on_visit(&v, g->opt->on_visit_arg);
    g->res->inspections++;
    g->res->findings += CHECK_ITEM_COUNT;
    g->res->reweighs += nrw;
    return 0;
}

static int history(struct gen *g)
{
    day_t start = day_add_months(g->today, -g->opt->months);
    int64_t expected = g->nstalls * g->opt->months * 5 / 6, done = 0;
    struct event *ev = NULL;
    size_t cap = 0;
    int rc = 0;
    for (int month = 0; month < g->opt->months && rc == 0; month++) {
        day_t from = day_add_months(start, month), to = day_add_months(start, month + 1);
        if (to > g->today)
            to = g->today;
        size_t n = 0;
        for (int64_t i = 0; i < g->nstalls; i++) {
            /* 0, 1 or 2 inspections a month: 25 %, 67 %, 8 %; now and
             * then a customer's complaint at the fair scale. */
            int64_t x = below(&g->rng, 100);
            int k = x < 25 ? 0 : x < 92 ? 1 : 2;
            int complaint = chance(&g->rng, traits[g->stalls[i].trait].complaints);
            for (int j = 0; j < k + complaint; j++) {
                if (n == cap) {
                    cap = cap ? cap * 2 : 4096;
                    struct event *p = realloc(ev, cap * sizeof *p);
                    if (p == NULL) {
                        free(ev);
                        return sc_error_set(SC_ERR_NOMEM, NULL);
                    }
                    ev = p;
                }
                day_t d = from + (day_t)below(&g->rng, to - from > 0 ? to - from : 1);
                /* The market's day, 08:00-16:00 local: 00:00-08:00 UTC. */
                int minute = 8 * 60 + (int)below(&g->rng, 8 * 60) - DEMO_UTC_OFFSET_MIN;
                ev[n].when = (int64_t)d * 1440 + minute;
                ev[n].stall = i;
                ev[n].complaint = j == k;
                n++;
            }
        }
        qsort(ev, n, sizeof *ev, by_when);
        for (size_t i = 0; i < n && rc == 0; i++) {
            rc = ev[i].complaint ? complain(g, &ev[i]) : inspect(g, &ev[i]);
            if ((++done & 1023) == 0)
                progress(g, "inspections", done, expected);
        }
    }
    free(ev);
    progress(g, "inspections", expected, expected);
    return rc;
}

int demo_generate(struct db *db, const struct demo_options *opt, struct demo_result *res)
{
    memset(res, 0, sizeof *res);
    if (opt->stalls < 1 || opt->stalls > DEMO_MAX_STALLS)
        return sc_error_set(SC_ERR_RANGE, "--stalls must be 1 to %d", DEMO_MAX_STALLS);
    if (opt->months < 0 || opt->months > 120)
        return sc_error_set(SC_ERR_RANGE, "--months must be 0 to 120");
    int64_t have = registry_count(db, "markets");
    if (have < 0)
        return (int)have;
    if (have > 0)
        return sc_error_set(SC_ERR_EXISTS, "the database already has %lld markets; demo-data "
                                           "fills an empty one",
                            (long long)have);
    struct gen g = {.db = db, .opt = opt, .res = res, .nstalls = opt->stalls};
    char today[16];
    if (opt->today)
        copy_str(today, sizeof today, opt->today);
    else
        db_today(today, sizeof today);
    int rc = day_parse(today, &g.today);
    if (rc < 0)
        return rc;
    rng_seed(&g.rng, opt->seed, 1);
    rng_seed(&g.ids.rng, opt->seed, 2);
    /* Start low enough that 2^48 ids never wrap. */
    g.ids.counter = (rng_next(&g.ids.rng) >> 20) & ((UINT64_C(1) << 47) - 1);
    db_uuid_source(fill_uuid_counted, &g.ids);
    set_clock(g.today, 8 * 60);
    db_bulk(db, 1);
    if ((rc = db_begin(db)) < 0)
        goto out;
    /* The device id from the system's RNG, not the seed: two demo handhelds
     * made from one seed are two devices to the district. */
    char device[DB_UUID_LEN];
    db_uuid_random(device);
    if ((rc = db_set_device_id(db, device)) < 0 || (rc = issuing_body(db)) < 0 ||
        (rc = registry(&g)) < 0 || (rc = officers(&g)) < 0 || (rc = history(&g)) < 0)
        goto fail;
    if (opt->scores) {
        struct rules rules;
        set_clock(g.today, 23 * 60); /* the day's end, local */
        if ((rc = lists_rules(db, NULL, &rules)) < 0)
            goto fail;
        int64_t n = lists_recompute(db, &rules, NULL, g.today);
        if (n < 0) {
            rc = (int)n;
            goto fail;
        }
    }
    rc = db_commit(db);
    goto out;
fail: {
    char keep[512];
    copy_str(keep, sizeof keep, sc_error_message());
    db_rollback(db);
    sc_error_set(rc, "%s", keep);
}
out:
    if (opt->progress)
        fputc('\n', stderr);
    db_bulk(db, 0);
    db_uuid_source(NULL, NULL);
    db_clock_set(NULL);
    free(g.markets);
    free(g.stalls);
    return rc;
}
