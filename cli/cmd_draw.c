/* Placeholder until issue 6 lands: says so plainly instead of pretending. */
#include "cli/cli.h"

int cmd_draw(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("draw", "not available yet (issue 6)");
}
