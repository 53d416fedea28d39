#include "tui/i18n.h"
#include "tui/fairscale.h"

#include <stdio.h>
#include <string.h>

#include "core/mass.h"
#include "tui/scale_view.h"
#include "tui/text.h"

void fair_init(void *state)
{
    struct fair_state *s = state;
    s->field = FAIR_STALL; /* ready to type (or scan) the stall's code */
}

static char *field_of(struct fair_state *s, size_t *size)
{
    switch (s->field) {
    case FAIR_GOODS: *size = sizeof s->goods; return s->goods;
    case FAIR_DECLARED: *size = sizeof s->declared; return s->declared;
    case FAIR_PRICE: *size = sizeof s->price; return s->price;
    default: *size = sizeof s->stall; return s->stall;
    }
}

static void look_up(struct fair_state *s, struct tui_reaction *rx)
{
    reaction_effect_stall(rx, EFF_FAIR_STALL, s->stall);
}

/* "500g;12.50" typed into the mass charged: a label scanned from the
 * stall's price-computing scale fills both. */
static int split_label(struct fair_state *s)
{
    char *semi = strchr(s->declared, ';');
    if (semi == NULL)
        return 0;
    *semi = '\0';
    text_copy(s->price, sizeof s->price, semi + 1);
    return 1;
}

static void capture(struct fair_state *s, struct session *ses, struct tui_reaction *rx)
{
    if (s->stall[0] == '\0' || strcmp(ses->fair.stall, s->stall) != 0) {
        session_set_message(ses, N_("Type the stall's code first (the stall complained about)"), 1);
        s->field = FAIR_STALL;
        return;
    }
    int64_t declared, price;
    if (reweigh_parse_typed(&s->row, s->declared, s->price, ses, &declared, &price) < 0)
        return;
    const struct tui_scale *sc = &ses->scales[SCALE_FAIR];
    if (!sc->configured || !sc->online) {
        session_set_message(ses, N_("The fair scale is offline: 4 retries"), 1);
        return;
    }
    const char *range = scale_out_of_range(&sc->last);
    if (range != NULL) {
        session_set_message(ses, range, 1);
        return;
    }
    if (sc->last.seq == 0 || !sc->last.has_value) {
        session_set_message(ses, N_("No weight on the fair scale yet"), 1);
        return;
    }
    if (!sc->last.stable) {
        session_set_message(ses, N_("Wait for a stable reading"), 1);
        return;
    }
    if (s->busy)
        return;
    s->busy = 1;
    struct tui_effect *e = reaction_effect(rx, EFF_FAIR_RECORD);
    text_copy(e->fair.stall, sizeof e->fair.stall, s->stall);
    text_copy(e->fair.goods, sizeof e->fair.goods, s->goods);
    e->fair.declared_ug = declared;
    e->fair.price_fen = price;
    e->fair.cat = s->row.cat;
    e->fair.chosen = s->row.chosen;
}

static void result(struct fair_state *s, struct session *ses, const struct tui_event *ev)
{
    if (ev->effect == EFF_FAIR_STALL) {
        if (ev->status != 0) {
            s->field = FAIR_STALL; /* the effect said why */
        } else if (!s->row.chosen) {
            s->row.cat = reweigh_stall_row(ses->fair.category);
        }
    } else if (ev->effect == EFF_FAIR_RECORD) {
        s->busy = 0;
        s->shown = ev->status == 0;
    }
}

/* Enter walks through the form; leaving the stall's code looks it up. */
static void next_field(struct fair_state *s, struct tui_reaction *rx)
{
    switch (s->field) {
    case FAIR_STALL:
        if (s->stall[0] != '\0')
            look_up(s, rx);
        s->field = FAIR_GOODS;
        break;
    case FAIR_GOODS:
        s->field = FAIR_DECLARED;
        break;
    case FAIR_DECLARED:
        s->field = split_label(s) ? FAIR_NONE : FAIR_PRICE;
        break;
    default:
        s->field = FAIR_NONE;
        break;
    }
}

