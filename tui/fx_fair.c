/* Effects of the fair-scale station (公平秤): the market's fair scale
 * found and connected, the stall complained about looked up, the check
 * recorded (db/fairscale.h, as `stallcheck fairscale` records it) and its
 * ticket printed on the receipt printer through report/output.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/day.h"
#include "core/error.h"
#include "db/fairscale.h"
#include "db/officer.h"
#include "db/registry.h"
#include "report/fairscale.h"
#include "report/output.h"
#include "report/site_path.h"
#include "tui/fx_area.h"
#include "tui/i18n.h"
#include "tui/scale_view.h"
#include "tui/text.h"

/* The receipt printer when neither the command line nor the setting
 * names one: none. */
#define PRINTER_SETTING "receipt_printer"

struct fx_fair {
    struct stall stall;             /* the stall of the last check */
    struct fairscale_result result; /* the last check, as recorded */
    int have;
};

void fx_fair_free(struct fx *fx)
{
    free(fx->fair);
    fx->fair = NULL;
}

struct fair_find {
    char code[VISIT_CODE_MAX];
    char conn[256];
};

static int first_fair(const struct instrument *in, void *arg)
{
    struct fair_find *f = arg;
    if (!in->active || f->code[0] != '\0')
        return 0;
    text_copy(f->code, sizeof f->code, in->code);
    text_copy(f->conn, sizeof f->conn, in->conn);
    return 1;
}

int fx_fair_open(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    struct fair_find f = {{0}, {0}};
    registry_instruments_by_market(fx->db, ses->day.market, "fair", first_fair, &f);
    text_copy(ses->fair.scale, sizeof ses->fair.scale, f.code);
    /* Its cable, unless the command line gave the fair scale. */
    if (f.conn[0] != '\0')
        scales_use(fx->scales, ses, SCALE_FAIR, f.conn);
    if (f.code[0] == '\0')
        session_message(ses, 1, _("Market %s has no fair scale registered"), ses->day.market);
    return 0;
}

int fx_fair_stall(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    struct stall st;
    struct session_fair *f = &ses->fair;
    f->stall[0] = f->stall_name[0] = f->category[0] = '\0';
    if (registry_find_stall(fx->db, eff->stall, &st) < 0) {
        session_message(ses, 1, "%s: %s", _("No such stall"), eff->stall);
        return SC_ERR_NOTFOUND;
    }
    int rc = fx_allowed(fx, ses, ROLE_ACT_FAIRSCALE, st.market);
    if (rc < 0)
        return rc;
    text_copy(f->stall, sizeof f->stall, st.code);
    text_copy(f->stall_name, sizeof f->stall_name, st.name);
    text_copy(f->category, sizeof f->category, st.category);
    return 0;
}

/* The ticket of the last check, on the receipt printer. */
static int print_ticket(struct fx *fx, struct session *ses)
{
    struct session_fair *f = &ses->fair;
    char printer[256] = "";
    if (fx->opt.printer != NULL)
        text_copy(printer, sizeof printer, fx->opt.printer);
    else
        db_setting_get(fx->db, PRINTER_SETTING, printer, sizeof printer);
    if (printer[0] == '\0') {
        f->printed = 0;
        snprintf(f->printer, sizeof f->printer, "%s",
                 _("no receipt printer set (stallcheck settings receipt_printer CONN)"));
        return 0;
    }
    struct officer checker;
    if (officer_find(fx->db, ses->badge, &checker) < 0)
        memset(&checker, 0, sizeof checker);
    char base_url[512] = "";
    if (db_setting_get(fx->db, SITE_BASE_SETTING, base_url, sizeof base_url) < 0 ||
        !site_base_valid(base_url))
        base_url[0] = '\0';
    const struct fairscale_result *r = &fx->fair->result;
    struct fair_ticket t = {
        .stall = &fx->fair->stall, .checker = &checker, .visit = &r->visit, .verdict = &r->verdict,
        .owed_fen = r->owed_fen, .multiple = fx->rules.fairscale_compensation_multiple,
        .scale = f->scale, .read = 1, .record = r->record, .has_score = r->has_score,
        .score = r->score, .list = r->list, .base_url = base_url};
    struct card *card = fair_ticket_card(&t);
    int rc = card == NULL ? sc_error_set(SC_ERR_NOMEM, "the ticket") : 0;
    struct report_to to = {.format = REPORT_ESCPOS, .printer = printer};
    if (rc == 0)
        rc = report_cards(&card, 1, &to);
    card_free(card);
    f->printed = rc < 0 ? -1 : 1;
    if (rc < 0)
        snprintf(f->printer, sizeof f->printer, "%s", i18n_printer_error(rc));
    else {
        /* The printer by its port's name (rfcomm0), as the officer knows it. */
        const char *slash = printer[0] == '/' ? strrchr(printer, '/') : NULL;
        text_copy(f->printer, sizeof f->printer, slash != NULL ? slash + 1 : printer);
    }
    return rc;
}

