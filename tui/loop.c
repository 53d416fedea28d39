#include "tui/loop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "tui/draw.h"
#include "tui/i18n.h"
#include "tui/text.h"
#include "tui/trace.h"

#define STACK_MAX 16

struct loop {
    struct session ses;
    struct fx *fx;
    struct scales *scales;
    enum tui_screen_id stack[STACK_MAX];
    int depth;
    int dirty;
    int quit;
    int too_small;
    int64_t last_key_ms;       /* the idle lock counts from the last key */
    int scanning;              /* a scanner (or the officer) types a code */
    char scan[VISIT_CODE_MAX];
    void *state[SCR_COUNT];    /* each screen's state (its row's state_size) */
};

static enum tui_screen_id top(const struct loop *l)
{
    return l->stack[l->depth - 1];
}

static void deliver(struct loop *l, const struct tui_event *ev);

static void enter(struct loop *l)
{
    struct tui_event ev = {.kind = EV_ENTER};
    deliver(l, &ev);
}

static void push(struct loop *l, enum tui_screen_id id)
{
    if (l->depth >= STACK_MAX)
        return;
    l->stack[l->depth++] = id;
    screen_state_init(id, l->state[id]);
    enter(l);
}

static void pop(struct loop *l)
{
    if (l->depth <= 1)
        return;
    if (top(l) == SCR_STALL)
        fx_leave_stall(&l->ses);
    l->depth--;
    enter(l);
}

static void home(struct loop *l)
{
    while (l->depth > 1 && top(l) != SCR_PICK)
        pop(l);
    if (top(l) != SCR_PICK) {
        l->stack[0] = SCR_PICK;
        l->depth = 1;
        screen_state_init(SCR_PICK, l->state[SCR_PICK]);
        enter(l);
    }
}

static int signed_in(const struct loop *l)
{
    return l->ses.badge[0] != '\0';
}

/* What no screen took: help, quit, back, and a scanned stall code from any
 * list. */
static void global_event(struct loop *l, const struct tui_event *ev)
{
    if (ev->kind == EV_SCAN && signed_in(l)) {
        /* The stall in hand is left first (its answers stay in its draft),
         * then the scanned one opens with an inspection of its own. */
        struct tui_effect eff = {.kind = EFF_LOAD_STALL};
        text_copy(eff.stall, sizeof eff.stall, ev->text);
        home(l);
        if (fx_perform(l->fx, &l->ses, &eff) == 0)
            push(l, SCR_STALL);
        l->dirty = 1;
        return;
    }
    if (ev->kind != EV_ACTION)
        return;
    switch (ev->action) {
    case ACT_HELP:
        if (top(l) != SCR_HELP) {
            enum tui_screen_id id = top(l);
            l->ses.help_scope = screen_keys(id, l->state[id])[0];
            push(l, SCR_HELP);
        }
        break;
    case ACT_QUIT:
        l->quit = 1;
        break;
    case ACT_LISTS:
        if (signed_in(l) && top(l) != SCR_MANAGERS)
            push(l, SCR_MANAGERS);
        break;
    case ACT_BACK:
        if (l->depth > 1 && top(l) != SCR_PICK)
            pop(l);
        else if (top(l) == SCR_RESUME)
            home(l);
        break;
    default:
        break;
    }
    l->dirty = 1;
}

static void apply(struct loop *l, enum tui_screen_id from, const struct tui_event *ev,
                  const struct tui_reaction *rx)
{
    for (int i = 0; i < rx->n_effects; i++) {
        const struct tui_effect *eff = &rx->effects[i];
        double t0 = trace_on() ? trace_now_ms() : 0;
        int status = fx_perform(l->fx, &l->ses, eff);
        if (trace_on())
            trace_line("effect %d %.3f ms", (int)eff->kind, trace_now_ms() - t0);
        struct tui_event res = {.kind = EV_RESULT, .status = status, .effect = eff->kind};
        if (top(l) == from)
            deliver(l, &res);
    }
    if (rx->flags & RX_REDRAW)
        l->dirty = 1;
    if (rx->flags & RX_QUIT)
        l->quit = 1;
    if (top(l) != from)
        return; /* a result already moved on */
    if (rx->flags & RX_POP)
        pop(l);
    if (rx->flags & RX_HOME)
        home(l);
    if (rx->flags & RX_REPLACE) {
        l->depth--;
        push(l, rx->screen);
    } else if (rx->flags & RX_PUSH) {
        push(l, rx->screen);
    }
    if (rx->flags & RX_UNHANDLED)
        global_event(l, ev);
    l->dirty = 1;
}

