/* A receipt printer simulated on a pseudo-terminal, for the demo and the
 * tests: what a real ESC/POS printer on a serial cable would receive is
 * appended to a file, byte for byte, where devices/escpos.h's
 * escpos_decode reads it back.  The pty is reached through a symlink
 * (link), as the simulated scales are. */
#ifndef STALLCHECK_DEVICES_PRINTER_SIM_H
#define STALLCHECK_DEVICES_PRINTER_SIM_H

#include <signal.h>

/* Opens the pty and makes link point at it: 0 or SC_ERR_IO.  Then
 * printer_sim_serve appends what comes to out_path until *stop is set (a
 * signal handler sets it) and removes the link. */
struct printer_sim;
int printer_sim_open(const char *link, struct printer_sim **out);
int printer_sim_serve(struct printer_sim *p, const char *out_path, volatile sig_atomic_t *stop);
void printer_sim_close(struct printer_sim *p);
/* The same without removing the link: a parent that handed the printer to
 * a child process lets go of its copy. */
void printer_sim_forget(struct printer_sim *p);

#endif
