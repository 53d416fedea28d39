/* Text on screen goes through gettext (DESIGN.md, Conventions): msgids are
 * English, po/zh_CN.po and po/en.po translate them. */
#ifndef STALLCHECK_TUI_I18N_H
#define STALLCHECK_TUI_I18N_H

#include <libintl.h>

#include "core/roles.h"
#include "core/score.h"

#define _(s) gettext(s)
/* Marks a msgid kept in a table and translated where it is drawn. */
#define N_(s) (s)

/* The lists and star grades in the screen's language (core/score.h's
 * names are ids, never shown): "red list", "not on a list"; "red star". */
const char *i18n_list(enum score_list list);
const char *i18n_grade(enum score_grade grade);

/* roles_check (core/roles.h) with its reason in the screen's language
 * ("计量检定人员不得记录检查"): 0 when allowed, else SC_ERR_DENIED with the
 * reason in sc_error_message(). */
int i18n_roles_check(enum roles_role r, const char *own_market, enum roles_action a,
                     const char *market);
/* The msgids of core/roles.h's action texts, in its order (ROLE_ACT_COUNT). */
extern const char *const i18n_role_action_msgids[];

/* What core and devices refuse, said in the screen's language by the
 * refusal's code (core/error.h): their own messages are English, for logs
 * and the command line, and core knows nothing of locales.  Each returns a
 * translated sentence, never NULL. */
/* A reading or an answer a procedure refused (proc_feed, cg18_feed). */
const char *i18n_feed_refusal(int rc);
/* A verification or calibration that would not start (proc_new, cg18_new)
 * or resume (proc_load, cg18_load: resume = 1). */
const char *i18n_start_refusal(int rc, int resume);
/* A scale's port that would not open (devices/link.h). */
const char *i18n_port_error(int rc);
/* A ticket the receipt printer did not take (report/output.h). */
const char *i18n_printer_error(int rc);
/* A draw core/draw.h refused (a day's draw made by db/draw.h). */
const char *i18n_draw_refusal(int rc);

/* Binds the "stallcheck" domain: the build tree's locale/ directory when the
 * binary runs from it (build/stallcheck beside build/locale), else LOCALEDIR.
 * lang ("zh_CN", "en"; NULL or "" = from LANG/LC_ALL) overrides the language
 * of messages.  Makes sure LC_CTYPE is UTF-8 so Chinese can be drawn.
 * Call after setlocale(LC_ALL, ""). */
void i18n_init(const char *lang);

/* The directory the catalogues were bound to (for --help and tests). */
const char *i18n_localedir(void);

#endif
