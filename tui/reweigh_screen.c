#include "tui/i18n.h"
#include "tui/reweigh_screen.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/category.h"
#include "core/mass.h"
#include "tui/scale_view.h"
#include "tui/text.h"

void reweigh_init(void *state)
{
    struct reweigh_state *s = state;
    /* Ready to type: the declared weight first (the goods are on the
     * reference scale while the officer reads the seller's label). */
    s->field = RW_DECLARED;
}

enum reweigh_category reweigh_stall_row(const char *category)
{
    const struct category_info *c = category_find(category);
    enum reweigh_category cat = REWEIGH_NONE;
    if (c == NULL || reweigh_category_parse(c->reweigh, &cat) < 0)
        return REWEIGH_NONE;
    return cat;
}

int reweigh_parse_typed(const struct reweigh_choice *r, const char *declared_text,
                        const char *price_text, struct session *ses, int64_t *declared,
                        int64_t *price)
{
    if (declared_text[0] == '\0') {
        session_set_message(ses, N_("Type the declared weight: 2"), 1);
        return -1;
    }
    /* Without a unit the officer means grams: what a receipt shows. */
    if (mass_parse(declared_text, MASS_G, declared) < 0 || *declared <= 0) {
        session_set_message(ses, N_("Declared weight: a mass like 500, 500g, 1.2kg or 2斤"), 1);
        return -1;
    }
    *price = 0;
    if (price_text[0] != '\0' && reweigh_price_parse(price_text, price) < 0) {
        session_set_message(ses, N_("Unit price: yuan per kg like 12.50, or 6元/斤"), 1);
        return -1;
    }
    if (r->cat == REWEIGH_NONE && *price == 0) {
        session_set_message(ses, N_("Type the unit price, or choose a category (Left/Right)"), 1);
        return -1;
    }
    return 0;
}

struct reweigh_input reweigh_row_input(const struct reweigh_choice *r, int64_t declared,
                                       int64_t measured, int64_t price)
{
    return (struct reweigh_input){
        .cat = (enum reweigh_category)r->cat,
        .charged_ug = declared,
        .measured_ug = measured,
        .price_fen_per_kg = price,
        /* The stall's row is weighed against the price's (the larger
         * deviation, core/reweigh.h); a row the officer chose applies. */
        .row = r->chosen && r->cat != REWEIGH_NONE ? REWEIGH_ROW_KIND : REWEIGH_ROW_LARGER,
    };
}

enum reweigh_row_from reweigh_row_applied(const struct reweigh_choice *r, const char *declared_text,
                                          const char *price_text, enum reweigh_category *cat)
{
    *cat = (enum reweigh_category)r->cat;
    int64_t declared = 0, price = 0;
    int have_mass = mass_parse(declared_text, MASS_G, &declared) == 0 && declared > 0;
    int have_price = price_text[0] != '\0' && reweigh_price_parse(price_text, &price) == 0;
    if (r->chosen && r->cat != REWEIGH_NONE)
        return ROW_FROM_OFFICER;
    if (!have_price)
        return r->cat == REWEIGH_NONE ? ROW_FROM_NOTHING : ROW_FROM_STALL;
    if (!have_mass) {
        if (r->cat != REWEIGH_NONE)
            return ROW_FROM_STALL;
        return reweigh_category_by_price(price, cat) == 0 ? ROW_FROM_PRICE : ROW_FROM_NOTHING;
    }
    /* The row the judge would apply to this mass and price. */
    struct reweigh_input in = reweigh_row_input(r, declared, declared, price);
    struct reweigh_verdict v;
    if (reweigh_judge(&in, &v) < 0)
        return r->cat == REWEIGH_NONE ? ROW_FROM_NOTHING : ROW_FROM_STALL;
    *cat = v.cat;
    return v.cat == (enum reweigh_category)r->cat ? ROW_FROM_STALL : ROW_FROM_PRICE;
}

/* The verdict on the status line, in the screen's language. */
static void say_verdict(struct session *ses, const struct visit_reweigh *w)
{
    char sh[24], al[24], meas[24];
    mass_format(w->shortfall_ug, MASS_G, sh, sizeof sh);
    mass_format(w->allowed_ug, MASS_G, al, sizeof al);
    mass_format(w->measured_ug, MASS_G, meas, sizeof meas);
    if (w->verdict == REWEIGH_FAIL)
        session_message(ses, 1, _("Re-weigh: SHORT WEIGHT, %s g short (%s g allowed), ¥%" PRId64
                                  ".%02" PRId64),
                        sh, al, w->money_short_fen / 100, w->money_short_fen % 100);
    else if (w->verdict == REWEIGH_PASS)
        session_message(ses, 0, _("Re-weigh: within tolerance, %s g measured (%s g allowed)"),
                        meas, al);
    else
        session_message(ses, 1, "%s", _("Re-weigh: outside the table, no verdict; n/a with a note"));
}