static void deliver(struct loop *l, const struct tui_event *ev)
{
    struct tui_reaction rx;
    memset(&rx, 0, sizeof rx);
    enum tui_screen_id id = top(l);
    screen_ops(id)->handle(l->state[id], &l->ses, ev, &rx);
    apply(l, id, ev, &rx);
}

static void show_scan(struct loop *l)
{
    char msg[128];
    snprintf(msg, sizeof msg, "%s %s_", _("Code:"), l->scan);
    session_set_message(&l->ses, msg, 0);
}

/* A code being typed by the scanner: Enter hands it on, Esc drops it. */
static void scan_key(struct loop *l, int key, int is_code, int printable)
{
    static const enum tui_scope entry[] = {SCOPE_ENTRY, SCOPE_COUNT};
    enum tui_action act = printable ? ACT_NONE : keys_lookup(entry, key);
    (void)is_code;
    if (act == ACT_OK) {
        l->scanning = 0;
        session_set_message(&l->ses, "", 0);
        struct tui_event ev = {.kind = EV_SCAN, .text = l->scan};
        deliver(l, &ev);
    } else if (act == ACT_BACK) {
        l->scanning = 0;
        session_set_message(&l->ses, "", 0);
    } else if (act == ACT_ERASE) {
        text_backspace(l->scan);
    } else if (printable && key > ' ') {
        text_append(l->scan, sizeof l->scan, (unsigned)key);
    }
    if (l->scanning)
        show_scan(l);
    l->dirty = 1;
}

/* The idle lock: when signed in and no key came for the lock time. */
static int64_t lock_deadline(const struct loop *l)
{
    if (!signed_in(l) || l->ses.lock_minutes <= 0 || l->last_key_ms == 0 ||
        top(l) == SCR_LOCK || top(l) == SCR_SIGNIN)
        return -1;
    return l->last_key_ms + (int64_t)l->ses.lock_minutes * 60000;
}

static int lock_if_idle(struct loop *l, int64_t now_ms)
{
    int64_t due = lock_deadline(l);
    if (due < 0 || now_ms < due)
        return 0;
    /* Pushed over the screen in hand: whatever it holds stays.  A code
     * half-scanned is no one's typing: dropped. */
    l->scanning = 0;
    session_set_message(&l->ses, "", 0);
    l->ses.lock_idle = 1; /* the lock says why */
    push(l, SCR_LOCK);
    l->dirty = 1;
    return 1;
}

void loop_key(struct loop *l, int key, int is_code, int64_t now_ms)
{
    /* The key that finds the handheld idle past the lock time only wakes
     * it, locked. */
    int woke_locked = lock_if_idle(l, now_ms);
    l->last_key_ms = now_ms;
    if (woke_locked)
        return;
    if (!is_code && key == '\r')
        key = '\n';
    if (is_code && key == keys_enter_code())
        key = '\n', is_code = 0;
    int printable = !is_code && key >= ' ' && key != 127;
    if (l->too_small) {
        /* The screen is hidden behind "terminal too small": nothing may
         * happen on it unseen.  Quitting still works. */
        static const enum tui_scope global[] = {SCOPE_GLOBAL, SCOPE_COUNT};
        if (keys_lookup(global, key) == ACT_QUIT && (is_code || !printable))
            l->quit = 1;
        return;
    }
    if (l->scanning) {
        scan_key(l, key, is_code, printable);
        return;
    }
    enum tui_screen_id id = top(l);
    const enum tui_scope *scopes = screen_keys(id, l->state[id]);
    l->ses.message[0] = '\0';
    if (printable && screen_takes_text(id, l->state[id])) {
        struct tui_event ev = {.kind = EV_CHAR, .ch = (unsigned)key};
        deliver(l, &ev);
        return;
    }
    enum tui_action act = is_code || !printable || key < 128 ? keys_lookup(scopes, key) : ACT_NONE;
    if (act != ACT_NONE) {
        struct tui_event ev = {.kind = EV_ACTION, .action = act};
        deliver(l, &ev);
        return;
    }
    /* A letter no key takes starts a code: a barcode scanner types the
     * stall code and Enter, from any list. */
    if (printable && key > ' ' && !(key >= '0' && key <= '9') && signed_in(l)) {
        l->scanning = 1;
        l->scan[0] = '\0';
        text_append(l->scan, sizeof l->scan, (unsigned)key);
        show_scan(l);
        l->dirty = 1;
    }
}

