/* The TUI: the main loop (poll on the terminal and the device fds), the
 * screen stack, the key table applied, resize caught once, the terminal
 * restored before any fatal message. */
#ifndef STALLCHECK_TUI_APP_H
#define STALLCHECK_TUI_APP_H

#include "tui/fx.h"

/* Runs until the officer quits.  Returns 0, or SC_ERR_* with the reason in
 * sc_error_message() (the terminal already restored). */
int app_run(const struct tui_options *opt);

#endif
