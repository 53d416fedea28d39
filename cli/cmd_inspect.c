/* stallcheck tui and stallcheck demo: the inspection screens. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "tui/app.h"
#include "tui/i18n.h"

static void tui_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck [--db PATH] tui [OPTIONS]\n"
            "The inspection screens: sign in, today's stalls (the draw), a stall's card,\n"
            "checklist, scale, re-weigh, cheating-scale check, summary and confirm.\n"
            "Every action has a digit or F-key shown at the bottom; F1 lists them all.\n\n"
            "Options:\n"
            "  --lang LANG         zh_CN or en (default: from $STALLCHECK_LANG, else LANG)\n"
            "  --market CODE       the market to work in (default: the first)\n"
            "  --stall-scale CONN  the stall's scale, e.g. kern-fkb:conn=/dev/ttyUSB0\n"
            "  --reference CONN    the officer's reference scale\n"
            "  --help              this text\n\n"
            "Environment: NO_COLOR (no colours), STALLCHECK_LOG (where messages go\n"
            "while the screen is in use; default nowhere).\n");
}

int cmd_tui(int argc, char **argv)
{
    static const struct option options[] = {
        {"lang", required_argument, NULL, 'l'},
        {"market", required_argument, NULL, 'm'},
        {"stall-scale", required_argument, NULL, 's'},
        {"reference", required_argument, NULL, 'r'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct tui_options opt;
    memset(&opt, 0, sizeof opt);
    opt.lang = getenv("STALLCHECK_LANG");
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'l':
            opt.lang = optarg;
            break;
        case 'm':
            opt.market = optarg;
            break;
        case 's':
            opt.scale_conn[SCALE_STALL] = optarg;
            break;
        case 'r':
            opt.scale_conn[SCALE_REFERENCE] = optarg;
            break;
        case 'h':
            tui_usage(stdout);
            return CLI_EXIT_OK;
        default:
            tui_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("tui", "unexpected argument '%s'", argv[optind]);
    opt.db_path = cli_db_path();
    if (opt.db_path == NULL)
        return cli_fail("tui", "%s", sc_error_message());
    i18n_init(opt.lang);
    if (app_run(&opt) < 0)
        return cli_fail("tui", "%s", sc_error_message());
    return CLI_EXIT_OK;
}

int cmd_demo(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_fail("demo", "not available yet (issue 6)");
}
