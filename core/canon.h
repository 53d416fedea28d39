/* The canonical text of an audited record: what its content hash is the
 * SHA-256 of (db/audit.h builds it from the handheld's rows), and what the
 * district parses back into rows before it stores a pushed record.
 *
 *   for each of the kind's queries, in order:  "#N\n"  (N from 1)
 *   for each row of that query:                "--\n"
 *   for each column of the row:                "name:i=-12\n"   integer
 *                                              "name:t=text\n"  text
 *                                              "name:b=00ff\n"  blob, hex
 *                                              "name:null\n"    NULL
 * Text escapes backslash as "\\\\" and newline as "\\n"; nothing else.  An
 * integer is written as printf's %lld writes it.  So a record has exactly
 * one text: the parser refuses anything canon_write would not write. */
#ifndef STALLCHECK_CORE_CANON_H
#define STALLCHECK_CORE_CANON_H

#include <stddef.h>
#include <stdint.h>

/* A growable text (the writer's side). */
struct canon_buf {
    char *p;
    size_t len, cap;
    int oom;
};
void canon_query(struct canon_buf *b, int n);                 /* "#n" */
void canon_row(struct canon_buf *b);                          /* "--" */
void canon_text(struct canon_buf *b, const char *name, const char *v, size_t n);
void canon_int(struct canon_buf *b, const char *name, int64_t v);
void canon_blob(struct canon_buf *b, const char *name, const void *v, size_t n);
void canon_null(struct canon_buf *b, const char *name);
void canon_buf_free(struct canon_buf *b);

/* The parser's side. */
enum canon_type { CANON_NULL, CANON_INT, CANON_TEXT, CANON_BLOB };

struct canon_col {
    const char *name;      /* NUL-ended, inside the document */
    enum canon_type type;
    int64_t i;             /* CANON_INT */
    const char *data;      /* CANON_TEXT (unescaped) / CANON_BLOB bytes */
    size_t len;            /* their length (text may hold any byte) */
};

struct canon_row {
    struct canon_col *cols;
    size_t ncols;
};

struct canon_query {
    struct canon_row *rows;
    size_t nrows;
};

struct canon_doc {
    struct canon_query *queries;  /* queries[0] is "#1" */
    size_t nqueries;
    char *arena;                  /* owns every name and value */
};

/* Parses text (len bytes).  0, or SC_ERR_PARSE with "line N: why" in
 * sc_error_message() (SC_ERR_NOMEM).  Queries must be numbered 1, 2, ...
 * in order; a column name is [a-z0-9_]+; the text must be exactly what
 * canon_write gives for the result.  Free with canon_free either way. */
int canon_parse(const char *text, size_t len, struct canon_doc *doc);
void canon_free(struct canon_doc *doc);

/* The document written back as canonical text. */
void canon_write(const struct canon_doc *doc, struct canon_buf *out);

/* The column called name in a row, or NULL. */
const struct canon_col *canon_get(const struct canon_row *row, const char *name);

#endif
