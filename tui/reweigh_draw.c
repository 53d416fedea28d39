#include "tui/reweigh_screen.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/category.h"
#include "core/utf8.h"
#include "tui/draw.h"
#include "tui/i18n.h"
#include "tui/scale_screen.h"

static int chinese(void)
{
    const char *lang = setlocale(LC_MESSAGES, NULL);
    const char *language = getenv("LANGUAGE");
    return (language != NULL && strncmp(language, "zh", 2) == 0) ||
           ((language == NULL || *language == '\0') && lang != NULL && strncmp(lang, "zh", 2) == 0);
}

/* The goods of the row as the measures name them (in Chinese when the
 * screen is), without the price clause that follows "，或" / ", or ": the
 * price band is the row's other half, shown by where the row came from. */
static void category_name(int cat, char *out, size_t size)
{
    const struct reweigh_category_info *info =
        reweigh_category_info((enum reweigh_category)cat);
    if (cat == REWEIGH_NONE || info == NULL) {
        snprintf(out, size, "%s", _("by unit price"));
        return;
    }
    const char *name = chinese() ? info->name_zh : info->name_en;
    const char *cut = strstr(name, chinese() ? "，或" : ", or ");
    snprintf(out, size, "%.*s", cut != NULL ? (int)(cut - name) : (int)strlen(name), name);
}

/* The measures' table a row is from (core/reweigh.h keeps the Chinese
 * name, "附表1"), as the screen's language cites it. */
static const char *table_label(const struct reweigh_category_info *info)
{
    if (info == NULL)
        return "-";
    /* TRANSLATORS: 附表1 of 《零售商品称重计量监督管理办法》 (the retail
     * weighing measures): the re-weigh tolerance table for food. */
    if (strcmp(info->table, "附表1") == 0)
        return _("Table 1");
    /* TRANSLATORS: 附表2 of the same measures: gold and silver jewellery. */
    if (strcmp(info->table, "附表2") == 0)
        return _("Table 2");
    return info->table;
}

/* Where the row comes from, under it: the officer reads why (wrapped over
 * the rows up to foot). */
static int draw_row_source(int y, int foot, enum reweigh_category applied, const char *category,
                            enum reweigh_row_from from)
{
    char line[200];
    const struct category_info *c = category_find(category);
    const struct reweigh_category_info *info = reweigh_category_info(applied);
    int n = snprintf(line, sizeof line, "%s · ", table_label(info));
    switch (from) {
    case ROW_FROM_OFFICER:
        snprintf(line + n, sizeof line - n, "%s", _("as chosen (Left/Right)"));
        break;
    case ROW_FROM_PRICE:
        snprintf(line + n, sizeof line - n, "%s", _("by the unit price (the larger deviation)"));
        break;
    case ROW_FROM_STALL:
        snprintf(line + n, sizeof line - n, "%s: %s", _("the stall's category"),
                 c == NULL ? "-" : chinese() ? c->zh : c->id);
        break;
    default:
        snprintf(line, sizeof line, "%s", _("none: type the price or choose"));
        break;
    }
    return draw_wrap(y, foot, 3, CR_DIM, line);
}

int reweigh_draw_row(int y, int foot, const struct reweigh_choice *r, const char *declared,
                     const char *price, const char *category)
{
    enum reweigh_category applied;
    enum reweigh_row_from from = reweigh_row_applied(r, declared, price, &applied);
    /* "< name >": the arrows say Left/Right change it; a long name takes
     * up to three rows rather than being cut (the meat row's, in English). */
    char name[200], line[260];
    category_name((int)applied, name, sizeof name);
    snprintf(line, sizeof line, "%s: < %s >", _("Category"), name);
    y = draw_wrap(y, y + 3 < foot ? y + 3 : foot, 1, CR_NORMAL, line);
    if (y < foot)
        y = draw_row_source(y, y + 2 < foot ? y + 2 : foot, applied, category, from);
    return y;
}

void reweigh_draw(const void *state, const struct session *ses, int foot)
{
    const struct reweigh_state *s = state;
    char title[160];
    snprintf(title, sizeof title, "%s %s", _("Re-weigh"), ses->card.stall);
    draw_title(title, ses);
    int y = draw_top(), cols = draw_cols();
    y = reweigh_draw_row(y, foot, &s->row, s->declared, s->price, ses->card.category);
    int yd = y++, yp = y++;
    y += scale_draw_panel(&ses->scales[SCALE_REFERENCE], y, foot - y > 4 ? 4 : 2,
                          _("Reference scale"));
    if (y < foot && ses->visit.n_reweigh > 0)
        draw_textf(y++, 1, cols - 2, CR_LABEL, _("Re-weighs in this inspection: %d"),
                   ses->visit.n_reweigh);
    draw_input(yd, _("Declared weight (g)"), s->declared, s->field == RW_DECLARED, 0);
    draw_input(yp, _("Unit price (yuan/kg)"), s->price, s->field == RW_PRICE, 0);
}
