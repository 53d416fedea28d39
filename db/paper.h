/* What a paper names besides its results, taken when its verdict (检定) or
 * its results (校准) are committed, so a reprint is the same paper: the
 * issuing body (the settings issuing_body, issuing_body.authorisation,
 * .address, .phone, .email), the applicant (the stall's operator, else the
 * market's organiser), the instrument's name, and the reference standard
 * (the weight set's measurement standard, its 计量标准考核证书号, range and
 * class, the set's own certificate and validity).  Kept as "key=value"
 * lines in the record; audited with it. */
#ifndef STALLCHECK_DB_PAPER_H
#define STALLCHECK_DB_PAPER_H

#include <stddef.h>

#include "db/db.h"
#include "db/registry.h"

/* Writes the snapshot into paper; place "" gets the instrument's market,
 * on site.  SC_ERR_ARG when the issuing body's name or authorisation number
 * is not set (a certificate must carry them). */
int paper_snapshot(struct db *db, const struct instrument *in, const char *weight_set, char *paper,
                   size_t size, char *place, size_t place_size);

/* A value of a snapshot: "issuer.name", "issuer.authorisation",
 * "issuer.address", "issuer.phone", "issuer.email", "applicant",
 * "instrument.name", "standard.name", "standard.cert", "standard.range",
 * "standard.accuracy", "reference.cert", "reference.until"; "" when absent. */
void paper_get(const char *paper, const char *key, char *buf, size_t size);

/* The name of an instrument of this registry kind on a paper: "电子计价秤"
 * for price-computing, "电子台秤" for platform, ... */
const char *paper_instrument_name(const char *kind);

/* prefix + the legal date's digits + "-" + the record id's first six hex
 * digits, upper case: "JD20261207-1A2B3C". */
void paper_number(const char *prefix, const char *day, const char *id, char *buf, size_t size);

#endif
