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

/* A scale profile: how a simulated scale errs, so a whole verification
 * (core/procedure.h) can be run against a scale that passes and against
 * ones that fail on eccentricity, repeatability or at Max.  Read from a
 * small key = value file (sim_profile_parse), e.g.
 *
 *   # class III, Max 15 kg, e = d = 5 g: passes
 *   max = 15kg
 *   d = 5g
 *   test_d = 0.5g            # the test mode's finer display (x10)
 *   mode = test              # starts in test mode ("normal" otherwise)
 *   seed = 7                 # the repeatability draws are reproducible
 *   error = 0:0 5kg:+1g 15kg:+2g   # error against the load, linear between
 *   segment_load = 5kg       # eccentricity errors are given for this load,
 *   segment.2 = +2g          # and scale with the load on that segment
 *   spread = 1g              # each placing of a load adds an offset drawn
 *                            # uniformly from [-spread, +spread]
 *   spread_load = 7.5kg      # optional: the spread is for this load, and
 *                            # scales with the load
 *
 * Masses take a unit (mass_parse) and a sign.  Segments are 1..8; 0 is the
 * centre, where the eccentricity error is nil. */
#define SIM_PROFILE_POINTS 16
#define SIM_PROFILE_SEGMENTS 8

struct sim_profile {
    int64_t max_ug, d_ug, test_d_ug; /* 0: not given (the sim's options apply) */
    int test_mode;
    uint64_t seed;                   /* 0: not given */
    int n_points;
    int64_t at_ug[SIM_PROFILE_POINTS], error_ug[SIM_PROFILE_POINTS]; /* ascending loads */
    int64_t segment_load_ug;
    int64_t segment_ug[SIM_PROFILE_SEGMENTS + 1];
    int64_t spread_ug;
    int64_t spread_load_ug;          /* 0: the same spread at every load */
};

/* Parses a profile; SC_ERR_PARSE "line N: ..." for anything it does not
 * understand (an unknown key, a mass without a unit, loads not ascending). */
int sim_profile_parse(const char *text, struct sim_profile *out);

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
    int has_profile;
    struct sim_profile profile;
    int segment;           /* where the load sits: 0 centre, 1.. a segment */
    int64_t placed_ug;     /* this placing's repeatability offset */
    uint64_t place_rng;    /* its generator, apart from the noise's */
    int64_t normal_d_ug;   /* the display interval outside test mode */
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

/* Applies a profile (its d, test mode and seed; max when given). */
void sim_scale_set_profile(struct sim_scale *s, const struct sim_profile *p);
/* Moves the load to a segment (0: the centre) at now_ms, as if re-placed. */
void sim_scale_position(struct sim_scale *s, int segment, int64_t now_ms);
/* The test mode's finer display on (1) or off (0); false when the profile
 * has no test mode. */
bool sim_scale_test_mode(struct sim_scale *s, int on);

#endif
