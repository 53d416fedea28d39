/* The checklist: one item per line, one key per answer (pass / fail / not
 * applicable; the seal: intact / broken / missing / not sealable), an
 * optional note, and a correction deadline (限期整改, in days from today) on
 * a failed item.  Every answer asks for the draft to be saved.  The
 * re-weigh item is answered by a re-weigh: its key opens the re-weigh
 * screen, which comes back here with the item answered. */
#ifndef STALLCHECK_TUI_CHECKLIST_SCREEN_H
#define STALLCHECK_TUI_CHECKLIST_SCREEN_H

#include "tui/screen.h"

/* CL_WHY_NA: the note saying why the goods were not re-weighed, which
 * answers the re-weigh item n/a. */
enum checklist_mode { CL_ANSWER, CL_NOTE, CL_DEADLINE, CL_WHY_NA };

struct checklist_state {
    int sel;
    enum checklist_mode mode;
    char entry[VISIT_NOTE_MAX];
};

void checklist_handle(void *state, struct session *ses, const struct tui_event *ev,
                      struct tui_reaction *rx);
void checklist_draw(const void *state, const struct session *ses, int foot);
/* A note or a deadline is being typed; the keys on the item selected. */
int checklist_typing(const void *state);
const enum tui_scope *checklist_keys(const void *state);

/* The checklist titles as msgids (for xgettext and the i18n test). */
extern const char *const checklist_title_msgids[];
extern const unsigned checklist_title_msgid_count;

/* "YYYY-MM-DD" plus days, into out (size >= 11); -1 if date is not a date. */
int checklist_date_add(const char *date, int days, char *out, size_t size);

#endif
