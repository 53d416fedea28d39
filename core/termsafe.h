/* Text made safe for a terminal: one routine for every writer of text that
 * came from the database, a file or a device.  Such text is shown, never
 * obeyed: a name holding ESC [ 2 J would clear the screen, ESC ] would
 * retitle the window, a CR would overwrite the line before it, and some
 * terminals take the C1 controls (U+0080 to U+009F; CSI is U+009B) as ESC
 * sequences.  So the C0 controls and DEL are written as \n, \r, \t or
 * \xNN, the C1 controls as \u0080 ... \u009F, and bytes that are not UTF-8
 * (RFC 3629, core/utf8.h) as \xNN; everything else, Chinese included,
 * passes as it is.  (A backslash stays a backslash: the escapes are for the
 * eye, not for parsing back.)  JSON has its own escaping (report/json.h),
 * CSV cells theirs (report/csv.h). */
#ifndef STALLCHECK_CORE_TERMSAFE_H
#define STALLCHECK_CORE_TERMSAFE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Whether s holds nothing term_fputs would escape. */
int term_clean(const char *s);

/* Copies s escaped into out (size bytes, always NUL-terminated; cut at an
 * escape or character boundary when too small).  Returns out. */
char *term_escape(const char *s, char *out, size_t size);

/* Writes s escaped.  0, or EOF on a write error. */
int term_fputs(const char *s, FILE *f);

/* printf with every %s argument escaped (the format is the program's own
 * and is written as it is).  Returns as fprintf. */
int term_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int term_vprintf(FILE *f, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#endif
