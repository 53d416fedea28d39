/* The language a paper is made in, whatever the screen's: a Chinese paper
 * (the default: Chinese first, English second where the paper is
 * bilingual) or an English one.  Every text on paper is an English msgid
 * translated by gettext (po/zh_CN.po); a paper is built between
 * paper_lang_begin and paper_lang_end, which switch gettext's language the
 * way the gettext manual describes for a change at run time (LANGUAGE,
 * LC_MESSAGES, _nl_msg_cat_cntr) and put the caller's back. */
#ifndef STALLCHECK_REPORT_LANG_H
#define STALLCHECK_REPORT_LANG_H

enum paper_lang { PAPER_ZH, PAPER_EN };

/* "zh_CN" or "en"; SC_ERR_PARSE naming both otherwise. */
int paper_lang_parse(const char *name, enum paper_lang *out);
const char *paper_lang_name(enum paper_lang lang);

struct paper_lang_saved {
    char language[64];
    char messages[64];
    int had_language;
    int active;
};

void paper_lang_begin(enum paper_lang lang, struct paper_lang_saved *saved);
void paper_lang_end(struct paper_lang_saved *saved);

/* The separator of a bilingual label: "中文\x1fEnglish" is typeset Chinese
 * first, English second and smaller (report/card_pdf.c); text and receipts
 * print it as "中文 English". */
#define PAPER_GLOSS '\x1f'
#define PAPER_GLOSS_S "\x1f"

/* A label in the paper's language: on a Chinese paper the translation, the
 * separator and the msgid; on an English one the msgid.  The string lives
 * until 16 more calls (callers hand it straight to a card, which copies). */
const char *paper_bi(const char *msgid);

/* Whether the paper being made is Chinese. */
int paper_lang_is_zh(void);

#endif
