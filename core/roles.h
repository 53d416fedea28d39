/* Who may do what.  Four roles (officers table, column role):
 *
 *   officer    执法人员: inspects stalls, makes the draw, records fair-scale
 *              checks, reads scores, lists, follow-ups and due dates of every
 *              market, syncs the handheld
 *   metrology  计量检定人员: verifies instruments (calibrations), reads due
 *              dates, syncs the handheld
 *   manager    市场管理方: reads (and prints) the lists, scorecards, scores,
 *              follow-ups and due dates of their own market only, changing
 *              no record (recomputing the lists stores every stall's status:
 *              the officers' and the admin's), and records the checks of
 *              their own market's fair scale (公平秤 gongpingcheng: the market's
 *              operator provides it and its checker names the ticket, 《集贸市场
 *              计量监督管理办法》 market metrology supervision measures)
 *   admin      the bureau's administrator: the registry (import), officers
 *              and their PINs, recusals, the draw; reads everything; syncs
 *
 * Everyone may check the audit chain (verify is read-only and is how an
 * outsider checks the records).  The same function answers the CLI and the
 * TUI, so a screen never offers what the command would refuse.  Pure. */
#ifndef STALLCHECK_CORE_ROLES_H
#define STALLCHECK_CORE_ROLES_H

enum roles_role {
    ROLES_NONE = -1,
    ROLES_OFFICER = 0,
    ROLES_METROLOGY,
    ROLES_MANAGER,
    ROLES_ADMIN,
    ROLES_COUNT
};

#define ROLE_ACTION_LIST(X) \
    X(ROLE_ACT_INSPECT,   "inspect",   "record inspections") \
    X(ROLE_ACT_DRAW,      "draw",      "make the random draw") \
    X(ROLE_ACT_FAIRSCALE, "fairscale", "record fair-scale checks") \
    X(ROLE_ACT_CALIBRATE, "calibrate", "verify instruments") \
    X(ROLE_ACT_READ,      "read",      "read scores, lists and scorecards") \
    X(ROLE_ACT_LISTS,     "lists",     "recompute and store the red/black lists") \
    X(ROLE_ACT_DUE,       "due",       "read verification due dates") \
    X(ROLE_ACT_REGISTRY,  "registry",  "change the registry") \
    X(ROLE_ACT_USERS,     "users",     "manage officers and PINs") \
    X(ROLE_ACT_SYNC,      "sync",      "sync with the district database") \
    X(ROLE_ACT_VERIFY,    "verify",    "check the audit chain")

enum roles_action {
#define ROLE_ACTION_ENUM(name, id, text) name,
    ROLE_ACTION_LIST(ROLE_ACTION_ENUM)
#undef ROLE_ACTION_ENUM
    ROLE_ACT_COUNT
};

/* "officer", "metrology", "manager", "admin" (the database's values). */
const char *roles_id(enum roles_role r);
enum roles_role roles_from_id(const char *id); /* ROLES_NONE when unknown */
const char *roles_action_id(enum roles_action a);
const char *roles_action_text(enum roles_action a);

/* Whether role r (a manager of own_market; NULL for other roles) may do
 * action a on market (NULL: every market, or no market in particular).
 * 0 when allowed; SC_ERR_DENIED when not, with the reason in
 * sc_error_message() ("a manager reads only market M1", ...). */
int roles_check(enum roles_role r, const char *own_market, enum roles_action a, const char *market);

/* Why roles_check refuses, for a screen to say it in its own language
 * (core has no gettext; the TUI's words are tui/i18n.h's). */
enum roles_denial {
    ROLES_ALLOWED = 0,
    ROLES_DENY_ROLE,         /* the role may never do the action */
    ROLES_DENY_NO_MARKET,    /* a role held to its market, without one */
    ROLES_DENY_NAME_MARKET,  /* ... asking for every market: it names its own */
    ROLES_DENY_OTHER_MARKET, /* ... asking for another market than its own */
};
enum roles_denial roles_denial(enum roles_role r, const char *own_market, enum roles_action a,
                               const char *market);

/* Whether the role may ever do the action (for menus: show or hide). */
int roles_may(enum roles_role r, enum roles_action a);

#endif
