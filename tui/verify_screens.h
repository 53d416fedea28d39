/* The metrology staff's screens (计量检定人员): pick an instrument (list,
 * search, or a scanned code, serial or mark number), declare the weight set
 * and the room temperature, then the procedure step by step (what to put
 * on, the live reading, capture when stable, the error against the MPE as
 * a bar), the verdict and the certificate.  Leaving the procedure at any
 * step keeps it: the backend stores the engine's state after every reading,
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
void vpick_init(struct vpick_state *s);
void vpick_handle(struct vpick_state *s, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
const enum tui_scope *vpick_scopes(const struct vpick_state *s);
int vpick_wants_text(const struct vpick_state *s);
void vpick_draw(const struct vpick_state *s, const struct session *ses);
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
void vsetup_init(struct vsetup_state *s);
void vsetup_handle(struct vsetup_state *s, struct session *ses, const struct tui_event *ev,
                   struct tui_reaction *rx);
const enum tui_scope *vsetup_scopes(const struct vsetup_state *s);
int vsetup_wants_text(const struct vsetup_state *s);
void vsetup_draw(const struct vsetup_state *s, const struct session *ses);

struct vstep_state {
    int typing;              /* error-point method: ΔL being typed */
    int64_t indication_ug;   /* the indication captured for it */
    char added[16];          /* ΔL in g */
    int busy;
};
void vstep_init(struct vstep_state *s);
void vstep_handle(struct vstep_state *s, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
const enum tui_scope *vstep_scopes(const struct vstep_state *s);
int vstep_wants_text(const struct vstep_state *s);
void vstep_draw(const struct vstep_state *s, const struct session *ses);

struct vdone_state {
    int busy;
    int confirm_discard;     /* 2 pressed once: press again to drop the run */
};
void vdone_init(struct vdone_state *s);
void vdone_handle(struct vdone_state *s, struct session *ses, const struct tui_event *ev,
                  struct tui_reaction *rx);
const enum tui_scope *vdone_scopes(const struct vdone_state *s);
int vdone_wants_text(const struct vdone_state *s);
void vdone_draw(const struct vdone_state *s, const struct session *ses);

#endif
