#include "tui/conditions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mass.h"
#include "tui/i18n.h"
#include "tui/text.h"

static char *field_of(struct conditions *c, size_t *size)
{
    switch (c->field) {
    case COND_TEMP:
        *size = sizeof c->temp;
        return c->temp;
    case COND_HUMIDITY:
        *size = sizeof c->humidity;
        return c->humidity;
    case COND_DISPLAY:
        *size = sizeof c->display;
        return c->display;
    default:
        *size = sizeof c->set;
        return c->set;
    }
}

void conditions_enter(struct conditions *c, const struct session *ses)
{
    if (c->set[0] != '\0')
        return;
    for (int i = 0; i < ses->verify.n_sets; i++)
        if (!ses->verify.sets[i].expired) {
            snprintf(c->set, sizeof c->set, "%s", ses->verify.sets[i].code);
            c->set_listed = 1;
            if (c->field == COND_SET)
                c->field = COND_TEMP;
            return;
        }
}

static void cycle(struct conditions *c, const struct session *ses, int dir)
{
    int n = ses->verify.n_sets, at = -1;
    if (n == 0)
        return;
    for (int i = 0; i < n; i++)
        if (strcmp(ses->verify.sets[i].code, c->set) == 0)
            at = i;
    at = at < 0 ? 0 : (at + dir + n) % n;
    snprintf(c->set, sizeof c->set, "%s", ses->verify.sets[at].code);
    c->set_listed = 1;
}

int conditions_event(struct conditions *c, const struct session *ses, const struct tui_event *ev)
{
    size_t size;
    char *field = field_of(c, &size);
    if (ev->kind == EV_CHAR) {
        unsigned ch = ev->ch;
        int digit = (ch >= '0' && ch <= '9') || ch == '.';
        int ok = c->field == COND_SET        ? ch > ' ' && ch < 127
                 : c->field == COND_TEMP     ? digit || ch == '-'
                 : c->field == COND_HUMIDITY ? digit
                                             : digit || (ch >= 'a' && ch <= 'z');
        /* A code typed over the list's choice replaces it ("20" never
         * lands on the end of "M003-W1"). */
        if (ok && c->field == COND_SET && c->set_listed) {
            c->set[0] = '\0';
            c->set_listed = 0;
        }
        if (ok)
            text_append(field, size, ch);
        return 1;
    }
    if (ev->kind == EV_SCAN) {
        if (c->field == COND_SET) {
            snprintf(c->set, sizeof c->set, "%s", ev->text);
            c->set_listed = 0;
        }
        return 1;
    }
    if (ev->kind != EV_ACTION)
        return 0;
    switch (ev->action) {
    case ACT_ERASE:
        text_backspace(field);
        return 1;
    case ACT_NEXT_FIELD:
        c->field = (c->field + 1) % COND_FIELDS;
        return 1;
    case ACT_UP:
    case ACT_DOWN:
        /* From any field: the set is the one choice made from a list. */
        cycle(c, ses, ev->action == ACT_UP ? -1 : 1);
        return 1;
    default:
        return 0;
    }
}

static int refuse(struct conditions *c, struct session *ses, int field, const char *msgid)
{
    c->field = field;
    session_set_message(ses, msgid, 1);
    return -1;
}

int conditions_read(struct conditions *c, struct session *ses, struct conditions_values *out)
{
    if (c->set[0] == '\0')
        return refuse(c, ses, COND_SET, N_("Declare the weight set used (Up/Down)"));
    if (c->temp[0] == '\0')
        return refuse(c, ses, COND_TEMP, N_("Type the room temperature (deg C)"));
    if (c->humidity[0] == '\0')
        return refuse(c, ses, COND_HUMIDITY, N_("Type the relative humidity (%RH)"));
    if (decimal_parse(c->temp, &out->temperature, NULL) < 0) {
        c->field = COND_TEMP;
        session_message(ses, 1, "%s: '%s'", _("Temperature: not a number"), c->temp);
        return -1;
    }
    /* A relative humidity, 0 to 100 %. */
    if (decimal_parse(c->humidity, &out->humidity, NULL) < 0 || c->humidity[0] == '-' ||
        atof(c->humidity) > 100.0) {
        c->field = COND_HUMIDITY;
        session_message(ses, 1, "%s: '%s'", _("Humidity: a number from 0 to 100"), c->humidity);
        return -1;
    }
    out->display_ug = 0;
    if (c->display[0] != '\0' && mass_parse(c->display, MASS_G, &out->display_ug) < 0) {
        c->field = COND_DISPLAY;
        session_message(ses, 1, "%s: '%s'", _("Test-mode interval: not a mass"), c->display);
        return -1;
    }
    return 0;
}

int conditions_screen(struct conditions *c, int *busy, struct session *ses,
                      const struct tui_event *ev, struct tui_reaction *rx,
                      enum tui_effect_kind started, enum tui_screen_id next)
{
    rx->flags |= RX_REDRAW;
    switch (ev->kind) {
    case EV_ENTER:
        *busy = 0;
        conditions_enter(c, ses);
        return 1;
    case EV_RESULT:
        if (ev->effect == started) {
            *busy = 0;
            if (ev->status == 0) {
                rx->flags |= RX_REPLACE;
                rx->screen = next;
            }
        }
        return 1;
    default:
        break;
    }
    if (conditions_event(c, ses, ev))
        return 1;
    if (ev->kind != EV_ACTION) {
        rx->flags &= ~(unsigned)RX_REDRAW;
        return 1;
    }
    return 0;
}

struct tui_effect *conditions_start(struct conditions *c, int *busy, struct session *ses,
                                    struct tui_reaction *rx, enum tui_effect_kind k)
{
    struct conditions_values cv;
    if (*busy || conditions_read(c, ses, &cv) < 0)
        return NULL;
    *busy = 1;
    struct tui_effect *e = reaction_effect(rx, k);
    text_copy(e->start.weight_set, sizeof e->start.weight_set, c->set);
    e->start.temperature = cv.temperature;
    e->start.humidity = cv.humidity;
    e->start.display_ug = cv.display_ug;
    return e;
}
