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

#include "tui/screen.h"

struct vpick_state {
    int sel;
    int typing;              /* a search: the list shows matching rows */
    char query[VERIFY_CODE];
    int busy;
};
void vpick_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
void vpick_draw(const void *state, const struct session *ses, int foot);
/* A search is being typed. */
int vpick_typing(const void *state);
/* Whether row i matches the search (code, serial, mark, stall, market). */
int vpick_matches(const struct vpick_state *s, const struct verify_instrument_row *r);

enum { VSETUP_SET, VSETUP_TEMP, VSETUP_DISPLAY, VSETUP_FIELDS };
struct vsetup_state {
    int field;
    char set[VERIFY_CODE];
    char temp[16];
    char display[16];        /* "" = the scale's own interval (error-point method) */
    int busy;
};
void vsetup_handle(void *state, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx);
void vsetup_draw(const void *state, const struct session *ses, int foot);

struct vstep_state {
    int typing;              /* error-point method: ΔL being typed */
    int64_t indication_ug;   /* the indication captured for it */
    char added[16];          /* ΔL in g */
    int busy;
};
void vstep_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
void vstep_draw(const void *state, const struct session *ses, int foot);
/* ΔL is being typed (the error-point method). */
int vstep_typing(const void *state);

struct vdone_state {
    int busy;
    int confirm_discard;     /* 2 pressed once: press again to drop the run */
    int saved;               /* committed: only going back is left */
};
void vdone_handle(void *state, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
/* Once saved, Confirm and Discard are off the footer: they would do nothing. */
const enum tui_scope *vdone_keys(const void *state);
void vdone_draw(const void *state, const struct session *ses, int foot);

#endif
