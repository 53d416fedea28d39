/* The simulated scale's physics: what it shows for the goods on it.  Kept
 * apart from the protocol and pty code (sim.c) so that scale profiles can be
 * added here for verification tests: errors as a function of load and of
 * position on the platform, a repeatability spread.  Pure: time is passed
 * in, the noise comes from a seeded generator, masses are µg. */
#ifndef STALLCHECK_DEVICES_SIM_SCALE_H
#define STALLCHECK_DEVICES_SIM_SCALE_H

#include <stdbool.h>
#include <stdint.h>

enum sim_scale_status { SIM_SCALE_OK, SIM_SCALE_OVERLOAD, SIM_SCALE_UNDERLOAD };

struct sim_scale {
    int64_t d_ug;          /* display division */
    int64_t max_ug;        /* Max: above Max + 9 d overload (R76 4.10), below -Max/10 underload */
    int64_t load_ug;       /* the goods on the platform now */
    int64_t from_ug;       /* the load before the last change, for settling */
    int64_t changed_ms;    /* when the load last changed */
    int settle_ms;         /* time the display takes to come to rest */
    int noise_d;           /* +- this many d of noise on every reading, 0: none */
    int64_t zero_ug;       /* the load at the last zero-setting */
    int64_t tare_ug;       /* 0: no tare */
    uint64_t rng;          /* noise generator state (xorshift64) */
    int64_t offset_ug;     /* a fixed error added to every reading (a profile hook) */
};

struct sim_weight {
    int64_t gross_ug;      /* load - zero, rounded to d */
    int64_t net_ug;        /* gross - tare */
    int64_t tare_ug;
    bool net;              /* a tare is in use */
    bool stable;
    enum sim_scale_status status;
};

void sim_scale_init(struct sim_scale *s, int64_t d_ug, int64_t max_ug, uint64_t seed);
/* Puts goods of load_ug on the platform at now_ms (0: empty). */
void sim_scale_load(struct sim_scale *s, int64_t load_ug, int64_t now_ms);
/* What the scale shows at now_ms. */
void sim_scale_read(struct sim_scale *s, int64_t now_ms, struct sim_weight *out);
/* Zero-setting and tare act only on a stable display, as a real scale's do;
 * they return false (and change nothing) otherwise.  Zero-setting is limited
 * to 4 % of Max (R76 4.5.1). */
bool sim_scale_zero(struct sim_scale *s, int64_t now_ms);
bool sim_scale_tare(struct sim_scale *s, int64_t now_ms);
void sim_scale_tare_clear(struct sim_scale *s);

#endif
