/* Effects of the session: signing in (the officer, their role, today's
 * market and stalls, a draft left from an earlier run) and today's draw
 * (双随机). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/error.h"
#include "db/draw.h"
#include "db/officer.h"
#include "db/registry.h"
#include "tui/fx_area.h"
#include "tui/i18n.h"
#include "tui/text.h"
#include "tui/trace.h"
#include "tui/when.h"

/* ---- today's market and stalls ---- */

static int first_market(const struct market *m, void *arg)
{
    struct session_day *day = arg;
    text_copy(day->market, sizeof day->market, m->code);
    text_copy(day->market_name, sizeof day->market_name, m->name);
    return 1;
}

static int add_stall_row(const struct stall *s, void *arg)
{
    struct session_day *day = arg;
    if (!s->active)
        return 0;
    if (day->n_stalls >= SESSION_MAX_STALLS)
        return 1;
    struct session_stall_row *r = &day->stalls[day->n_stalls++];
    memset(r, 0, sizeof *r);
    text_copy(r->code, sizeof r->code, s->code);
    text_copy(r->name, sizeof r->name, s->name);
    return 0;
}

static int find_reference(const struct instrument *in, void *arg)
{
    struct session_day *day = arg;
    if (!in->active || day->reference_id[0] != '\0')
        return 0;
    text_copy(day->reference_id, sizeof day->reference_id, in->code);
    text_copy(day->reference_due, sizeof day->reference_due, in->due);
    return 1;
}

static void show_draw(struct fx *fx, struct session *ses, const struct draw_record *rec)
{
    struct session_day *day = &ses->day;
    const struct draw_result *r = &rec->recorded;
    text_copy(fx->draw_id, sizeof fx->draw_id, rec->id);
    text_copy(day->draw_seed, sizeof day->draw_seed, rec->seed);
    day->draw_officers[0] = '\0';
    for (size_t i = 0; i < r->n_officers; i++) {
        size_t n = strlen(day->draw_officers);
        snprintf(day->draw_officers + n, sizeof day->draw_officers - n, "%s%s", i ? " " : "",
                 r->officers[i]);
    }
    day->n_stalls = 0;
    for (size_t i = 0; i < r->n_stalls && day->n_stalls < SESSION_MAX_STALLS; i++) {
        struct session_stall_row *row = &day->stalls[day->n_stalls++];
        memset(row, 0, sizeof *row);
        text_copy(row->code, sizeof row->code, r->stalls[i].code);
        row->followup = r->stalls[i].reason == DRAW_FOLLOWUP;
        struct stall st;
        if (registry_find_stall(fx->db, row->code, &st) == 0)
            text_copy(row->name, sizeof row->name, st.name);
    }
}

/* The market's standing draw today (db/draw.h: the one rule for the CLI
 * and the TUI). */
static int load_draw(struct fx *fx, struct session *ses)
{
    struct draw_record rec;
    if (draw_today(fx->db, ses->day.market, &rec) < 0)
        return -1;
    show_draw(fx, ses, &rec);
    draw_record_free(&rec);
    return 0;
}

static void load_today(struct fx *fx, struct session *ses)
{
    struct session_day *day = &ses->day;
    day->n_stalls = 0;
    day->market[0] = '\0';
    /* A manager is held to their own market (core/roles.h), whatever
     * --market says. */
    const char *want = fx->role == ROLES_MANAGER ? fx->own_market : fx->opt.market;
    if (fx->role == ROLES_MANAGER && fx->opt.market != NULL &&
        strcmp(fx->opt.market, fx->own_market) != 0)
        session_message(ses, 1, "%s %s", _("A manager reads only market"), fx->own_market);
    if (want != NULL && want[0] != '\0') {
        struct market m;
        if (registry_find_market(fx->db, want, &m) == 0)
            first_market(&m, day);
    }
    if (fx->role == ROLES_MANAGER && day->market[0] == '\0')
        return; /* a manager without a market of their own sees none */
    if (day->market[0] == '\0')
        registry_list_markets(fx->db, first_market, day);
    if (day->market[0] == '\0')
        return;
    /* Today's draw when one was made on this handheld, else the market's
     * stalls in code order (a stall can be picked from the list or by code).
     * Not to a manager: the stalls to be inspected are not told to the
     * market in advance. */
    if (fx->role == ROLES_MANAGER || load_draw(fx, ses) != 0)
        registry_list_stalls(fx->db, day->market, add_stall_row, day);
    day->reference_id[0] = '\0';
    registry_instruments_by_market(fx->db, day->market, "reference", find_reference, day);
}

