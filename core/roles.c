/* Who may do what: one table (see roles.h for the reasons). */
#include "core/roles.h"

#include <string.h>

#include "core/error.h"

static const char *const role_ids[ROLE_COUNT] = {"officer", "metrology", "manager", "admin"};

/* OWN: a manager may, for their own market only. */
enum { NO = 0, YES = 1, OWN = 2 };

static const unsigned char allowed[ACTION_COUNT][ROLE_COUNT] = {
    /*                    officer metrology manager admin */
    [ACTION_INSPECT]   = {YES,    NO,       NO,     NO},
    [ACTION_DRAW]      = {YES,    NO,       NO,     YES},
    [ACTION_CALIBRATE] = {NO,     YES,      NO,     NO},
    [ACTION_READ]      = {YES,    YES,      OWN,    YES},
    [ACTION_DUE]       = {YES,    YES,      OWN,    YES},
    [ACTION_REGISTRY]  = {NO,     NO,       NO,     YES},
    [ACTION_USERS]     = {NO,     NO,       NO,     YES},
    [ACTION_SYNC]      = {YES,    YES,      NO,     YES},
    [ACTION_VERIFY]    = {YES,    YES,      YES,    YES},
};

static const struct {
    const char *id, *text;
} actions[ACTION_COUNT] = {
#define ROLE_ACTION_ROW(name, id, text) [name] = {id, text},
    ROLE_ACTION_LIST(ROLE_ACTION_ROW)
#undef ROLE_ACTION_ROW
};

const char *role_id(enum role r)
{
    return r >= 0 && r < ROLE_COUNT ? role_ids[r] : "none";
}

enum role role_from_id(const char *id)
{
    for (int r = 0; id && r < ROLE_COUNT; r++)
        if (strcmp(id, role_ids[r]) == 0)
            return (enum role)r;
    return ROLE_NONE;
}

const char *role_action_id(enum role_action a)
{
    return a < ACTION_COUNT ? actions[a].id : "?";
}

const char *role_action_text(enum role_action a)
{
    return a < ACTION_COUNT ? actions[a].text : "?";
}

int role_may(enum role r, enum role_action a)
{
    return r >= 0 && r < ROLE_COUNT && a < ACTION_COUNT && allowed[a][r] != NO;
}

int role_check(enum role r, const char *own_market, enum role_action a, const char *market)
{
    if (!role_may(r, a))
        return sc_error_set(SC_ERR_DENIED, "the %s role may not %s", role_id(r),
                            role_action_text(a));
    if (allowed[a][r] == OWN) {
        if (!own_market || !*own_market)
            return sc_error_set(SC_ERR_DENIED, "this %s has no market of their own",
                                role_id(r));
        if (!market)
            return sc_error_set(SC_ERR_DENIED,
                                "a %s reads only their own market: name it (%s)",
                                role_id(r), own_market);
        if (strcmp(market, own_market) != 0)
            return sc_error_set(SC_ERR_DENIED, "a %s of market %s may not read market %s",
                                role_id(r), own_market, market);
    }
    return 0;
}
