#include "tui/i18n.h"
#include "tui/checklist_screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/day.h"
#include "tui/text.h"

int checklist_date_add(const char *date, int days, char *out, size_t size)
{
    day_t d;
    if (date == NULL || day_parse(date, &d) < 0)
        return -1;
    day_format(d + days, out, size);
    return 0;
}

/* After an answer the cursor moves to the next unanswered item: one key per
 * item, in order, with gloves. */
static void advance(struct checklist_state *s, const struct session *ses)
{
    for (int k = 1; k <= CHECK_ITEM_COUNT; k++) {
        int i = (s->sel + k) % CHECK_ITEM_COUNT;
        if (ses->visit.answers[i] == ANSWER_NONE) {
            s->sel = i;
            return;
        }
    }
}

static void answer(struct checklist_state *s, struct session *ses, enum checklist_answer a,
                   struct tui_reaction *rx)
{
    /* Not an answer for this item: nothing; a deadline stands only on a
     * failure (core/visit.h). */
    if (visit_answer(&ses->visit, (enum checklist_item)s->sel, a) < 0)
        return;
    session_set_message(ses, "", 0);
    reaction_effect(rx, EFF_SAVE_DRAFT);
    if (!checklist_answer_failed(a))
        advance(s, ses);
    else
        session_set_message(ses, N_("Failed: 5 adds a note, 6 a correction deadline"), 0);
}

/* N/A on the re-weigh item, with the note saying why (core/visit.h). */
static int why_na_done(struct checklist_state *s, struct session *ses, struct tui_reaction *rx)
{
    if (s->entry[0] == '\0') {
        session_set_message(ses, N_("Say why the goods were not re-weighed"), 1);
        return -1;
    }
    char old[VISIT_NOTE_MAX];
    snprintf(old, sizeof old, "%s", ses->visit.notes[CHECK_REWEIGH]);
    snprintf(ses->visit.notes[CHECK_REWEIGH], VISIT_NOTE_MAX, "%s", s->entry);
    if (visit_answer(&ses->visit, CHECK_REWEIGH, ANSWER_NA) < 0) {
        snprintf(ses->visit.notes[CHECK_REWEIGH], VISIT_NOTE_MAX, "%s", old);
        session_set_message(ses, N_("Goods were re-weighed: the item is their verdict"), 1);
        return -1;
    }
    reaction_effect(rx, EFF_SAVE_DRAFT);
    return 0;
}

static void entry_done(struct checklist_state *s, struct session *ses, struct tui_reaction *rx)
{
    if (s->mode == CL_WHY_NA) {
        if (why_na_done(s, ses, rx) < 0)
            return;
    } else if (s->mode == CL_NOTE) {
        snprintf(ses->visit.notes[s->sel], VISIT_NOTE_MAX, "%s", s->entry);
        reaction_effect(rx, EFF_SAVE_DRAFT);
    } else {
        char *end;
        long days = strtol(s->entry, &end, 10);
        if (s->entry[0] == '\0' || *end != '\0' || days < 1 || days > 365) {
            session_set_message(ses, N_("A deadline is 1 to 365 days"), 1);
            return;
        }
        char date[VISIT_DATE_MAX];
        if (checklist_date_add(ses->today, (int)days, date, sizeof date) != 0 ||
            visit_set_deadline(&ses->visit, (enum checklist_item)s->sel, date) < 0) {
            session_set_message(ses, N_("Today's date is unknown"), 1);
            return;
        }
        reaction_effect(rx, EFF_SAVE_DRAFT);
    }
    enum checklist_mode was = s->mode;
    s->mode = CL_ANSWER;
    s->entry[0] = '\0';
    if (was == CL_WHY_NA)
        advance(s, ses);
}

