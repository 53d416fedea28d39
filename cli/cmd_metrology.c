/* Placeholder until issue 4 lands: says so plainly instead of pretending. */
#include "cli/cli.h"

int cmd_mpe(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("mpe", "not available yet (issue 4)");
}

int cmd_reweigh(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("reweigh", "not available yet (issue 4)");
}
