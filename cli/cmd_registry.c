/* Placeholder until issue 2 lands: says so plainly instead of pretending. */
#include "cli/cli.h"

int cmd_import(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("import", "not available yet (issue 2)");
}

int cmd_officer(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("officer", "not available yet (issue 2)");
}

int cmd_demo_data(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("demo-data", "not available yet (issue 2)");
}
