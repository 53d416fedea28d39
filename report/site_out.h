/* Writing a static site into a directory so that publishing again rewrites
 * only what changed: each file is made in memory, compared with the one on
 * disk, and only when it differs written to a temporary file beside it and
 * renamed over it (a reader, or a web server, sees the old file or the new
 * one, never half of one).  A manifest (.stallcheck-site) lists what the
 * last run wrote; a file it listed that this run did not make is removed,
 * and nothing else in the directory is ever touched.
 *
 *   struct site_out *o;  site_out_open("public", &o);
 *   FILE *f = site_out_begin(o, "stall/M01-003.html");  fputs(..., f);
 *   site_out_end(o);     ... more files ...
 *   site_out_finish(o, &stats);   (or site_out_abort(o) on an error) */
#ifndef STALLCHECK_REPORT_SITE_OUT_H
#define STALLCHECK_REPORT_SITE_OUT_H

#include <stdio.h>

struct site_out;

struct site_out_stats {
    long files;               /* made this run */
    long written;             /* of those, new or changed on disk */
    long unchanged;
    long removed;             /* listed by the last run, not made by this one */
};

#define SITE_MANIFEST ".stallcheck-site"

/* Opens dir (created when missing, with its parents).  log, when not NULL,
 * gets one line per file written or removed ("written stall/M01-003.html"). */
int site_out_open(const char *dir, FILE *log, struct site_out **out);

/* A stream for the file at path (relative, '/'-separated, no "..");
 * NULL on failure (reason in sc_error_message()).  One file at a time. */
FILE *site_out_begin(struct site_out *o, const char *path);
/* Ends the file begun last: written when its bytes differ from the disk's. */
int site_out_end(struct site_out *o);

/* A file filled while others are made (the open data, written during the
 * whole run), too large to hold in memory: spooled to a temporary file
 * beside its place, then compared with the one there and renamed over it
 * or dropped, as site_out_end does.  Any number at once. */
struct site_spool;
FILE *site_out_spool(struct site_out *o, const char *path, struct site_spool **out);
int site_out_spool_end(struct site_out *o, struct site_spool *sp);
void site_out_spool_abort(struct site_spool *sp);

/* The SC_ERR_* of the last failure (sc_error_code()), SC_ERR_IO when none
 * was recorded: what a caller returns after a NULL stream. */
int site_out_fail(void);

/* Removes what the last run made and this one did not, writes the
 * manifest, frees o.  stats may be NULL. */
int site_out_finish(struct site_out *o, struct site_out_stats *stats);
/* Frees o after a failure: files already renamed stay (each is whole), the
 * old manifest stays, nothing is removed. */
void site_out_abort(struct site_out *o);

#endif
