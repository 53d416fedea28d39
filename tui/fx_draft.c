/* Drafts of the visit in hand (db/draft.h): every answer saves one, the
 * latest one left from an earlier run is offered at sign-in, and one is
 * discarded only when the officer says so.  Shared by the session's and
 * the inspection's effects. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "db/draft.h"
#include "db/inspection.h"
#include "tui/fx_area.h"
#include "tui/i18n.h"

/* A draft already committed (the commit deletes its draft in the same
 * transaction, but a draft synced from elsewhere could be) is dropped
 * rather than offered. */
static int draft_committed(struct fx *fx, const char *id)
{
    struct inspection *in = NULL;
    if (inspection_load(fx->db, id, &in) < 0)
        return 0;
    int committed = strcmp(in->status, "committed") == 0;
    inspection_free(in);
    return committed;
}

static int read_draft(struct fx *fx, const char *id, struct visit *v)
{
    char *body = NULL;
    int rc = draft_load(fx->db, id, &body);
    if (rc < 0)
        return rc;
    rc = visit_decode(body, v);
    free(body);
    return rc;
}

int fx_latest_draft(struct fx *fx, const char *officer, const char *stall, struct visit *v)
{
    struct draft_info di;
    while (draft_latest(fx->db, officer, stall, &di) == 0) {
        if (!draft_committed(fx, di.id) && read_draft(fx, di.id, v) == 0)
            return 0;
        /* Never offer what cannot be resumed; never loop on it. */
        if (draft_delete(fx->db, di.id) < 0)
            break;
    }
    visit_clear(v);
    return SC_ERR_NOTFOUND;
}

int fx_discard_draft(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    ses->draft_pending = 0;
    return draft_delete(fx->db, ses->draft.id);
}

int fx_save_draft(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    if (ses->visit.id[0] == '\0')
        return 0;
    char body[VISIT_TEXT_MAX];
    int rc = visit_encode(&ses->visit, body, sizeof body);
    if (rc >= 0)
        rc = draft_save(fx->db, ses->visit.id, ses->visit.officer1, ses->visit.stall, body);
    if (rc < 0)
        session_message(ses, 1, "%s: %s", _("Draft not saved"), sc_error_message());
    return rc < 0 ? rc : 0;
}
