/* The main loop's hands: the screens' effects performed against db/ and
 * the scales, one handler per effect kind in one table (tui/fx.c), the
 * handlers grouped by area in tui/fx_*.c.  All SQL goes through db/, every
 * port through tui/scales.h; the screens never see either. */
#ifndef STALLCHECK_TUI_FX_H
#define STALLCHECK_TUI_FX_H

#include "tui/scales.h"
#include "tui/screen.h"

struct tui_options {
    const char *db_path;
    const char *lang;
    const char *scale_conn[SCALE_COUNT]; /* connection strings; NULL: from the registry */
    const char *market;                  /* the market to work in; NULL: the first */
    int draw_stalls;                     /* stalls a draw picks; 0: 5 */
    const char *printer;                 /* the receipt printer (devices/escpos.h conn);
                                            NULL: the setting receipt_printer */
    const char *demo_badge, *demo_badge2, *demo_pin, *demo_stall;
    /* The demo's simulated scales stand for the instrument picked for
     * verification (its Max and e): called with the scale (SCALE_STALL)
     * when one is picked; NULL on real scales. */
    void (*sim_instrument)(void *arg, int scale, int64_t max_ug, int64_t e_ug);
    void *sim_arg;
};

struct fx;

/* Opens the database and loads the rules once; the scales are the loop's
 * (borrowed until fx_close). */
int fx_open(const struct tui_options *opt, struct session *ses, struct scales *scales,
            struct fx **out);
void fx_close(struct fx *fx);

/* Performs one effect; 0 or SC_ERR_* (sc_error_message says why, and a line
 * for the status bar is in ses->message). */
int fx_perform(struct fx *fx, struct session *ses, const struct tui_effect *eff);

/* Leaving a stall card: a visit with nothing in it is dropped; one with
 * answers stays as a draft, offered again when the stall is picked. */
void fx_leave_stall(struct session *ses);

#endif
