/* The verification screens' effects (EFF_VERIFY_*), performed for the main
 * loop's backend: the instrument list, starting or resuming core/procedure.h
 * with the declared weight set, feeding readings (the engine's state saved
 * to the database after every one), and the commit with its certificate.
 * SQL only through db/, the port only through the backend. */
#ifndef STALLCHECK_TUI_VERIFY_BACKEND_H
#define STALLCHECK_TUI_VERIFY_BACKEND_H

#include "db/db.h"
#include "tui/backend.h"

struct verify_backend;

/* 0 or SC_ERR_* (with a line for the status bar in ses->message). */
int verify_perform(struct backend *be, struct verify_backend **vb, struct db *db,
                   struct session *ses, const struct tui_effect *eff);
void verify_backend_free(struct verify_backend *vb);

/* Where certificates go: $STALLCHECK_CERT_DIR, else a "certificates"
 * directory beside the database (made 0700 when missing). */
int verify_cert_dir(const char *db_path, char *buf, size_t size);

#endif