static void capture(struct reweigh_state *s, struct session *ses, struct tui_reaction *rx)
{
    int64_t declared, price;
    if (reweigh_parse_typed(&s->row, s->declared, s->price, ses, &declared, &price) < 0)
        return;
    const struct tui_scale *sc = &ses->scales[SCALE_REFERENCE];
    if (!sc->configured || !sc->online) {
        session_set_message(ses, N_("The reference scale is offline: 4 retries"), 1);
        return;
    }
    const struct tui_reading *r = &sc->last;
    const char *range = scale_out_of_range(r);
    if (range != NULL) {
        session_set_message(ses, range, 1);
        return;
    }
    if (r->seq == 0 || !r->has_value) {
        session_set_message(ses, N_("No weight on the reference scale yet"), 1);
        return;
    }
    if (!r->stable) {
        session_set_message(ses, N_("Wait for a stable reading"), 1);
        return;
    }
    if (ses->visit.n_reweigh >= VISIT_MAX_REWEIGH) {
        session_set_message(ses, N_("No room for more re-weighs in this inspection"), 1);
        return;
    }
    struct reweigh_input in = reweigh_row_input(&s->row, declared, r->ug < 0 ? 0 : r->ug, price);
    /* Art. 6 (二): on the officer's reference scale. */
    struct visit_reweigh judged;
    memset(&judged, 0, sizeof judged);
    if (visit_reweigh_judge(&judged, &in, REWEIGH_AT_REFERENCE, NULL) < 0) {
        session_set_message(ses, N_("Cannot judge this re-weigh: check the category and price"), 1);
        return;
    }
    struct visit_reweigh *w = &ses->visit.reweigh[ses->visit.n_reweigh++];
    *w = judged;
    text_copy(w->reference, sizeof w->reference, ses->day.reference_id);
    /* The reading behind the verdict, the frame's bytes as read (evidence). */
    w->has_reading = 1;
    scale_evidence(sc, ses->day.reference_id, &w->reading);
    visit_reweigh_answer(&ses->visit);
    reaction_effect(rx, EFF_SAVE_DRAFT);
    say_verdict(ses, w);
    /* Back where it was opened: the checklist's item now answered. */
    rx->flags |= RX_POP;
}

/* "500g;12.50": a label scanned from the seller's price-computing scale,
 * into the declared weight and the price. */
static int split_label(struct reweigh_state *s)
{
    char *semi = strchr(s->declared, ';');
    if (semi == NULL)
        return 0;
    *semi = '\0';
    text_copy(s->price, sizeof s->price, semi + 1);
    return 1;
}

void reweigh_row_step(struct reweigh_choice *r, int dir)
{
    size_t ncat;
    reweigh_categories(&ncat);
    int n = (int)ncat + 1; /* and "by the price" */
    r->cat = (r->cat + n + dir) % n;
    r->chosen = 1;
}

static void typing_action(struct reweigh_state *s, const struct tui_event *ev,
                          struct tui_reaction *rx)
{
    char *f = s->field == RW_DECLARED ? s->declared : s->price;
    switch (ev->action) {
    case ACT_ERASE:
        text_backspace(f);
        break;
    case ACT_NEXT_FIELD:
        s->field = s->field == RW_DECLARED ? RW_PRICE : RW_DECLARED;
        break;
    case ACT_OK:
        /* Enter walks on, like a form; a scanned label fills both. */
        if (s->field == RW_DECLARED && !split_label(s))
            s->field = RW_PRICE;
        else
            s->field = RW_NONE;
        break;
    case ACT_CATEGORY_NEXT:
    case ACT_CATEGORY_PREV:
        reweigh_row_step(&s->row, ev->action == ACT_CATEGORY_NEXT ? 1 : -1);
        break;
    case ACT_BACK:
        s->field = RW_NONE;
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

void reweigh_handle(void *state, struct session *ses, const struct tui_event *ev,
                    struct tui_reaction *rx)
{
    struct reweigh_state *s = state;
    rx->flags |= RX_REDRAW;
    switch (ev->kind) {
    case EV_ENTER:
        if (!s->placed) {
            s->placed = 1;
            s->row.cat = reweigh_stall_row(ses->card.category);
        }
        return;
    case EV_READING:
    case EV_DEVICE:
        if (ev->which != SCALE_REFERENCE)
            rx->flags &= ~(unsigned)RX_REDRAW;
        return;
    case EV_CHAR: {
        char *f = s->field == RW_DECLARED ? s->declared : s->price;
        if (ev->ch > ' ')
            text_append(f, sizeof s->declared, ev->ch);
        return;
    }
    case EV_SCAN:
        /* A label scanned while no field has the cursor. */
        text_copy(s->declared, sizeof s->declared, ev->text);
        if (!split_label(s))
            s->price[0] = '\0';
        s->field = RW_NONE;
        return;
    case EV_ACTION:
        break;
    default:
        return;
    }
    if (s->field != RW_NONE) {
        typing_action(s, ev, rx);
        return;
    }
    switch (ev->action) {
    case ACT_CATEGORY_NEXT:
    case ACT_CATEGORY_PREV:
        reweigh_row_step(&s->row, ev->action == ACT_CATEGORY_NEXT ? 1 : -1);
        break;
    case ACT_TYPE_WEIGHT:
    case ACT_SELECT:
        s->field = RW_DECLARED;
        break;
    case ACT_CAPTURE:
        capture(s, ses, rx);
        break;
    case ACT_RETRY:
        reaction_effect(rx, EFF_DEVICE_RETRY)->scale = SCALE_REFERENCE;
        break;
    case ACT_ZERO:
        reaction_effect(rx, EFF_DEVICE_ZERO)->scale = SCALE_REFERENCE;
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

int reweigh_typing(const void *state)
{
    const struct reweigh_state *s = state;
    return s->field != RW_NONE;
}

const enum tui_scope *reweigh_keys(const void *state)
{
    static const enum tui_scope typing[] = {SCOPE_REWEIGH_ENTRY, SCOPE_ENTRY, SCOPE_GLOBAL,
                                            SCOPE_COUNT};
    static const enum tui_scope plain[] = {SCOPE_REWEIGH, SCOPE_LIST, SCOPE_GLOBAL, SCOPE_COUNT};
    return reweigh_typing(state) ? typing : plain;
}
