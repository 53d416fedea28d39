/* Placeholder until issue 3 lands: says so plainly instead of pretending. */
#include "cli/cli.h"

int cmd_read(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("read", "not available yet (issue 3)");
}

int cmd_decode(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("decode", "not available yet (issue 3)");
}

int cmd_sim(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("sim", "not available yet (issue 3)");
}
