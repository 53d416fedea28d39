/* Who may do what: one table (see roles.h for the reasons). */
#include "core/roles.h"

#include <string.h>

#include "core/error.h"

static const char *const role_ids[ROLES_COUNT] = {"officer", "metrology", "manager", "admin"};

/* OWN: a manager may, for their own market only. */
enum { NO = 0, YES = 1, OWN = 2 };

static const unsigned char allowed[ROLE_ACT_COUNT][ROLES_COUNT] = {
    /*                    officer metrology manager admin */
    [ROLE_ACT_INSPECT]   = {YES,    NO,       NO,     NO},
    [ROLE_ACT_DRAW]      = {YES,    NO,       NO,     YES},
    /* The market's operator runs its fair scale (《集贸市场计量监督管理办法》). */
    [ROLE_ACT_FAIRSCALE] = {YES,    NO,       OWN,    NO},
    [ROLE_ACT_CALIBRATE] = {NO,     YES,      NO,     NO},
    [ROLE_ACT_READ]      = {YES,    YES,      OWN,    YES},
    /* Recomputing stores every stall's status: a change, not a read. */
    [ROLE_ACT_LISTS]     = {YES,    NO,       NO,     YES},
    [ROLE_ACT_DUE]       = {YES,    YES,      OWN,    YES},
    [ROLE_ACT_REGISTRY]  = {NO,     NO,       NO,     YES},
    [ROLE_ACT_USERS]     = {NO,     NO,       NO,     YES},
    [ROLE_ACT_SYNC]      = {YES,    YES,      NO,     YES},
    [ROLE_ACT_VERIFY]    = {YES,    YES,      YES,    YES},
};

static const struct {
    const char *id, *text;
} actions[ROLE_ACT_COUNT] = {
#define ROLE_ACTION_ROW(name, id, text) [name] = {id, text},
    ROLE_ACTION_LIST(ROLE_ACTION_ROW)
#undef ROLE_ACTION_ROW
};

const char *roles_id(enum roles_role r)
{
    return r >= 0 && r < ROLES_COUNT ? role_ids[r] : "none";
}

enum roles_role roles_from_id(const char *id)
{
    for (int r = 0; id && r < ROLES_COUNT; r++)
        if (strcmp(id, role_ids[r]) == 0)
            return (enum roles_role)r;
    return ROLES_NONE;
}

const char *roles_action_id(enum roles_action a)
{
    return a < ROLE_ACT_COUNT ? actions[a].id : "?";
}

const char *roles_action_text(enum roles_action a)
{
    return a < ROLE_ACT_COUNT ? actions[a].text : "?";
}

int roles_may(enum roles_role r, enum roles_action a)
{
    return r >= 0 && r < ROLES_COUNT && a < ROLE_ACT_COUNT && allowed[a][r] != NO;
}

enum roles_denial roles_denial(enum roles_role r, const char *own_market, enum roles_action a,
                               const char *market)
{
    if (!roles_may(r, a))
        return ROLES_DENY_ROLE;
    if (allowed[a][r] != OWN)
        return ROLES_ALLOWED;
    if (!own_market || !*own_market)
        return ROLES_DENY_NO_MARKET;
    if (!market)
        return ROLES_DENY_NAME_MARKET;
    return strcmp(market, own_market) != 0 ? ROLES_DENY_OTHER_MARKET : ROLES_ALLOWED;
}

int roles_check(enum roles_role r, const char *own_market, enum roles_action a, const char *market)
{
    switch (roles_denial(r, own_market, a, market)) {
    case ROLES_DENY_ROLE:
        return sc_error_set(SC_ERR_DENIED, "the %s role may not %s", roles_id(r),
                            roles_action_text(a));
    case ROLES_DENY_NO_MARKET:
        return sc_error_set(SC_ERR_DENIED, "this %s has no market of their own", roles_id(r));
    case ROLES_DENY_NAME_MARKET:
        return sc_error_set(SC_ERR_DENIED, "a %s reads only their own market: name it (%s)",
                            roles_id(r), own_market);
    case ROLES_DENY_OTHER_MARKET:
        if (a == ROLE_ACT_READ || a == ROLE_ACT_DUE)
            return sc_error_set(SC_ERR_DENIED, "a %s of market %s may not read market %s",
                                roles_id(r), own_market, market);
        return sc_error_set(SC_ERR_DENIED, "a %s of market %s may not %s in market %s",
                            roles_id(r), own_market, roles_action_text(a), market);
    default:
        return 0;
    }
}
