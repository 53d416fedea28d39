/* The effect table: one handler per effect kind, by area (tui/fx_area.h),
 * and the context they share, opened and closed here. */
#include "tui/fx.h"

#include <stdlib.h>

#include "core/error.h"
#include "db/lists.h"
#include "tui/fx_area.h"

static fx_handler *const HANDLERS[EFF_COUNT] = {
    [EFF_SIGN_IN] = fx_sign_in,
    [EFF_DRAW] = fx_draw,
    [EFF_DISCARD_DRAFT] = fx_discard_draft,

    [EFF_LOAD_STALL] = fx_load_stall,
    [EFF_START_VISIT] = fx_start_visit,
    [EFF_SAVE_DRAFT] = fx_save_draft,
    [EFF_RESUME_DRAFT] = fx_resume_draft,
    [EFF_SWAP_OFFICER] = fx_swap_officer,
    [EFF_UNLOCK] = fx_unlock,

    [EFF_FAIR_OPEN] = fx_fair_open,
    [EFF_FAIR_STALL] = fx_fair_stall,
    [EFF_FAIR_RECORD] = fx_fair_record,
    [EFF_FAIR_PRINT] = fx_fair_print,
    [EFF_LOAD_HISTORY] = fx_load_history,

    [EFF_SCORE_PREVIEW] = fx_score_preview,
    [EFF_COMMIT] = fx_commit,

    [EFF_LOAD_LISTS] = fx_load_lists,

    [EFF_DEVICE_ZERO] = fx_device_zero,
    [EFF_DEVICE_TARE] = fx_device_tare,
    [EFF_DEVICE_RETRY] = fx_device_retry,

    [EFF_VERIFY_LIST] = fx_verify_list,
    [EFF_VERIFY_LOAD] = fx_verify_load,
    [EFF_VERIFY_START] = fx_verify_start,
    [EFF_VERIFY_DISCARD] = fx_verify_discard,
    [EFF_VERIFY_FEED] = fx_verify_feed,
    [EFF_VERIFY_COMMIT] = fx_verify_commit,
    [EFF_CAL_START] = fx_cal_start,
    [EFF_CAL_FEED] = fx_cal_feed,
    [EFF_CAL_COMMIT] = fx_cal_commit,
    [EFF_CAL_END] = fx_cal_end,
};

int fx_open(const struct tui_options *opt, struct session *ses, struct scales *scales,
            struct fx **out)
{
    struct fx *fx = calloc(1, sizeof *fx);
    if (fx == NULL)
        return SC_ERR_NOMEM;
    fx->opt = *opt;
    fx->scales = scales;
    fx->role = ROLES_NONE;
    int rc = db_open(opt->db_path, &fx->db);
    if (rc < 0) {
        free(fx);
        return rc;
    }
    if (lists_rules(fx->db, NULL, &fx->rules) == 0)
        fx->have_rules = 1;
    db_today(ses->today, sizeof ses->today);
    *out = fx;
    return 0;
}

void fx_close(struct fx *fx)
{
    if (fx == NULL)
        return;
    proc_free(fx->verify.proc);
    fx_fair_free(fx);
    cg18_free(fx->cal.engine);
    db_close(fx->db);
    free(fx);
}

int fx_perform(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    if ((unsigned)eff->kind >= EFF_COUNT || HANDLERS[eff->kind] == NULL)
        return 0; /* EFF_NONE */
    return HANDLERS[eff->kind](fx, ses, eff);
}
