/* What the effect areas (tui/fx_*.c) share: the open database, the rules
 * loaded once, who is signed in, and one handler per effect kind, listed
 * here by area and dispatched from tui/fx.c's table.  Not for screens. */
#ifndef STALLCHECK_TUI_FX_AREA_H
#define STALLCHECK_TUI_FX_AREA_H

#include "core/procedure.h"
#include "core/roles.h"
#include "core/rules.h"
#include "core/cg18.h"
#include "db/calibration.h"
#include "db/db.h"
#include "db/nawical.h"
#include "tui/fx.h"

/* Metrology: the procedure in hand and its calibration record. */
struct fx_verify {
    struct proc *proc;
    struct calibration cal;
};

/* Metrology: the calibration (校准) in hand and its record. */
struct fx_cal {
    struct cg18 *engine;
    struct nawical rec;
};

struct fx {
    struct db *db;
    struct scales *scales;
    struct tui_options opt;
    struct rules rules;         /* the scoring rules, loaded at open */
    int have_rules;
    enum roles_role role;       /* who is signed in (core/roles.h) */
    char own_market[48];        /* a manager's market */
    char draw_id[40];           /* today's draw, once made or found */
    struct fx_verify verify;
    struct fx_cal cal;
    struct fx_fair *fair;       /* the fair-scale station's last check (fx_fair.c) */
};

typedef int fx_handler(struct fx *fx, struct session *ses, const struct tui_effect *eff);

/* fx_session.c: who is signed in (the day's team, the lock), today's
 * market and draw */
fx_handler fx_sign_in, fx_draw, fx_swap_officer, fx_unlock;
/* The idle lock's minutes: the setting, else the default. */
#define LOCK_MINUTES_SETTING "lock_minutes"
#define LOCK_MINUTES_DEFAULT 5
#define LOCK_MINUTES_MAX 120 /* as cli/cmd_settings.c takes it */
int fx_lock_minutes(struct fx *fx);
/* A PIN refused (officer_check_pin's rc), said on the status line in the
 * screen's language: the tries left, or how long the badge is locked. */
void fx_pin_refused(struct fx *fx, struct session *ses, const char *badge, int rc);
/* fx_roles.c: 0, or SC_ERR_DENIED with the reason on the status line:
 * the screens never do what the command line would refuse (core/roles.h). */
int fx_allowed(const struct fx *fx, struct session *ses, enum roles_action act,
               const char *market);
/* fx_draft.c: the visit's draft saved, discarded; the officer's latest
 * unfinished visit (of stall, or of any when NULL)
 * into v; a draft that cannot be resumed is dropped.  0 or SC_ERR_NOTFOUND. */
int fx_latest_draft(struct fx *fx, const char *officer, const char *stall, struct visit *v);
fx_handler fx_save_draft, fx_discard_draft;

/* fx_inspection.c: the stall card, the visit and its draft, the score
 * preview and the commit */
fx_handler fx_load_stall, fx_start_visit, fx_resume_draft, fx_load_history,
    fx_score_preview, fx_commit;

/* fx_fair.c: the fair-scale station (公平秤) */
struct fx_fair;
fx_handler fx_fair_open, fx_fair_stall, fx_fair_record, fx_fair_print;
void fx_fair_free(struct fx *fx);

/* fx_lists.c: the market's red/black list */
fx_handler fx_load_lists;

/* fx_devices.c: zero, tare, reconnect */
fx_handler fx_device_zero, fx_device_tare, fx_device_retry;

/* fx_verify.c: the instruments, picking one, setting up, dropping */
fx_handler fx_verify_list, fx_verify_load, fx_verify_start, fx_verify_discard;
/* fx_verify_run.c: readings, and the verdict with its certificate */
fx_handler fx_verify_feed, fx_verify_commit;
/* Where certificates go: $STALLCHECK_CERT_DIR, else a "certificates"
 * directory beside the database (made 0700 when missing). */
int fx_cert_dir(const char *db_path, char *buf, size_t size);
/* The procedure's view in ses->verify; its state saved as a draft. */
void fx_verify_refresh(struct fx_verify *vf, struct session *ses);
int fx_verify_save(struct fx_verify *vf, struct db *db, struct session *ses);

/* fx_cal.c: a calibration (校准) of the instrument picked, its readings,
 * its results and certificate, or its end without results */
fx_handler fx_cal_start, fx_cal_feed, fx_cal_commit, fx_cal_end;

#endif
