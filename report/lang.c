#include "report/lang.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* glibc's catalogue cache counter: bumping it makes gettext look again
 * after LANGUAGE changed (the gettext manual, "Being a gettext grok"). */
extern int _nl_msg_cat_cntr;

static enum paper_lang current = PAPER_ZH;

int paper_lang_parse(const char *name, enum paper_lang *out)
{
    if (name != NULL && (strcmp(name, "zh_CN") == 0 || strcmp(name, "zh") == 0)) {
        *out = PAPER_ZH;
        return 0;
    }
    if (name != NULL && strcmp(name, "en") == 0) {
        *out = PAPER_EN;
        return 0;
    }
    return sc_error_set(SC_ERR_PARSE, "'%s' is not a paper language (zh_CN or en)",
                        name ? name : "");
}

const char *paper_lang_name(enum paper_lang lang) { return lang == PAPER_EN ? "en" : "zh_CN"; }

void paper_lang_begin(enum paper_lang lang, struct paper_lang_saved *saved)
{
    memset(saved, 0, sizeof *saved);
    const char *l = getenv("LANGUAGE");
    saved->had_language = l != NULL;
    snprintf(saved->language, sizeof saved->language, "%s", l ? l : "");
    const char *m = setlocale(LC_MESSAGES, NULL);
    snprintf(saved->messages, sizeof saved->messages, "%s", m ? m : "C");
    /* gettext ignores LANGUAGE under the C locale: a UTF-8 one first. */
    if (setlocale(LC_MESSAGES, lang == PAPER_ZH ? "zh_CN.UTF-8" : "C.UTF-8") == NULL)
        setlocale(LC_MESSAGES, "C.UTF-8");
    setenv("LANGUAGE", lang == PAPER_ZH ? "zh_CN" : "en", 1);
    ++_nl_msg_cat_cntr;
    current = lang;
    saved->active = 1;
}

void paper_lang_end(struct paper_lang_saved *saved)
{
    if (!saved->active)
        return;
    setlocale(LC_MESSAGES, saved->messages);
    if (saved->had_language)
        setenv("LANGUAGE", saved->language, 1);
    else
        unsetenv("LANGUAGE");
    ++_nl_msg_cat_cntr;
    saved->active = 0;
    current = PAPER_ZH;
}

int paper_lang_is_zh(void) { return current == PAPER_ZH; }

const char *paper_bi(const char *msgid)
{
    static char ring[16][320];
    static unsigned next;
    const char *t = gettext(msgid);
    if (current != PAPER_ZH || strcmp(t, msgid) == 0)
        return t;
    char *buf = ring[next++ % 16];
    snprintf(buf, sizeof ring[0], "%s" PAPER_GLOSS_S "%s", t, msgid);
    return buf;
}
