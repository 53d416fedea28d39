/* The metrology staff's screens (计量检定人员): pick an instrument (list,
 * search, or a scanned code, serial or mark number), declare the weight set
 * and the room temperature, then the procedure step by step (what to put
 * on, the live reading, capture when stable, the error against the MPE as
 * a bar), the verdict and the certificate.  Leaving the procedure at any
 * step keeps it: the engine's state is stored after every reading,
 * and picking the instrument again resumes it.  Pure state machines
 * (tui/screen.h); drawn by tui/verify_draw.c. */
#ifndef STALLCHECK_TUI_VERIFY_SCREENS_H
#define STALLCHECK_TUI_VERIFY_SCREENS_H

#include "tui/conditions.h"
#include "tui/screen.h"

struct vpick_state {
    int sel;
    int calibrate;           /* 3 picked it: a calibration (校准), not a verification */
    int typing;              /* a search: the list shows matching rows */
    char query[VERIFY_CODE];
    int busy;
};
void vpick_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
void vpick_draw(const void *state, const struct session *ses, int foot);
/* A search is being typed. */
int vpick_typing(const void *state);
/* The entry keys while a code is typed; else the list's, without Back: it
 * is metrology's first screen. */
const enum tui_scope *vpick_keys(const void *state);
/* Whether row i matches the search (code, serial, mark, stall, market). */
int vpick_matches(const struct vpick_state *s, const struct verify_instrument_row *r);

struct vsetup_state {
    struct conditions form;  /* set, temperature, humidity, test-mode interval */
    int kind;                /* enum proc_kind (F7 cycles) */
    int zero_tracking;       /* F8: the scale tracks zero: E0 near 10 e */
    int busy;
};
void vsetup_handle(void *state, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx);
void vsetup_draw(const void *state, const struct session *ses, int foot);

/* What the step waiting takes: a reading, an answer, a weight and a price. */
enum { VSTEP_READ, VSTEP_CHECK, VSTEP_PRICE };
/* What is being typed on the step screen. */
enum { VTYPE_NONE, VTYPE_ADDED, VTYPE_NOTE, VTYPE_AMOUNT };
struct vstep_state {
    int mode;                /* VSTEP_*, from the step waiting */
    int typing;              /* VTYPE_* */
    int64_t indication_ug;   /* the indication captured for it */
    int64_t digit_ug;        /* its last digit as the scale gave it */
    char added[16];          /* ΔL in g */
    char note[PROC_TEXT_MAX]; /* a check's text (the software identification) */
    char amount[16];         /* a price to pay, yuan */
    int pending;             /* the answer that waits for the note: PROC_YES or 0 */
    int busy;
};
void vstep_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
void vstep_draw(const void *state, const struct session *ses, int foot);
/* Something is being typed: ΔL, a note, a price to pay. */
int vstep_typing(const void *state);
/* The keys of the step waiting: a check's pass/fail, else the readings'. */
const enum tui_scope *vstep_keys(const void *state);

/* What is being typed on the verdict screen. */
enum { VDONE_NONE, VDONE_MARK, VDONE_SEAL, VDONE_REASON };
struct vdone_state {
    int busy;
    int typing;              /* VDONE_* */
    char mark[48];           /* a passed scale's new verification mark */
    char seal[48];           /* and its seal */
    char reason[128];        /* why the run ends without a verdict */
    int saved;               /* committed: only going back is left */
};
void vdone_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
/* Once saved, Confirm and Discard are off the footer: they would do nothing. */
const enum tui_scope *vdone_keys(const void *state);
void vdone_draw(const void *state, const struct session *ses, int foot);
int vdone_typing(const void *state);

#endif
