/* Pieces of the public site's pages that need no state of the run: links
 * between records, masses, dates, an instrument's verification state and
 * the fields of a draw's inputs. */
#ifndef STALLCHECK_REPORT_SITE_HTML_H
#define STALLCHECK_REPORT_SITE_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report/site_path.h"

/* A link to another record's page from one level down ("../stall/X.html"). */
void site_link(FILE *f, enum site_kind kind, const char *key, const char *text);
void site_mass(FILE *f, int64_t ug);   /* "1.25 kg", "950 g" */
void site_day(char buf[11], const char *text);  /* the date part, or "" */
/* An instrument's verification state on as_of (core/due.h): never
 * verified, overdue, or in date (with_date: "due again DATE"). */
void site_verification_state(FILE *f, const char *due_date, const char *as_of, int with_date);

/* A value of a draw's inputs text ("kind", "day", "replaces", "reason"):
 * db/draw.h's lines "KEY VALUE"; "" when absent. */
void site_draw_input(const char *inputs, const char *key, char *buf, size_t size);
/* A draw's kind from its inputs: "legacy" when it has none (made before
 * kinds existed). */
void site_draw_kind(const char *inputs, char buf[16]);

#endif