int fx_draw(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    (void)eff;
    int rc = fx_allowed(fx, ses, ROLE_ACT_DRAW, ses->day.market);
    if (rc < 0)
        return rc;
    /* One production draw a day per market (db/draw.h): drawing again until
     * the stalls suit would defeat 双随机.  The standing one is shown; a
     * redraw, with its reason, is the CLI's. */
    size_t want = fx->opt.draw_stalls > 0 ? (size_t)fx->opt.draw_stalls : 5;
    struct draw_request req = {
        .market = ses->day.market, .made_by = ses->badge, .want_stalls = want,
        .want_officers = DRAW_OFFICERS_DEFAULT, .include_followups = 1, /* 限期整改 added */
        .kind = DRAW_PRODUCTION,
    };
    struct draw_record rec;
    rc = draw_make(fx->db, &req, &rec);
    if (rc == SC_ERR_EXISTS) {
        load_draw(fx, ses);
        session_message(ses, 1, "%s", _("Today's draw is made: it stands"));
        return rc;
    }
    if (rc < 0) {
        /* db/draw.h's refusals are translated; core/draw.h's (a pool too
         * large, memory) are said by their code. */
        session_message(ses, 1, "%s: %s", _("No draw"),
                        strncmp(sc_error_message(), "draw: ", 6) == 0 ? i18n_draw_refusal(rc)
                                                                      : sc_error_message());
        return rc;
    }
    show_draw(fx, ses, &rec);
    session_message(ses, 0, "%s %zu", _("Drawn: stalls"), rec.recorded.n_stalls);
    draw_record_free(&rec);
    return 0;
}

/* ---- signing in ---- */

/* Seconds from now (core/clock.h) to a stored UTC time. */
static long seconds_until(const char *utc)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (strptime(utc, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL)
        return 0;
    long s = (long)(timegm(&tm) - sc_clock_now());
    return s > 0 ? s : 0;
}

void fx_pin_refused(struct fx *fx, struct session *ses, const char *badge, int rc)
{
    int failed = 0;
    char until[24] = "";
    if (rc == SC_ERR_LOCKED || rc == SC_ERR_DENIED)
        officer_signin_failures(fx->db, badge, &failed, until, sizeof until);
    if (rc == SC_ERR_LOCKED && until[0] != '\0') {
        char at[24];
        long left = seconds_until(until);
        when_local(until, 0, at, sizeof at);
        session_message(ses, 1, _("Badge %s locked for %ld min more (until %s): %d wrong PINs"),
                        badge, (left + 59) / 60, at, OFFICER_MAX_FAILED);
    } else if (rc == SC_ERR_DENIED) {
        session_message(ses, 1, _("Wrong badge or PIN: %d tries left"),
                        OFFICER_MAX_FAILED - failed);
    } else {
        session_message(ses, 1, "%s: %s", _("Cannot sign in"), sc_error_message());
    }
}

int fx_sign_in(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    double t0 = trace_now_ms();
    int rc = officer_check_pin(fx->db, eff->who.badge, eff->who.pin);
    trace_line("pin-check %.3f ms", trace_now_ms() - t0);
    trace_rss("after-pin-check");
    if (rc < 0) {
        fx_pin_refused(fx, ses, eff->who.badge, rc);
        return rc;
    }
    struct officer o;
    text_copy(ses->badge, sizeof ses->badge, eff->who.badge);
    fx->role = ROLES_NONE;
    ses->role = ROLES_NONE;
    if (officer_find(fx->db, eff->who.badge, &o) == 0) {
        fx->role = roles_from_id(officer_role_id(o.role));
        ses->role = fx->role;
        text_copy(fx->own_market, sizeof fx->own_market, o.market);
        char who[sizeof o.badge + sizeof o.name + 2];
        snprintf(who, sizeof who, "%s %s", o.badge, o.name);
        text_copy(ses->officer_name, sizeof ses->officer_name, who);
    }
    ses->badge2[0] = ses->officer2_name[0] = '\0';
    ses->lock_minutes = fx_lock_minutes(fx);
    t0 = trace_now_ms();
    load_today(fx, ses);
    ses->draft_pending = fx_latest_draft(fx, ses->badge, NULL, &ses->draft) == 0;
    trace_line("load-today %.3f ms", trace_now_ms() - t0);
    return 0;
}