int fx_fair_record(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    struct session_fair *f = &ses->fair;
    const struct tui_scale *sc = &ses->scales[SCALE_FAIR];
    if (fx->fair == NULL && (fx->fair = calloc(1, sizeof *fx->fair)) == NULL)
        return SC_ERR_NOMEM;
    struct fx_fair *ff = fx->fair;
    int rc;
    if ((rc = registry_find_stall(fx->db, eff->fair.stall, &ff->stall)) < 0) {
        session_message(ses, 1, "%s: %s", _("No such stall"), eff->fair.stall);
        return rc;
    }
    if ((rc = fx_allowed(fx, ses, ROLE_ACT_FAIRSCALE, ff->stall.market)) < 0)
        return rc;
    day_t today;
    if ((rc = day_parse(ses->today, &today)) < 0)
        return rc;
    struct visit_reading evidence;
    scale_evidence(sc, f->scale, &evidence);
    db_now(evidence.taken_at, sizeof evidence.taken_at);
    struct fairscale_check check = {
        .stall = &ff->stall, .badge = ses->badge, .goods = eff->fair.goods, .scale = f->scale,
        .in = {.cat = (enum reweigh_category)eff->fair.cat, .charged_ug = eff->fair.declared_ug,
               .measured_ug = sc->last.ug < 0 ? 0 : sc->last.ug,
               .price_fen_per_kg = eff->fair.price_fen,
               .row = eff->fair.chosen && eff->fair.cat != REWEIGH_NONE ? REWEIGH_ROW_KIND
                                                                       : REWEIGH_ROW_LARGER},
        .reading = &evidence};
    ff->have = 0;
    if (!fx->have_rules) {
        session_message(ses, 1, "%s", _("No scoring rules loaded: the check cannot be scored"));
        return SC_ERR_NOTFOUND;
    }
    if ((rc = fairscale_record(fx->db, &fx->rules, today, &check, &ff->result)) < 0) {
        session_message(ses, 1, "%s: %s", _("Not recorded"), sc_error_message());
        return rc;
    }
    ff->have = 1;
    const struct fairscale_result *r = &ff->result;
    const struct visit_reweigh *w = &r->visit.reweigh[0];
    f->recorded = 1;
    text_copy(f->record, sizeof f->record, r->record);
    text_copy(f->recorded_stall, sizeof f->recorded_stall, ff->stall.code);
    f->verdict = w->verdict;
    f->declared_ug = w->declared_ug;
    f->measured_ug = w->measured_ug;
    f->shortfall_ug = w->shortfall_ug;
    f->allowed_ug = w->allowed_ug;
    f->money_short_fen = w->money_short_fen;
    f->owed_fen = r->owed_fen;
    f->multiple = fx->rules.fairscale_compensation_multiple;
    print_ticket(fx, ses);
    session_message(ses, r->verdict.outcome == REWEIGH_FAIL, "%s %s", _("Fair-scale check recorded:"),
                    ff->stall.code);
    return 0;
}

int fx_fair_print(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    if (fx->fair == NULL || !fx->fair->have) {
        session_message(ses, 1, "%s", _("No check recorded yet: nothing to print"));
        return SC_ERR_NOTFOUND;
    }
    int rc = print_ticket(fx, ses);
    if (rc < 0)
        session_message(ses, 1, "%s: %s", _("Not printed"), ses->fair.printer);
    else if (ses->fair.printed)
        session_message(ses, 0, "%s %s", _("Ticket printed on"), ses->fair.printer);
    return rc;
}
