/* The screen table: the rows of tui/screens.def, and what the main loop
 * and the tests ask of a screen through it. */
#include "tui/screen.h"

#include <string.h>

#include "tui/checklist_screen.h"
#include "tui/fairscale.h"
#include "tui/ghost_screen.h"
#include "tui/managers.h"
#include "tui/misc_screens.h"
#include "tui/pick.h"
#include "tui/reweigh_screen.h"
#include "tui/scale_screen.h"
#include "tui/signin.h"
#include "tui/stall.h"
#include "tui/summary.h"
#include "tui/team.h"
#include "tui/verify_screens.h"
#include "tui/cal_screens.h"

#define STATE(type) .state_size = sizeof(type)
#define KEYS(...) .keys = (const enum tui_scope[]){__VA_ARGS__, SCOPE_GLOBAL, SCOPE_COUNT}

static const struct screen_ops SCREENS[SCR_COUNT] = {
#define SCREEN(id, ...) [id] = {.name = #id, __VA_ARGS__},
#include "tui/screens.def"
#undef SCREEN
};

/* While a field is being typed: the F-keys, Enter and Esc. */
static const enum tui_scope ENTRY_KEYS[] = {SCOPE_ENTRY, SCOPE_GLOBAL, SCOPE_COUNT};
static const enum tui_scope GLOBAL_KEYS[] = {SCOPE_GLOBAL, SCOPE_COUNT};

const struct screen_ops *screen_ops(enum tui_screen_id id)
{
    return (unsigned)id < SCR_COUNT ? &SCREENS[id] : NULL;
}

void screen_state_init(enum tui_screen_id id, void *state)
{
    const struct screen_ops *ops = screen_ops(id);
    if (ops == NULL || state == NULL)
        return;
    memset(state, 0, ops->state_size);
    if (ops->init != NULL)
        ops->init(state);
}

static int typing(const struct screen_ops *ops, const void *state)
{
    return ops->typing != NULL && ops->typing(state);
}

const enum tui_scope *screen_keys(enum tui_screen_id id, const void *state)
{
    const struct screen_ops *ops = screen_ops(id);
    if (ops == NULL)
        return GLOBAL_KEYS;
    /* A screen whose keys depend on its state says them, typing or not. */
    if (ops->keys_of != NULL)
        return ops->keys_of(state);
    return typing(ops, state) ? ENTRY_KEYS : ops->keys;
}

int screen_takes_text(enum tui_screen_id id, const void *state)
{
    const struct screen_ops *ops = screen_ops(id);
    return ops != NULL && (ops->text || typing(ops, state));
}
