/* stallcheck tui and stallcheck demo: the inspection screens. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/error.h"
#include "tui/app.h"
#include "tui/i18n.h"
#include "tui/keys.h"

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
            "  --keys              print every screen's keys (the help screen) and exit\n"
            "  --help              this text\n\n"
            "Environment: NO_COLOR (no colours), STALLCHECK_LOG (where messages go\n"
            "while the screen is in use; default nowhere).\n");
}

/* The key table as text: the same rows the help screen shows (F1). */
static void print_keys(FILE *out)
{
    size_t n;
    const struct tui_key_row *t = keys_table(&n);
    for (int s = 0; s < SCOPE_COUNT; s++) {
        int header = 0;
        for (size_t i = 0; i < n; i++) {
            if ((int)t[i].scope != s)
                continue;
            char name[16], prev[16];
            keys_key_name(t[i].key, name, sizeof name);
            if (i > 0 && t[i - 1].scope == t[i].scope && t[i - 1].action == t[i].action &&
                strcmp(keys_key_name(t[i - 1].key, prev, sizeof prev), name) == 0)
                continue;
            if (!header)
                fprintf(out, "%s:\n", _(keys_scope_label((enum tui_scope)s)));
            header = 1;
            fprintf(out, "  %-10s %s\n", name, _(keys_action_label(t[i].action)));
        }
    }
}

int cmd_tui(int argc, char **argv)
{
    static const struct option options[] = {
        {"lang", required_argument, NULL, 'l'},
        {"market", required_argument, NULL, 'm'},
        {"stall-scale", required_argument, NULL, 's'},
        {"reference", required_argument, NULL, 'r'},
        {"keys", no_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int keys_only = 0;
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
        case 'k':
            keys_only = 1;
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
    if (keys_only) {
        i18n_init(opt.lang);
        print_keys(stdout);
        return CLI_EXIT_OK;
    }
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
