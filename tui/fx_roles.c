/* The role check every area's effects make first: the screens never do
 * what the command line would refuse (core/roles.h). */
#include "core/error.h"
#include "tui/fx_area.h"
#include "tui/i18n.h"

int fx_allowed(const struct fx *fx, struct session *ses, enum roles_action act,
               const char *market)
{
    int rc = i18n_roles_check(fx->role, fx->own_market[0] ? fx->own_market : NULL, act, market);
    if (rc < 0)
        session_message(ses, 1, "%s: %s", _("Not allowed"), sc_error_message());
    return rc;
}
