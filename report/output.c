#include "report/output.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/names.h"
#include "devices/escpos.h"

static const char *const format_names[REPORT_FORMAT_COUNT] = {
    [REPORT_TEXT] = "text", [REPORT_JSON] = "json", [REPORT_CSV] = "csv",
    [REPORT_PDF] = "pdf",   [REPORT_ESCPOS] = "escpos",
};

const char *report_format_name(enum report_format f)
{
    return (unsigned)f < REPORT_FORMAT_COUNT ? format_names[f] : "?";
}

int report_format_parse(const char *name, enum report_format *out)
{
    int i = names_index(format_names, REPORT_FORMAT_COUNT, name);
    if (i >= 0) {
        *out = (enum report_format)i;
        return 0;
    }
    return sc_error_set(SC_ERR_PARSE, "'%s' is not text, json, csv, pdf or escpos",
                        name != NULL ? name : "");
}

/* The cards as one receipt. */
static int receipt(struct card *const *cards, size_t n, struct escpos **out)
{
    struct escpos *e = escpos_new();
    if (e == NULL)
        return sc_error_set(SC_ERR_NOMEM, "receipt");
    int err = 0;
    for (size_t i = 0; i < n && err == 0; i++)
        err = card_escpos(cards[i], e);
    if (err < 0) {
        escpos_free(e);
        return err;
    }
    *out = e;
    return 0;
}

static int cards_escpos(struct card *const *cards, size_t n, const struct report_to *to)
{
    struct escpos *e = NULL;
    int err = receipt(cards, n, &e);
    if (err < 0)
        return err;
    if (to->printer != NULL) {
        err = escpos_send(e, to->printer, NULL);
    } else if (to->path != NULL) {
        err = escpos_write_file(e, to->path);
    } else {
        size_t len;
        const uint8_t *b = escpos_bytes(e, &len);
        if (fwrite(b, 1, len, stdout) != len || fflush(stdout) != 0)
            err = sc_error_set(SC_ERR_IO, "writing the receipt to standard output");
    }
    escpos_free(e);
    return err;
}

static int cards_text(struct card *const *cards, size_t n, const char *path)
{
    FILE *out = stdout;
    if (path != NULL && (out = fopen(path, "w")) == NULL)
        return sc_error_set(SC_ERR_IO, "%s: cannot write", path);
    int err = 0;
    for (size_t i = 0; i < n && err == 0; i++)
        err = card_text(cards[i], out);
    if (out != stdout && fclose(out) != 0 && err == 0)
        err = sc_error_set(SC_ERR_IO, "%s: cannot write", path);
    return err;
}

int report_cards(struct card *const *cards, size_t n, const struct report_to *to)
{
    switch (to->format) {
    case REPORT_TEXT:
        return cards_text(cards, n, to->path);
    case REPORT_PDF:
        if (to->path == NULL)
            return sc_error_set(SC_ERR_ARG, "a PDF needs --output FILE");
        return card_pdf(cards, n, to->path);
    case REPORT_ESCPOS:
        return cards_escpos(cards, n, to);
    default:
        return sc_error_set(SC_ERR_ARG, "cards come as text, pdf or escpos, not %s",
                            report_format_name(to->format));
    }
}
