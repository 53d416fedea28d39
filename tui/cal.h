/* What the calibration screens (校准, metrology staff) read from the
 * session: the calibration in hand as the effects last left it (tui/fx_cal.c
 * runs core/cg18.h and stores its state after every reading).  Plain data:
 * the screens stay pure.  The instrument is the one picked on the
 * verification list (session.verify.in). */
#ifndef STALLCHECK_TUI_CAL_H
#define STALLCHECK_TUI_CAL_H

#include "core/cg18.h"

struct cal_data {
    int draft_waits;           /* an unfinished calibration of the instrument picked */
    int running;               /* started or resumed, not committed */
    char id[40];
    char weight_set[40];
    char temperature[16];
    char humidity[16];
    int has_step;
    struct cg18_step step;     /* the step waiting for a reading */
    int done, total;
    int has_last;
    int64_t last_load_ug, last_indication_ug;
    int has_results;           /* every reading taken */
    struct cg18_results results;
    int committed;
    char certificate_no[48];
    char certificate_path[256];
};

#endif
