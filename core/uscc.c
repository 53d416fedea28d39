#include "core/uscc.h"

#include <string.h>

#include "core/error.h"

/* GB 32100-2015 Table 1: the code's characters and their values 0..30. */
static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Wi = 3^(i-1) mod 31, i = 1..17 (GB 32100-2015, the check-character
 * formula; Table 2 lists the same weights). */
static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int value_of(char c)
{
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

int uscc_check_char(const char *first17, char *out)
{
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = value_of(first17[i]);
        if (v < 0)
            return sc_error_set(SC_ERR_PARSE, "position %d: '%c' is not a code character "
                                              "(digits and capitals other than I O Z S V)",
                                i + 1, first17[i] ? first17[i] : ' ');
        sum += v * weights[i];
    }
    int c18 = 31 - sum % 31;
    *out = alphabet[c18 == 31 ? 0 : c18];
    return 0;
}

int uscc_validate(const char *code)
{
    size_t n = strlen(code);
    if (n != USCC_LENGTH)
        return sc_error_set(SC_ERR_PARSE, "a unified social credit code has 18 characters, "
                                          "not %zu",
                            n);
    for (int i = 0; i < USCC_LENGTH - 1; i++) {
        if (value_of(code[i]) < 0)
            return sc_error_set(SC_ERR_PARSE, "position %d: '%c' is not a code character "
                                              "(digits and capitals other than I O Z S V)",
                                i + 1, code[i]);
        /* Positions 3-8: the administrative division code, digits only. */
        if (i >= 2 && i <= 7 && (code[i] < '0' || code[i] > '9'))
            return sc_error_set(SC_ERR_PARSE, "position %d: the division code (3-8) is "
                                              "digits, not '%c'",
                                i + 1, code[i]);
    }
    char want;
    int rc = uscc_check_char(code, &want);
    if (rc < 0)
        return rc;
    if (code[17] != want)
        return sc_error_set(SC_ERR_PARSE, "position 18: check character should be %c, not %c",
                            want, code[17]);
    return 0;
}
