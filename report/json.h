/* Minimal JSON output for --json: strings escaped per RFC 8259, invalid
 * UTF-8 replaced by U+FFFD so one bad byte never breaks a consumer. */
#ifndef STALLCHECK_REPORT_JSON_H
#define STALLCHECK_REPORT_JSON_H

#include <stdio.h>

/* Writes s as a quoted JSON string; NULL writes null. */
void json_string(FILE *out, const char *s);

#endif
