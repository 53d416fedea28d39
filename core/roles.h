/* Who may do what.  Four roles (officers table, column role):
 *
 *   officer    执法人员: inspects stalls, makes the draw, reads scores, lists,
 *              follow-ups and due dates of every market, syncs the handheld
 *   metrology  计量检定人员: verifies instruments (calibrations), reads due
 *              dates, syncs the handheld
 *   manager    市场管理方: reads the lists, scorecards, scores, follow-ups and
 *              due dates of their own market only
 *   admin      the bureau's administrator: the registry (import), officers
 *              and their PINs, recusals, the draw; reads everything; syncs
 *
 * Everyone may check the audit chain (verify is read-only and is how an
 * outsider checks the records).  The same function answers the CLI and the
 * TUI, so a screen never offers what the command would refuse.  Pure. */
#ifndef STALLCHECK_CORE_ROLES_H
#define STALLCHECK_CORE_ROLES_H

enum role {
    ROLE_NONE = -1,
    ROLE_OFFICER = 0,
    ROLE_METROLOGY,
    ROLE_MANAGER,
    ROLE_ADMIN,
    ROLE_COUNT
};

#define ROLE_ACTION_LIST(X) \
    X(ACTION_INSPECT,   "inspect",   "record inspections") \
    X(ACTION_DRAW,      "draw",      "make the random draw") \
    X(ACTION_CALIBRATE, "calibrate", "verify instruments") \
    X(ACTION_READ,      "read",      "read scores, lists and scorecards") \
    X(ACTION_DUE,       "due",       "read verification due dates") \
    X(ACTION_REGISTRY,  "registry",  "change the registry") \
    X(ACTION_USERS,     "users",     "manage officers and PINs") \
    X(ACTION_SYNC,      "sync",      "sync with the district database") \
    X(ACTION_VERIFY,    "verify",    "check the audit chain")

enum role_action {
#define ROLE_ACTION_ENUM(name, id, text) name,
    ROLE_ACTION_LIST(ROLE_ACTION_ENUM)
#undef ROLE_ACTION_ENUM
    ACTION_COUNT
};

/* "officer", "metrology", "manager", "admin" (the database's values). */
const char *role_id(enum role r);
enum role role_from_id(const char *id); /* ROLE_NONE when unknown */
const char *role_action_id(enum role_action a);
const char *role_action_text(enum role_action a);

/* Whether role r (a manager of own_market; NULL for other roles) may do
 * action a on market (NULL: every market, or no market in particular).
 * 0 when allowed; SC_ERR_DENIED when not, with the reason in
 * sc_error_message() ("a manager reads only market M1", ...). */
int role_check(enum role r, const char *own_market, enum role_action a, const char *market);

/* Whether the role may ever do the action (for menus: show or hide). */
int role_may(enum role r, enum role_action a);

#endif