void checklist_handle(void *state, struct session *ses, const struct tui_event *ev,
                      struct tui_reaction *rx)
{
    struct checklist_state *s = state;
    rx->flags |= RX_REDRAW;
    if (ev->kind == EV_CHAR) {
        if (s->mode == CL_DEADLINE && (ev->ch < '0' || ev->ch > '9'))
            return;
        if (ev->ch >= ' ')
            text_append(s->entry, sizeof s->entry, ev->ch);
        return;
    }
    if (ev->kind == EV_ENTER) {
        /* Back from the re-weigh (or the help, or the lock): on to the
         * next item, unless a note is being typed here. */
        if (s->mode == CL_ANSWER && ses->visit.answers[s->sel] != ANSWER_NONE)
            advance(s, ses);
        return;
    }
    if (ev->kind != EV_ACTION) {
        if (ev->kind != EV_RESULT)
            rx->flags |= RX_UNHANDLED;
        return;
    }
    if (s->mode != CL_ANSWER) {
        switch (ev->action) {
        case ACT_ERASE:
            text_backspace(s->entry);
            break;
        case ACT_OK:
            entry_done(s, ses, rx);
            break;
        case ACT_BACK:
            s->mode = CL_ANSWER;
            s->entry[0] = '\0';
            break;
        default:
            rx->flags |= RX_UNHANDLED;
            break;
        }
        return;
    }
    switch (ev->action) {
    case ACT_UP:
        s->sel = (s->sel + CHECK_ITEM_COUNT - 1) % CHECK_ITEM_COUNT;
        break;
    case ACT_DOWN:
        s->sel = (s->sel + 1) % CHECK_ITEM_COUNT;
        break;
    case ACT_PASS:
        answer(s, ses, ANSWER_PASS, rx);
        break;
    case ACT_FAIL:
        answer(s, ses, ANSWER_FAIL, rx);
        break;
    case ACT_NA:
        answer(s, ses, ANSWER_NA, rx);
        break;
    case ACT_SEAL_INTACT:
        answer(s, ses, ANSWER_SEAL_INTACT, rx);
        break;
    case ACT_SEAL_BROKEN:
        answer(s, ses, ANSWER_SEAL_BROKEN, rx);
        break;
    case ACT_SEAL_MISSING:
        answer(s, ses, ANSWER_SEAL_MISSING, rx);
        break;
    case ACT_SEAL_NOT_SEALABLE:
        answer(s, ses, ANSWER_SEAL_NOT_SEALABLE, rx);
        break;
    case ACT_REWEIGH:
        reaction_push(rx, SCR_REWEIGH);
        break;
    case ACT_NA_NOTE:
        s->mode = CL_WHY_NA;
        snprintf(s->entry, sizeof s->entry, "%s", ses->visit.notes[s->sel]);
        break;
    case ACT_NOTE:
        s->mode = CL_NOTE;
        snprintf(s->entry, sizeof s->entry, "%s", ses->visit.notes[s->sel]);
        break;
    case ACT_DEADLINE:
        if (!checklist_answer_failed(ses->visit.answers[s->sel])) {
            session_set_message(ses, N_("A deadline goes with a failed item"), 1);
            break;
        }
        s->mode = CL_DEADLINE;
        s->entry[0] = '\0';
        break;
    case ACT_SUMMARY:
        reaction_effect(rx, EFF_SCORE_PREVIEW);
        rx->flags |= RX_REPLACE;
        rx->screen = SCR_SUMMARY;
        break;
    default:
        rx->flags |= RX_UNHANDLED;
        break;
    }
}

int checklist_typing(const void *state)
{
    const struct checklist_state *s = state;
    return s->mode != CL_ANSWER;
}

/* The seal has answers of its own (intact, broken, missing, not
 * sealable); the re-weigh item opens the re-weigh. */
const enum tui_scope *checklist_keys(const void *state)
{
    const struct checklist_state *s = state;
    static const enum tui_scope entry[] = {SCOPE_ENTRY, SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope seal[] = {SCOPE_SEAL, SCOPE_CHECKLIST, SCOPE_LIST, SCOPE_GLOBAL,
                                          SCOPE_COUNT};
    static const enum tui_scope reweigh[] = {SCOPE_CL_REWEIGH, SCOPE_CHECKLIST, SCOPE_LIST,
                                             SCOPE_GLOBAL, SCOPE_COUNT};
    static const enum tui_scope plain[] = {SCOPE_CHECKLIST, SCOPE_LIST, SCOPE_GLOBAL, SCOPE_COUNT};
    if (s->mode != CL_ANSWER)
        return entry;
    return s->sel == CHECK_SEAL ? seal : s->sel == CHECK_REWEIGH ? reweigh : plain;
}
