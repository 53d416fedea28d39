/* Placeholder backend until db/ and devices/ land: it opens nothing. */
#include "tui/backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

struct backend {
    int unused;
};

int backend_open(const struct tui_options *opt, struct session *ses, struct backend **out)
{
    (void)opt;
    (void)ses;
    *out = calloc(1, sizeof **out);
    return *out ? 0 : SC_ERR_NOMEM;
}

void backend_close(struct backend *be)
{
    free(be);
}

int backend_perform(struct backend *be, struct session *ses, const struct tui_effect *eff)
{
    (void)be;
    (void)eff;
    snprintf(ses->message, sizeof ses->message, "%s", "The database is not available yet");
    ses->message_is_error = 1;
    return sc_error_set(SC_ERR_UNSUPPORTED, "no database yet");
}

int backend_fds(struct backend *be, struct pollfd *fds, int max, int *timeout_ms)
{
    (void)be;
    (void)fds;
    (void)max;
    *timeout_ms = -1;
    return 0;
}

int backend_poll(struct backend *be, struct session *ses, const struct pollfd *fds, int nfds,
                 struct tui_event *out, int max)
{
    (void)be;
    (void)ses;
    (void)fds;
    (void)nfds;
    (void)out;
    (void)max;
    return 0;
}

void backend_leave_stall(struct backend *be, struct session *ses)
{
    (void)be;
    visit_clear(&ses->visit);
}
