/* Placeholder until issue 5 lands: says so plainly instead of pretending. */
#include "cli/cli.h"

int cmd_score(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("score", "not available yet (issue 5)");
}

int cmd_lists(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("lists", "not available yet (issue 5)");
}

int cmd_scorecard(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("scorecard", "not available yet (issue 5)");
}

int cmd_followup(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("followup", "not available yet (issue 5)");
}
