/* Placeholder until issue 8 lands: says so plainly instead of pretending. */
#include "cli/cli.h"

int cmd_sync(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("sync", "not available yet (issue 8)");
}

int cmd_verify(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("verify", "not available yet (issue 8)");
}
