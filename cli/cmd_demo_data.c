/* stallcheck demo-data: placeholder until the generator lands. */
#include "cli/cli.h"

int cmd_demo_data(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("demo-data", "not available yet (issue 2)");
}
