/* The device simulator behind `stallcheck sim`: serves one simulated scale
 * or meter on a pseudo-terminal, in any of the driver table's protocols.  It
 * answers commands, streams where the protocol streams, and misbehaves on
 * request: noise, garbled bytes, a dropped line, a wrong baud rate.
 *
 * A control channel changes it while it runs (the demo and the end-to-end
 * tests put goods on the scale this way): a FIFO, or a regular file that is
 * re-read when it changes, holding lines such as
 *
 *   load 1250g        goods of 1250 g on the platform (any mass_parse text)
 *   noise 2           +-2 d of noise         settle 500    settling time, ms
 *   garble 0.1        a garbled byte in 10 % of frames
 *   zero | tare | tare-clear                  the scale's keys
 *   set voltage 231.0 a meter's quantity (voltage, current, power, energy,
 *                     reactive-power, apparent-power, power-factor,
 *                     reactive-energy)
 *   instrument 30kg 10g   stand for an instrument of this Max and e (= d)
 *   error E11         answer the next command with this error (A&D "EC,E11";
 *                     MT-SICS ES, ET or EL)
 *   stream on|off     continuous output      drop          pull the cable now
 *   position 2        the load moved to segment 2 (0: the centre; a profile's
 *                     eccentricity errors apply)
 *   mode test|normal  the test mode's finer display, or the normal one
 *   quit
 */
#ifndef STALLCHECK_DEVICES_SIM_H
#define STALLCHECK_DEVICES_SIM_H

#include <stdint.h>
#include <stdio.h>

#include "core/decimal.h"
#include "devices/sim_scale.h"

struct sim_options {
    const char *spec;        /* DRIVER[:driver options], as for decode */
    int64_t load_ug;         /* goods on the platform at the start */
    int64_t d_ug;            /* display division (0: 10 mg) */
    int64_t max_ug;          /* Max (0: 6200 g) */
    const char *unit;        /* "g" or "kg" (NULL: g) */
    int settle_ms;           /* -1: 800 */
    int noise_d;
    double garble;           /* 0..1: the share of frames with one byte garbled */
    long drop_after;         /* close the line after a reader took this many
                                frames; 0: never */
    int return_after_ms;     /* after a drop, a new pty after this long; -1: exit */
    int interval_ms;         /* streaming period; 0: as fast as the reader takes */
    int stream;              /* -1: the protocol's habit, 0 off, 1 on */
    int baud;                /* the device's baud rate; 0: the driver's default */
    const char *control;     /* FIFO or file, or NULL */
    const char *link;        /* a symlink kept pointing at the current pty */
    const char *replay;      /* stream this capture's lines in a loop instead */
    int chunk;               /* write at most this many bytes every 3 ms (split frames); 0: whole */
    uint64_t seed;
    struct decimal voltage, current, power, energy;  /* meters */
    struct decimal reactive_power, apparent_power, power_factor, reactive_energy;
    int phases;              /* 1: a single-phase meter (B, C absent); 0: 3 */
    int frame_limit;         /* DL/T 645: data bytes a reply frame (follow-ups) */
    char parity_bit;         /* 'e' or 'o': bit 7 of every byte sent is that
                                parity of the low 7 (a 7E1/7O1 device read at
                                8N1); 0: bytes as they are */
    FILE *log;               /* what happens, one line each; NULL: quiet */
    const struct sim_profile *profile; /* a scale profile (sim_scale.h), or NULL */
};

void sim_options_init(struct sim_options *o);

/* Runs the simulator until "quit", SIGINT/SIGTERM, or a drop without
 * return.  ready(path) is called once the pty exists (and again with the new
 * path after a return).  Returns SC_OK or a negative SC_ERR_*. */
int sim_run(const struct sim_options *o, void (*ready)(const char *path, void *ctx), void *ctx);

#endif
