/* Placeholder until issue 7 lands: says so plainly instead of pretending. */
#include "cli/cli.h"

int cmd_due(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("due", "not available yet (issue 7)");
}
