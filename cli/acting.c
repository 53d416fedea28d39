/* The acting officer: sign-in and the role check (see acting.h). */
#include "cli/acting.h"

#include <libintl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/pin.h"
#include "core/error.h"
#include "db/officer.h"

static struct acting signed_in;
static int have_signed_in;

static int count_one(const struct officer *o, void *arg)
{
    (void)o;
    ++*(int *)arg;
    return 1; /* one is enough to know there are officers */
}

int cli_acting_is_open(struct db *db)
{
    int n = 0;
    int rc = officer_list(db, count_one, &n);
    return rc < 0 ? rc : n == 0;
}

static int sign_in(struct db *db, const char *what, const char *as, struct acting *a)
{
    memset(a, 0, sizeof *a);
    a->role = ROLES_NONE;
    int open = cli_acting_is_open(db);
    if (open < 0)
        return cli_fail(what, "%s", sc_error_message());
    if (open) {
        a->open = 1;
        return CLI_EXIT_OK;
    }
    if (!as || !*as)
        return cli_fail(what, "%s",
                        gettext("sign in first: --as BADGE (the PIN is asked, or read as one "
                                "line from stdin)"));
    char pin[64], prompt[64];
    snprintf(prompt, sizeof prompt, gettext("PIN for %s: "), as);
    if (cli_read_pin(prompt, pin, sizeof pin) < 0)
        return cli_fail(what, "%s", sc_error_message());
    int rc = officer_check_pin(db, as, pin);
    sodium_memzero(pin, sizeof pin);
    if (rc < 0)
        return cli_fail(what, "%s", sc_error_message());
    struct officer o;
    if (officer_find(db, as, &o) < 0)
        return cli_fail(what, "%s", sc_error_message());
    snprintf(a->badge, sizeof a->badge, "%s", o.badge);
    snprintf(a->market, sizeof a->market, "%s", o.market);
    a->role = roles_from_id(officer_role_id(o.role));
    return CLI_EXIT_OK;
}

int cli_acting_sign_in(struct db *db, const char *what, const char *as)
{
    if (have_signed_in)
        return CLI_EXIT_OK;
    int rc = sign_in(db, what, as, &signed_in);
    if (rc == CLI_EXIT_OK)
        have_signed_in = 1;
    return rc;
}

int cli_acting_require(struct db *db, const char *what, const char *as,
                       enum roles_action action, const char *market, struct acting *out)
{
    int rc = cli_acting_sign_in(db, what, as);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (out)
        *out = signed_in;
    if (signed_in.open)
        return CLI_EXIT_OK;
    if (roles_check(signed_in.role, signed_in.market, action, market) < 0)
        return cli_fail(what, "%s %s: %s", signed_in.badge, "denied", sc_error_message());
    return CLI_EXIT_OK;
}

int cli_acting_may(struct db *db, const char *what, const char *as, enum roles_action action,
                   struct acting *out)
{
    int rc = cli_acting_sign_in(db, what, as);
    if (rc != CLI_EXIT_OK)
        return rc;
    /* A role held to its own market is asked about that market. */
    const char *own = signed_in.market[0] ? signed_in.market : NULL;
    return cli_acting_require(db, what, as, action, own, out);
}

int cli_acting_read(struct db *db, const char *what, const char *as, const char **market)
{
    /* Sign in first (no market yet), then default a manager's market. */
    int rc = cli_acting_sign_in(db, what, as);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (!signed_in.open && signed_in.role == ROLES_MANAGER && *market == NULL &&
        signed_in.market[0])
        *market = signed_in.market;
    return cli_acting_require(db, what, as, ROLE_ACT_READ, *market, NULL);
}
