/* The unified social credit code (统一社会信用代码) of GB 32100-2015: 18
 * characters from a 31-character set (digits and capitals without I, O, Z,
 * S, V): 1 registration authority, 2 kind of organisation, 3-8 the
 * administrative division (digits), 9-17 the organisation's own code, 18 a
 * check character.  A stall operator's licence (营业执照) carries it. */
#ifndef STALLCHECK_CORE_USCC_H
#define STALLCHECK_CORE_USCC_H

#define USCC_LENGTH 18

/* The check character for the first 17 characters (GB 32100-2015 clause 5,
 * annex: C18 = 31 - MOD(sum Ci * Wi, 31), Wi = 3^(i-1) mod 31, 31 -> 0).
 * SC_ERR_PARSE when a character is outside the set. */
int uscc_check_char(const char *first17, char *out);

/* 0 when code is a well-formed USCC with the right check character;
 * SC_ERR_PARSE otherwise, with which position is wrong and why in
 * sc_error_message() ("position 18: check character should be 3, not Z"). */
int uscc_validate(const char *code);

#endif
