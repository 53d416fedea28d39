#include "tui/i18n.h"
#include "tui/reweigh_screen.h"

#include <stdio.h>
#include <string.h>

#include "core/mass.h"
#include "core/reweigh.h"
#include "tui/text.h"

void reweigh_init(void *state)
{
    struct reweigh_state *s = state;
    s->current = -1;
    s->cat = REWEIGH_GRAIN_VEG_FRUIT;
}

static int parse_inputs(struct reweigh_state *s, struct session *ses, int64_t *declared,
                        int64_t *price)
{
    if (s->declared[0] == '\0') {
        session_set_message(ses, N_("Type the declared weight: 2"), 1);
        return -1;
    }
    /* Without a unit the officer means grams: what a receipt shows. */
    if (mass_parse(s->declared, MASS_G, declared) < 0 || *declared <= 0) {
        session_set_message(ses, N_("Declared weight: a mass like 500, 500g, 1.2kg or 2斤"), 1);
        return -1;
    }
    *price = 0;
    if (s->price[0] != '\0' && reweigh_price_parse(s->price, price) < 0) {
        session_set_message(ses, N_("Unit price: yuan per kg like 12.50, or 6元/斤"), 1);
        return -1;
    }
    if (s->cat == REWEIGH_NONE && *price == 0) {
        session_set_message(ses, N_("Choose a category or type the unit price"), 1);
        return -1;
    }
    return 0;
}

static void capture(struct reweigh_state *s, struct session *ses, struct tui_reaction *rx)
{
    int64_t declared, price;
    if (parse_inputs(s, ses, &declared, &price) < 0)
        return;
    const struct tui_scale *sc = &ses->scales[SCALE_REFERENCE];
    if (!sc->configured || !sc->online) {
        session_set_message(ses, N_("The reference scale is offline: 4 retries"), 1);
        return;
    }
    const struct tui_reading *r = &sc->last;
    if (r->seq == 0 || !r->has_value || r->overload) {
        session_set_message(ses, N_("No weight on the reference scale yet"), 1);
        return;
    }
    if (!r->stable) {
        session_set_message(ses, N_("Wait for a stable reading"), 1);
        return;
    }
    struct reweigh_input in = {
        .cat = (enum reweigh_category)s->cat,
        .charged_ug = declared,
        .measured_ug = r->ug < 0 ? 0 : r->ug,
        .price_fen_per_kg = price,
    };
    /* Art. 6 (二): on the officer's reference scale. */
    struct visit_reweigh judged;
    memset(&judged, 0, sizeof judged);
    struct reweigh_verdict v;
    if (visit_reweigh_judge(&judged, &in, REWEIGH_AT_REFERENCE, &v) < 0) {
        session_set_message(ses, N_("Cannot judge this re-weigh: check the category and price"), 1);
        return;
    }
    if (s->current < 0) {
        if (ses->visit.n_reweigh >= VISIT_MAX_REWEIGH) {
            session_set_message(ses, N_("No room for more re-weighs in this inspection"), 1);
            return;
        }
        s->current = ses->visit.n_reweigh++;
    }
    struct visit_reweigh *w = &ses->visit.reweigh[s->current];
    *w = judged;
    text_copy(w->reference, sizeof w->reference, ses->day.reference_id);
    /* The reading behind the verdict, the frame's bytes as read (evidence). */
    w->has_reading = 1;
    w->reading.raw_len = r->raw_len < sizeof w->reading.raw ? r->raw_len : sizeof w->reading.raw;
    memcpy(w->reading.raw, r->raw, w->reading.raw_len);
    text_copy(w->reading.value, sizeof w->reading.value, r->text);
    text_copy(w->reading.unit, sizeof w->reading.unit, r->unit);
    text_copy(w->reading.driver, sizeof w->reading.driver, sc->driver);
    text_copy(w->reading.instrument, sizeof w->reading.instrument, ses->day.reference_id);
    w->reading.stable = r->stable;
    snprintf(s->reason, sizeof s->reason, "%s", v.reason);
    visit_reweigh_answer(&ses->visit);
    reaction_effect(rx, EFF_SAVE_DRAFT);
    session_set_message(ses, "", 0);
}

/* "500g;12.50": a label scanned from the seller's price-computing scale. */
static void scanned(struct reweigh_state *s, struct session *ses, const char *text)
{
    const char *semi = strchr(text, ';');
    size_t n = semi != NULL ? (size_t)(semi - text) : strlen(text);
    if (n >= sizeof s->declared)
        n = sizeof s->declared - 1;
    memcpy(s->declared, text, n);
    s->declared[n] = '\0';
    if (semi != NULL)
        snprintf(s->price, sizeof s->price, "%s", semi + 1);
    s->field = RW_NONE;
    session_set_message(ses, "", 0);
}

void reweigh_handle(void *state, struct session *ses, const struct tui_event *ev,
                    struct tui_reaction *rx)
{
    struct reweigh_state *s = state;
    rx->flags |= RX_REDRAW;
    switch (ev->kind) {
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
        scanned(s, ses, ev->text);
        return;
    case EV_ACTION:
        break;
    default:
        return;
    }
    if (s->field != RW_NONE) {
        switch (ev->action) {
        case ACT_ERASE:
            text_backspace(s->field == RW_DECLARED ? s->declared : s->price);
            break;
        case ACT_NEXT_FIELD:
            s->field = s->field == RW_DECLARED ? RW_PRICE : RW_DECLARED;
            break;
        case ACT_OK:
            if (s->field == RW_DECLARED) {
                s->field = RW_PRICE; /* Enter walks on, like a form */
            } else {
                s->field = RW_NONE;
            }
            break;
        case ACT_BACK:
            s->field = RW_NONE;
            break;
        default:
            rx->flags |= RX_UNHANDLED;
            break;
        }
        return;
    }
    size_t ncat;
    reweigh_categories(&ncat);
    switch (ev->action) {
    case ACT_UP:
        s->cat = (s->cat + (int)ncat) % ((int)ncat + 1);
        break;
    case ACT_DOWN:
        s->cat = (s->cat + 1) % ((int)ncat + 1);
        break;
    case ACT_TYPE_WEIGHT:
    case ACT_SELECT:
        s->field = RW_DECLARED;
        break;
    case ACT_CAPTURE:
        capture(s, ses, rx);
        break;
    case ACT_NEW_ITEM:
        s->current = -1;
        s->declared[0] = s->price[0] = '\0';
        s->reason[0] = '\0';
        s->field = RW_DECLARED;
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
