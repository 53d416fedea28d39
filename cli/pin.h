/* Reading a PIN: without echo from a terminal, or one line from stdin when
 * stdin is not a terminal (scripts and tests drive it that way). */
#ifndef STALLCHECK_CLI_PIN_H
#define STALLCHECK_CLI_PIN_H

#include <stddef.h>

/* Prompts on stderr (terminal only) and reads one line without its
 * newline.  SC_ERR_IO at end of input. */
int cli_read_pin(const char *prompt, char *buf, size_t size);

#endif
