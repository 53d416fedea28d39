/* Standard weights: the accuracy classes of OIML R111-1 (2004) and their
 * maximum permissible errors (MPE, R111-1 clause 5, Table 1), and the rule
 * that makes a weight set fit to verify a scale: the weights' error must not
 * exceed one third of the scale's MPE for the load they make (OIML R76-1
 * 3.7.1; JJG 539-2016 takes the same 1/3).
 *
 * Masses are int64 µg (core/mass.h): every MPE in Table 1 is a whole number
 * of µg (the smallest is E1's 0.003 mg = 3 µg). */
#ifndef STALLCHECK_CORE_R111_H
#define STALLCHECK_CORE_R111_H

#include <stdint.h>

/* From the most accurate to the least; M12 and M23 are R111's M1-2 and M2-3
 * (50 kg to 5 000 kg only). */
enum r111_class {
    R111_NONE = 0,
    R111_E1,
    R111_E2,
    R111_F1,
    R111_F2,
    R111_M1,
    R111_M12,
    R111_M2,
    R111_M23,
    R111_M3,
    R111_CLASS_COUNT
};

/* "E1", "E2", "F1", "F2", "M1", "M1-2", "M2", "M2-3", "M3" (any case; "M12"
 * and "M23", the spellings stored in the registry, too).  SC_ERR_PARSE with a
 * message otherwise. */
int r111_class_parse(const char *text, enum r111_class *out);

/* "E1" ... "M1-2" ... "M3"; "?" for a value outside the enum.  The
 * registry's spelling ("M12", "M23") is r111_class_code. */
const char *r111_class_name(enum r111_class cls);
const char *r111_class_code(enum r111_class cls);

/* The MPE of one weight of this nominal value and class (R111-1 Table 1), a
 * positive magnitude in µg.  SC_ERR_RANGE when the nominal value is not one
 * of Table 1's (1, 2 or 5 × 10^k from 1 mg to 5 000 kg) or the table has no
 * value for it in this class (E1 above 50 kg; M1-2 and M2-3 below 50 kg; M2
 * below 100 mg; M3 below 1 g; E1 and E2 at 2 000 and 5 000 kg). */
int r111_mpe(enum r111_class cls, int64_t nominal_ug, int64_t *mpe_ug);

/* R76-1 3.7.1: the weights making a load are fit when their errors together
 * (the sum of their MPEs, the worst case) are no more than one third of the
 * scale's MPE for that load: 3 × weights_mpe <= scale_mpe, exactly. */
int r111_fit(int64_t weights_mpe_ug, int64_t scale_mpe_ug);

#endif
