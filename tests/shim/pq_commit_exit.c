/* Test-only LD_PRELOAD shim: ends the process, status 9, right after the
 * N-th COMMIT it runs through libpq's PQexec has succeeded on the server,
 * with PQ_EXIT_AFTER_COMMIT=N in the environment.  The sync suite uses it
 * to cut a push at the one moment that could double a record (the district
 * has committed a batch, the handheld has not yet moved its mark), with
 * the real binary, the real libpq and a real server.  Never linked into the
 * product.
 *
 * Usage: LD_PRELOAD=build/shim/pq_commit_exit.so PQ_EXIT_AFTER_COMMIT=2 stallcheck sync ... */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <libpq-fe.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

PGresult *PQexec(PGconn *conn, const char *query)
{
    static PGresult *(*real)(PGconn *, const char *);
    static long commits;
    if (real == NULL)
        *(void **)&real = dlsym(RTLD_NEXT, "PQexec");
    PGresult *r = real(conn, query);
    const char *n = getenv("PQ_EXIT_AFTER_COMMIT");
    if (n != NULL && *n != '\0' && query != NULL && strcasecmp(query, "COMMIT") == 0 &&
        PQresultStatus(r) == PGRES_COMMAND_OK && ++commits == atol(n))
        _exit(9);
    return r;
}
