/* The conditions form the verification's and the calibration's set-up
 * share: the weight set (typed, scanned, or chosen from the session's list
 * with Up/Down), the room temperature, the relative humidity and a test
 * mode's display interval.  Pure: the set-up screens pass their events
 * through it and read it into numbers when OK is pressed. */
#ifndef STALLCHECK_TUI_CONDITIONS_H
#define STALLCHECK_TUI_CONDITIONS_H

#include "core/decimal.h"
#include "tui/screen.h"

enum { COND_SET, COND_TEMP, COND_HUMIDITY, COND_DISPLAY, COND_FIELDS };

struct conditions {
    int field;
    char set[VERIFY_CODE];
    int set_listed;          /* the set is the list's choice: a code typed replaces it */
    char temp[16];
    char humidity[16];       /* %RH */
    char display[16];        /* "" = the scale's own interval */
};

struct conditions_values {
    struct decimal temperature;  /* as typed, exactly */
    struct decimal humidity;
    int64_t display_ug;          /* 0: the scale's own interval */
};

/* On entering: the first set in date is offered when none is chosen, and
 * the cursor goes on to what is left to type (the temperature). */
void conditions_enter(struct conditions *c, const struct session *ses);

/* Typing, scanning, erasing, the next field, Up/Down through the sets:
 * 1 when the event was the form's. */
int conditions_event(struct conditions *c, const struct session *ses, const struct tui_event *ev);

/* The form read into numbers: 0, or -1 with the field to correct focused
 * and the status line saying what is wrong. */
int conditions_read(struct conditions *c, struct session *ses, struct conditions_values *out);

/* The set-up screen's common part: entering (the first set in date
 * offered), the result of its start effect `started` (ok: `next` replaces
 * the set-up), the form's own events.  1 when the event is dealt with; 0
 * leaves an action to the screen. */
int conditions_screen(struct conditions *c, int *busy, struct session *ses,
                      const struct tui_event *ev, struct tui_reaction *rx,
                      enum tui_effect_kind started, enum tui_screen_id next);

/* OK: the form read and the start effect of kind k filled with it (set,
 * temperature, humidity, interval; *busy set); NULL when the form is
 * refused or a start is already under way. */
struct tui_effect *conditions_start(struct conditions *c, int *busy, struct session *ses,
                                    struct tui_reaction *rx, enum tui_effect_kind k);

/* Draws the four fields from row y (display_label names the interval's
 * default), the weight set's class and due date below its field; returns
 * the next free row. */
int conditions_draw(int y, int foot, const struct conditions *c, const struct session *ses,
                    const char *display_label);

#endif
