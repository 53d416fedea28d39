/* Re-weigh (复秤): one item of goods.  It opens with the cursor in the
 * declared weight (grams unless a unit is typed); Enter moves to the unit
 * price; a label scanned from the seller's price-computing scale as
 * "DECLARED;PRICE" ("500g;12.50") fills both.  The retail table's row is
 * the stall's registered category's (core/category.h), weighed against
 * the typed price by core/reweigh.h's rule; the officer may choose
 * another (Left/Right, or 3).  1 captures the reference scale's stable
 * reading, judges it, records it in the visit and goes back where it came
 * from (the checklist's re-weigh item, or the stall card) with the
 * verdict on the status line. */
#ifndef STALLCHECK_TUI_REWEIGH_SCREEN_H
#define STALLCHECK_TUI_REWEIGH_SCREEN_H

#include "core/reweigh.h"
#include "tui/screen.h"

enum reweigh_field { RW_NONE, RW_DECLARED, RW_PRICE };

/* The retail table's row the goods are judged by: the stall's registered
 * category's, weighed against the price by core/reweigh.h's rule, unless
 * the officer chose one.  Shared with the fair-scale station. */
struct reweigh_choice {
    int cat;                 /* enum reweigh_category; REWEIGH_NONE: by the price */
    int chosen;              /* the officer chose it: it applies as chosen */
};

struct reweigh_state {
    struct reweigh_choice row;
    int placed;              /* the stall's row taken (once, on entry) */
    enum reweigh_field field;
    char declared[24];
    char price[24];
};

void reweigh_init(void *state);
void reweigh_handle(void *state, struct session *ses, const struct tui_event *ev,
                    struct tui_reaction *rx);
void reweigh_draw(const void *state, const struct session *ses, int foot);
/* The declared weight or the price is being typed. */
int reweigh_typing(const void *state);
/* The keys: the entry keys and Left/Right while typing, else the screen's. */
const enum tui_scope *reweigh_keys(const void *state);
/* The keys while a mass or price is typed (the fair scale's form too). */
const enum tui_scope *reweigh_entry_keys(void);

/* The row of the retail table a stall category (core/category.h id) falls
 * in (REWEIGH_NONE when it has none). */
enum reweigh_category reweigh_stall_row(const char *category);

/* Where the row the goods would be judged by comes from, for the screen:
 * the officer's choice, the stall's category, or the price (the larger
 * deviation of the two rows, core/reweigh.h).  *cat: that row (REWEIGH_NONE
 * while neither a row nor a price is known).  declared and price as typed. */
enum reweigh_row_from { ROW_FROM_STALL, ROW_FROM_PRICE, ROW_FROM_OFFICER, ROW_FROM_NOTHING };
enum reweigh_row_from reweigh_row_applied(const struct reweigh_choice *r, const char *declared,
                                          const char *price, enum reweigh_category *cat);
/* The judge's input for it. */
struct reweigh_input reweigh_row_input(const struct reweigh_choice *r, int64_t declared,
                                       int64_t measured, int64_t price);
/* Left/Right (dir -1, +1): the next row, chosen by the officer. */
void reweigh_row_step(struct reweigh_choice *r, int dir);
/* "500g;12.50" in the mass charged: a label scanned from the seller's
 * price-computing scale, split into the mass and price (price_size bytes).
 * 1 when it was one. */
int reweigh_split_label(char *declared, char *price, size_t price_size);

/* What both weighing screens (re-weigh, fair scale) do alike with a key.
 * While a field has the cursor (field: its text): Backspace erases, the
 * row's keys (Left/Right) step it, Esc gives WEIGH_LEAVE.  Else (field
 * NULL): the row's keys, the scale's (retry, zero; on scale); the typing
 * key and Enter give WEIGH_TYPE, capture WEIGH_CAPTURE, any other key
 * WEIGH_OTHER with RX_UNHANDLED.  WEIGH_OTHER while typing: the screen's
 * own (Enter, next field), nothing done. */
enum weigh_key { WEIGH_DONE, WEIGH_TYPE, WEIGH_CAPTURE, WEIGH_LEAVE, WEIGH_OTHER };
enum weigh_key reweigh_form_key(struct reweigh_choice *row, char *field, int scale,
                                enum tui_action action, struct tui_reaction *rx);

/* The declared weight and the price as typed into µg and 分/kg: 0, or -1
 * with the status line saying what is wrong. */
int reweigh_parse_typed(const struct reweigh_choice *r, const char *declared, const char *price,
                        struct session *ses, int64_t *declared_ug, int64_t *price_fen);
/* Draws the row ("Category: < ... >", wrapped) and where it comes from,
 * from row y; returns the next row.  category: the stall's registered one. */
int reweigh_draw_row(int y, int foot, const struct reweigh_choice *r, const char *declared,
                     const char *price, const char *category);

#endif