static void typing_action(struct fair_state *s, const struct tui_event *ev,
                          struct tui_reaction *rx)
{
    size_t size;
    char *f = field_of(s, &size);
    switch (ev->action) {
    case ACT_ERASE:
        text_backspace(f);
        break;
    case ACT_OK:
        next_field(s, rx);
        break;
    case ACT_NEXT_FIELD:
        if (s->field == FAIR_STALL && s->stall[0] != '\0')
            look_up(s, rx);
        s->field = s->field == FAIR_PRICE ? FAIR_STALL : (enum fair_field)(s->field + 1);
        break;
    case ACT_CATEGORY_NEXT:
    case ACT_CATEGORY_PREV:
        reweigh_row_step(&s->row, ev->action == ACT_CATEGORY_NEXT ? 1 : -1);
        break;
    case ACT_BACK:
        s->field = FAIR_NONE;
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

/* The next customer: a clean form, the stall's code first. */
static void new_complaint(struct fair_state *s)
{
    memset(s->stall, 0, sizeof s->stall);
    s->goods[0] = s->declared[0] = s->price[0] = '\0';
    memset(&s->row, 0, sizeof s->row);
    s->shown = 0;
    s->field = FAIR_STALL;
}

/* A check on screen is recorded: the next customer, or its ticket again;
 * never recorded twice. */
static void recorded_action(struct fair_state *s, const struct tui_event *ev,
                            struct tui_reaction *rx)
{
    if (ev->action == ACT_NEW_COMPLAINT)
        new_complaint(s);
    else if (ev->action == ACT_PRINT)
        reaction_effect(rx, EFF_FAIR_PRINT);
    else
        rx->flags |= RX_UNHANDLED;
}

void fair_handle(void *state, struct session *ses, const struct tui_event *ev,
                 struct tui_reaction *rx)
{
    struct fair_state *s = state;
    rx->flags |= RX_REDRAW;
    switch (ev->kind) {
    case EV_ENTER:
        if (!s->opened) {
            s->opened = 1;
            reaction_effect(rx, EFF_FAIR_OPEN);
        }
        return;
    case EV_READING:
    case EV_DEVICE:
        if (ev->which != SCALE_FAIR)
            rx->flags &= ~(unsigned)RX_REDRAW;
        return;
    case EV_CHAR: {
        size_t size;
        char *f = field_of(s, &size);
        /* Codes and masses are ASCII and units; what was bought may be Chinese. */
        if (ev->ch > ' ' || (s->field == FAIR_GOODS && ev->ch == ' '))
            text_append(f, size, ev->ch);
        return;
    }
    case EV_SCAN:
        /* A stall code scanned at the desk: the next customer's, when a
         * check is on screen. */
        if (s->shown)
            new_complaint(s);
        text_copy(s->stall, sizeof s->stall, ev->text);
        look_up(s, rx);
        s->field = FAIR_GOODS;
        return;
    case EV_RESULT:
        result(s, ses, ev);
        return;
    case EV_ACTION:
        break;
    default:
        return;
    }
    if (s->field != FAIR_NONE) {
        typing_action(s, ev, rx);
        return;
    }
    if (s->shown) {
        recorded_action(s, ev, rx);
        return;
    }
    switch (ev->action) {
    case ACT_CATEGORY_NEXT:
    case ACT_CATEGORY_PREV:
        reweigh_row_step(&s->row, ev->action == ACT_CATEGORY_NEXT ? 1 : -1);
        break;
    case ACT_TYPE_WEIGHT:
    case ACT_SELECT:
        s->field = FAIR_DECLARED;
        break;
    case ACT_CAPTURE:
        capture(s, ses, rx);
        break;
    case ACT_RETRY:
        reaction_effect(rx, EFF_DEVICE_RETRY)->scale = SCALE_FAIR;
        break;
    case ACT_ZERO:
        reaction_effect(rx, EFF_DEVICE_ZERO)->scale = SCALE_FAIR;
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

int fair_typing(const void *state)
{
    const struct fair_state *s = state;
    return s->field != FAIR_NONE;
}

const enum tui_scope *fair_keys(const void *state)
{
    static const enum tui_scope typing[] = {SCOPE_REWEIGH_ENTRY, SCOPE_ENTRY, SCOPE_GLOBAL,
                                            SCOPE_COUNT};
    static const enum tui_scope plain[] = {SCOPE_FAIR, SCOPE_LIST, SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope recorded[] = {SCOPE_FAIR_DONE, SCOPE_GLOBAL, SCOPE_COUNT};
    const struct fair_state *s = state;
    if (fair_typing(state))
        return typing;
    return s->shown ? recorded : plain;
}
