/* Placeholder until issue 6 lands: says so plainly instead of pretending. */
#include "cli/cli.h"

int cmd_tui(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("tui", "not available yet (issue 6)");
}

int cmd_demo(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("demo", "not available yet (issue 6)");
}
