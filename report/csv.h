/* A CSV text cell, the one routine for every CSV this program writes
 * (lists, due dates, the published open data): RFC 4180 (quoted when it
 * holds a comma, a quote or a line break, a quote doubled inside), and made
 * safe for where a CSV goes:
 *   - a spreadsheet: a cell starting with = + - @ (or tab or CR) is a
 *     formula to Excel and LibreOffice (=HYPERLINK(...) runs when opened),
 *     so it gets a leading apostrophe and quotes, as OWASP's "CSV
 *     Injection" page advises; so does one starting with their full-width
 *     forms ＝ ＋ － ＠, which a Chinese input method types by default (no
 *     spreadsheet's documentation says it evaluates them: neutralised in
 *     case one converts them, as input methods do when typing a formula);
 *   - a terminal (a CSV on stdout): control characters are written as
 *     core/termsafe.h escapes them.
 * Numbers are not text cells: callers print them as numbers (a negative
 * one must stay a number). */
#ifndef STALLCHECK_REPORT_CSV_H
#define STALLCHECK_REPORT_CSV_H

#include <stdio.h>

void csv_field(FILE *out, const char *s);

#endif
