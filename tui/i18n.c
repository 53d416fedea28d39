#include "tui/i18n.h"

#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

static char bound_dir[PATH_MAX];

/* build/stallcheck -> build/locale, when that directory exists: running from
 * the tree finds the catalogues the Makefile just built. */
static int tree_localedir(char *out, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return -1;
    *slash = '\0';
    /* Unit tests live in build/tests/: look one level up too. */
    for (int up = 0; up < 2; up++) {
        struct stat st;
        if (snprintf(out, size, "%s/locale", exe) < (int)size && stat(out, &st) == 0 &&
            S_ISDIR(st.st_mode))
            return 0;
        slash = strrchr(exe, '/');
        if (slash == NULL)
            break;
        *slash = '\0';
    }
    return -1;
}

void i18n_init(const char *lang)
{
    const char *codeset = nl_langinfo(CODESET);
    if (codeset == NULL || strcmp(codeset, "UTF-8") != 0) {
        /* LANG=C or unset: Chinese needs a UTF-8 character type.  C.UTF-8
         * keeps the messages English unless lang says otherwise. */
        if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
            setlocale(LC_CTYPE, "en_US.UTF-8");
    }
    if (lang != NULL && *lang != '\0') {
        /* gettext ignores LANGUAGE under the C locale for messages. */
        char name[64];
        snprintf(name, sizeof name, "%s.UTF-8", strcmp(lang, "en") == 0 ? "en_US" : lang);
        if (setlocale(LC_MESSAGES, name) == NULL)
            setlocale(LC_MESSAGES, "C.UTF-8");
        setenv("LANGUAGE", lang, 1);
    }
    if (tree_localedir(bound_dir, sizeof bound_dir) != 0)
        snprintf(bound_dir, sizeof bound_dir, "%s", LOCALEDIR);
    bindtextdomain("stallcheck", bound_dir);
    bind_textdomain_codeset("stallcheck", "UTF-8");
    textdomain("stallcheck");
}

const char *i18n_localedir(void)
{
    return bound_dir;
}

const char *i18n_list(enum score_list list)
{
    switch (list) {
    case SCORE_LIST_RED: return _("red list");
    case SCORE_LIST_BLACK: return _("black list");
    default: return _("not on a list");
    }
}

const char *i18n_grade(enum score_grade grade)
{
    switch (grade) {
    case SCORE_GRADE_RED: return _("red star");
    case SCORE_GRADE_GREEN: return _("green star");
    case SCORE_GRADE_YELLOW: return _("yellow star");
    default: return _("black star");
    }
}

/* core/roles.h's roles and actions as the screens name them. */
static const char *const role_nouns[ROLES_COUNT] = {
    N_("an officer"), N_("metrology staff"), N_("a market manager"), N_("an administrator")};
const char *const i18n_role_action_msgids[ROLE_ACT_COUNT] = {
    [ROLE_ACT_INSPECT] = N_("record inspections"),
    [ROLE_ACT_DRAW] = N_("make the random draw"),
    [ROLE_ACT_FAIRSCALE] = N_("record fair-scale checks"),
    [ROLE_ACT_CALIBRATE] = N_("verify instruments"),
    [ROLE_ACT_READ] = N_("read scores, lists and scorecards"),
    [ROLE_ACT_LISTS] = N_("recompute and store the red/black lists"),
    [ROLE_ACT_DUE] = N_("read verification due dates"),
    [ROLE_ACT_REGISTRY] = N_("change the registry"),
    [ROLE_ACT_USERS] = N_("manage officers and PINs"),
    [ROLE_ACT_SYNC] = N_("sync with the district database"),
    [ROLE_ACT_VERIFY] = N_("check the audit chain"),
};

int i18n_roles_check(enum roles_role r, const char *own_market, enum roles_action a,
                     const char *market)
{
    if (r < 0 || r >= ROLES_COUNT)
        return sc_error_set(SC_ERR_DENIED, "%s", _("sign in first"));
    const char *who = _(role_nouns[r]);
    switch (roles_denial(r, own_market, a, market)) {
    case ROLES_DENY_ROLE:
        return sc_error_set(SC_ERR_DENIED, _("%s may not %s"), who,
                            a < ROLE_ACT_COUNT ? _(i18n_role_action_msgids[a]) : "?");
    case ROLES_DENY_NO_MARKET:
        return sc_error_set(SC_ERR_DENIED, _("%s without a market of their own"), who);
    case ROLES_DENY_NAME_MARKET:
        return sc_error_set(SC_ERR_DENIED, _("%s reads only their own market: name it (%s)"),
                            who, own_market);
    case ROLES_DENY_OTHER_MARKET:
        if (a == ROLE_ACT_READ || a == ROLE_ACT_DUE)
            return sc_error_set(SC_ERR_DENIED, _("%s of market %s may not read market %s"), who,
                                own_market, market);
        return sc_error_set(SC_ERR_DENIED, _("%s of market %s may not %s in market %s"), who,
                            own_market, _(i18n_role_action_msgids[a]), market);
    default:
        return 0;
    }
}

const char *i18n_feed_refusal(int rc)
{
    switch (rc) {
    case SC_ERR_AGAIN: return _("The reading is not stable: wait for the stable sign");
    case SC_ERR_RANGE: return _("Every step is done: no step waits for a reading");
    case SC_ERR_NOMEM: return _("Out of memory: the reading was not taken");
    /* SC_ERR_ARG and the rest: a reading the method cannot use (its
     * digits, the small weights added, a note the record cannot keep). */
    default:
        return _("This reading cannot be used: check the display interval (test mode), the small "
                 "weights added and any note, then capture again");
    }
}

const char *i18n_start_refusal(int rc, int resume)
{
    if (resume)
        return _("The saved run cannot be read back: set it up anew");
    switch (rc) {
    case SC_ERR_EXPIRED: return _("The weight set's calibration has expired: pick another set");
    case SC_ERR_RANGE:
        return _("This weight set cannot make every load the tests need, or its weights are not "
                 "within a third of the MPE: pick another set");
    case SC_ERR_UNSUPPORTED: return _("A multi-interval scale cannot be verified here");
    case SC_ERR_NOMEM: return _("Out of memory: nothing was started");
    default:
        return _("The instrument as registered cannot be tested (class, Max, Min, e): correct the "
                 "registry");
    }
}

const char *i18n_port_error(int rc)
{
    switch (rc) {
    case SC_ERR_NOTFOUND:
    case SC_ERR_GONE: return _("no such port: is the cable plugged in?");
    case SC_ERR_DENIED: return _("the port may not be opened (permission)");
    case SC_ERR_LOCKED: return _("the port is in use by another program");
    case SC_ERR_TIMEOUT: return _("no answer from the scale");
    case SC_ERR_PARSE:
    case SC_ERR_ARG: return _("the scale's connection setting is not valid");
    case SC_ERR_UNSUPPORTED: return _("this kind of scale is not supported");
    default: return _("the port would not open");
    }
}

const char *i18n_draw_refusal(int rc)
{
    switch (rc) {
    case SC_ERR_NOMEM: return _("out of memory");
    case SC_ERR_RANGE: return _("the market is too large to draw from");
    default: return _("the draw could not be made");
    }
}

const char *i18n_printer_error(int rc)
{
    switch (rc) {
    case SC_ERR_TIMEOUT: return _("the printer did not answer");
    case SC_ERR_NOMEM: return _("out of memory");
    case SC_ERR_NOTFOUND:
    case SC_ERR_GONE:
    case SC_ERR_IO: return _("no printer on its port: is it on and plugged in?");
    default: return _("the printer did not take the ticket");
    }
}
