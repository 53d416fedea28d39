/* Masses are exact integers in micrograms (µg) everywhere in stallcheck: fine
 * enough for class I (e = 1 mg, 0.1 e = 100 µg) and wide enough (int64) for a
 * 60 t weighbridge.  Parsing and printing with units lives here. */
#ifndef STALLCHECK_CORE_MASS_H
#define STALLCHECK_CORE_MASS_H

#include <stddef.h>
#include <stdint.h>

#include "core/decimal.h"

#define MASS_UG  INT64_C(1)
#define MASS_MG  INT64_C(1000)
#define MASS_G   INT64_C(1000000)
#define MASS_KG  INT64_C(1000000000)

/* Parses "15kg", "5 g", "500mg", "2.5g", "1.9两" (liang, 50 g), "2斤"
 * (jin, 500 g).  Without a unit the value is taken in default_unit (µg per
 * unit); default_unit 0 makes the unit required.  A value finer than 1 µg
 * is SC_ERR_RANGE, never rounded. */
int mass_parse(const char *text, int64_t default_unit, int64_t *out_ug);

/* An exact decimal in unit (µg per unit, from mass_unit) as µg: SC_ERR_RANGE
 * when finer than 1 µg or too large, never rounded; SC_ERR_ARG when unit is
 * not a mass (0). */
int mass_from_decimal(struct decimal d, int64_t unit, int64_t *out_ug);

/* The µg per unit for a unit symbol ("g", "kg", "mg", "ug", "µg", "t", "斤",
 * "两", "jin", "liang"), or 0 when unknown. */
int64_t mass_unit(const char *symbol);

/* Prints ug in the given unit with trailing zeros dropped: (2500000, MASS_G)
 * -> "2.5".  unit must be a power of ten of µg. Returns chars written. */
int mass_format(int64_t ug, int64_t unit, char *buf, size_t size);

#endif