/* ---- the day's team ---- */

int fx_lock_minutes(struct fx *fx)
{
    char buf[16];
    int m = LOCK_MINUTES_DEFAULT;
    if (db_setting_get(fx->db, LOCK_MINUTES_SETTING, buf, sizeof buf) == 0) {
        char *end;
        long v = strtol(buf, &end, 10);
        if (*buf != '\0' && *end == '\0' && v >= 1 && v <= LOCK_MINUTES_MAX)
            m = (int)v;
    }
    return m;
}

/* "1002 王芳" of a badge, for the title and the summary. */
static void who_is(struct fx *fx, const char *badge, char *out, size_t size)
{
    struct officer o;
    if (officer_find(fx->db, badge, &o) == 0)
        snprintf(out, size, "%s %s", o.badge, o.name);
    else
        snprintf(out, size, "%s", badge);
}

int fx_swap_officer(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    const char *badge = eff->who.badge;
    int first = eff->who.slot == 1;
    const char *other = first ? ses->badge2 : ses->badge;
    if (strcmp(badge, other) == 0) {
        session_message(ses, 1, "%s", _("The two officers must be different people"));
        return sc_error_set(SC_ERR_EXISTS, "the same officer twice");
    }
    int rc = officer_check_pin(fx->db, badge, eff->who.pin);
    if (rc < 0) {
        fx_pin_refused(fx, ses, badge, rc);
        return rc;
    }
    /* Each officer of the team must be one who may inspect here. */
    struct officer o;
    const char *market = ses->visit.id[0] ? ses->visit.market : ses->day.market;
    if (officer_find(fx->db, badge, &o) < 0 ||
        roles_check(roles_from_id(officer_role_id(o.role)), o.market[0] ? o.market : NULL,
                    ROLE_ACT_INSPECT, market[0] ? market : NULL) < 0) {
        session_message(ses, 1, _("%s may not inspect"), badge);
        return sc_error_set(SC_ERR_DENIED, "%s may not inspect", badge);
    }
    if (first) {
        text_copy(ses->badge, sizeof ses->badge, badge);
        who_is(fx, badge, ses->officer_name, sizeof ses->officer_name);
        fx->role = roles_from_id(officer_role_id(o.role));
        ses->role = fx->role;
        text_copy(fx->own_market, sizeof fx->own_market, o.market);
    } else {
        text_copy(ses->badge2, sizeof ses->badge2, badge);
        who_is(fx, badge, ses->officer2_name, sizeof ses->officer2_name);
    }
    session_message(ses, 0, "%s %s + %s", _("Team:"), ses->badge, ses->badge2);
    /* The inspection in hand names the team from now on. */
    if (ses->visit.id[0] == '\0')
        return 0;
    text_copy(ses->visit.officer1, sizeof ses->visit.officer1, ses->badge);
    text_copy(ses->visit.officer2, sizeof ses->visit.officer2, ses->badge2);
    return fx_save_draft(fx, ses, eff);
}

int fx_unlock(struct fx *fx, struct session *ses, const struct tui_effect *eff)
{
    const char *badge = eff->who.badge;
    /* Only the team's own PINs open it. */
    if (badge[0] == '\0' || (strcmp(badge, ses->badge) != 0 && strcmp(badge, ses->badge2) != 0))
        return sc_error_set(SC_ERR_DENIED, "not of the team");
    int rc = officer_check_pin(fx->db, badge, eff->who.pin);
    if (rc < 0)
        fx_pin_refused(fx, ses, badge, rc);
    return rc;
}
