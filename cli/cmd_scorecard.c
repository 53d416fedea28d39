/* scorecard: a stall's or a market's scorecard as text, PDF or receipt. */
#include "cli/cli.h"

int cmd_scorecard(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("scorecard", "not available yet (issue 5)");
}