void loop_resize(struct loop *l, int cols, int rows)
{
    l->too_small = cols < DRAW_MIN_COLS || rows < DRAW_MIN_ROWS;
    l->ses.rows = rows;
    l->dirty = 1;
}

int loop_too_small(const struct loop *l)
{
    return l->too_small;
}

int loop_fds(struct loop *l, struct pollfd *fds, int max, int *timeout_ms, int64_t now_ms)
{
    int n = scales_fds(l->scales, fds, max, timeout_ms);
    int64_t due = lock_deadline(l);
    if (due >= 0) {
        int64_t wait = due > now_ms ? due - now_ms : 0;
        if (*timeout_ms < 0 || wait < *timeout_ms)
            *timeout_ms = (int)(wait < 1000000 ? wait : 1000000);
    }
    return n;
}

void loop_poll(struct loop *l, int64_t now_ms)
{
    lock_if_idle(l, now_ms);
    struct tui_event evs[8];
    int ne = scales_poll(l->scales, &l->ses, evs, 8);
    for (int i = 0; i < ne; i++)
        deliver(l, &evs[i]);
}

int loop_open(const struct tui_options *opt, struct loop **out)
{
    struct loop *l = calloc(1, sizeof *l);
    if (l == NULL)
        return SC_ERR_NOMEM;
    struct session *ses = &l->ses;
    text_copy(ses->demo.badge, sizeof ses->demo.badge, opt->demo_badge ? opt->demo_badge : "");
    text_copy(ses->demo.badge2, sizeof ses->demo.badge2, opt->demo_badge2 ? opt->demo_badge2 : "");
    text_copy(ses->demo.pin, sizeof ses->demo.pin, opt->demo_pin ? opt->demo_pin : "");
    text_copy(ses->demo.stall, sizeof ses->demo.stall, opt->demo_stall ? opt->demo_stall : "");
    int rc = scales_open(opt->scale_conn, ses, &l->scales);
    if (rc == 0)
        rc = fx_open(opt, ses, l->scales, &l->fx);
    for (int id = 0; id < SCR_COUNT && rc == 0; id++) {
        size_t size = screen_ops((enum tui_screen_id)id)->state_size;
        if (size > 0 && (l->state[id] = calloc(1, size)) == NULL)
            rc = SC_ERR_NOMEM;
    }
    if (rc < 0) {
        loop_close(l);
        return rc;
    }
    l->stack[0] = SCR_SIGNIN;
    l->depth = 1;
    screen_state_init(SCR_SIGNIN, l->state[SCR_SIGNIN]);
    l->dirty = 1;
    *out = l;
    return 0;
}

void loop_close(struct loop *l)
{
    if (l == NULL)
        return;
    for (int id = 0; id < SCR_COUNT; id++)
        free(l->state[id]);
    fx_close(l->fx);
    scales_close(l->scales);
    free(l);
}

enum tui_screen_id loop_top(const struct loop *l, const void **state)
{
    if (state != NULL)
        *state = l->state[top(l)];
    return top(l);
}

const struct session *loop_session(const struct loop *l)
{
    return &l->ses;
}

struct session *loop_session_mut(struct loop *l)
{
    return &l->ses;
}

int loop_dirty(const struct loop *l)
{
    return l->dirty;
}

void loop_drawn(struct loop *l)
{
    l->dirty = 0;
}

int loop_quit(const struct loop *l)
{
    return l->quit;
}
