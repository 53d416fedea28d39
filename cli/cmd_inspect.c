/* stallcheck tui and stallcheck demo: the inspection screens. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/demo_data.h"
#include "cli/demo_file.h"
#include "core/error.h"
#include "core/mass.h"
#include "devices/printer_sim.h"
#include "db/db.h"
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
            "  --draw-stalls N     stalls the draw (key 3) picks at random (default 5)\n"
            "  --stall-scale CONN  the stall's scale, e.g. kern-fkb:conn=/dev/ttyUSB0\n"
            "  --reference CONN    the officer's reference scale\n"
            "  --fair-scale CONN   the market's fair scale (公平秤) for the fair-scale station\n"
            "                      (default: its cable in the registry)\n"
            "  --printer CONN      the receipt printer for the fair-scale tickets: a serial\n"
            "                      port or tcp-raw/HOST/PORT (default: the setting\n"
            "                      receipt_printer)\n"
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
        {"draw-stalls", required_argument, NULL, 'n'},
        {"stall-scale", required_argument, NULL, 's'},
        {"reference", required_argument, NULL, 'r'},
        {"fair-scale", required_argument, NULL, 'f'},
        {"printer", required_argument, NULL, 'p'},
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
        case 'n': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || n < 1 || n > 64)
                return cli_usage_error("tui", "--draw-stalls %s: want 1 to 64", optarg);
            opt.draw_stalls = (int)n;
            break;
        }
        case 's':
            opt.scale_conn[SCALE_STALL] = optarg;
            break;
        case 'r':
            opt.scale_conn[SCALE_REFERENCE] = optarg;
            break;
        case 'f':
            opt.scale_conn[SCALE_FAIR] = optarg;
            break;
        case 'p':
            opt.printer = optarg;
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

/* ---- stallcheck demo ---- */

struct demo_sim {
    pid_t pid;
    char control[PATH_MAX];
    char link[PATH_MAX];
};

/* Starts `stallcheck sim DRIVER --weight W --control C --link L` as a child
 * that dies with us (PR_SET_PDEATHSIG: even after kill -9 of the demo). */
static int demo_sim_start(struct demo_sim *sim, const char *dir, const char *name,
                          const char *driver, const char *weight, const char *d, const char *max)
{
    snprintf(sim->control, sizeof sim->control, "%s/%s.ctl", dir, name);
    snprintf(sim->link, sizeof sim->link, "%s/%s.pty", dir, name);
    pid_t parent = getpid();
    sim->pid = fork();
    if (sim->pid < 0)
        return sc_error_set(SC_ERR_IO, "fork: %s", strerror(errno));
    if (sim->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
        }
        const char *args[] = {"stallcheck", "sim", driver, "--weight", weight, "--d", d, "--max", max,
                              "--control", sim->control, "--link", sim->link, NULL};
        /* execv takes char *const[]: the strings are not written to. */
        execv("/proc/self/exe", (char *const *)args);
        _exit(127);
    }
    /* Ready when its link points at the pty. */
    for (int i = 0; i < 100; i++) {
        struct stat st;
        if (stat(sim->link, &st) == 0)
            return 0;
        int status;
        if (waitpid(sim->pid, &status, WNOHANG) == sim->pid) {
            sim->pid = 0;
            return sc_error_set(SC_ERR_IO, "the %s simulator exited at start", name);
        }
        usleep(50 * 1000);
    }
    return sc_error_set(SC_ERR_TIMEOUT, "the %s simulator did not start", name);
}

/* The demo's receipt printer: a child serving a pseudo-terminal
 * (devices/printer_sim.h) at DIR/printer.pty, what it prints appended to
 * DIR/receipts.bin (ESC/POS bytes, GB18030). */
struct demo_printer {
    pid_t pid;
    char link[PATH_MAX + 16];
    char out[PATH_MAX + 16];
};

static volatile sig_atomic_t printer_stop;
static void printer_on_term(int sig)
{
    (void)sig;
    printer_stop = 1;
}

static int demo_printer_start(struct demo_printer *pr, const char *dir)
{
    snprintf(pr->link, sizeof pr->link, "%s/printer.pty", dir);
    snprintf(pr->out, sizeof pr->out, "%s/receipts.bin", dir);
    struct printer_sim *p;
    int rc = printer_sim_open(pr->link, &p);
    if (rc < 0)
        return rc;
    pr->pid = fork();
    if (pr->pid < 0) {
        printer_sim_close(p);
        return sc_error_set(SC_ERR_IO, "fork: %s", strerror(errno));
    }
    if (pr->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        signal(SIGTERM, printer_on_term);
        signal(SIGINT, SIG_IGN);
        int r = printer_sim_serve(p, pr->out, &printer_stop);
        printer_sim_close(p);
        _exit(r < 0 ? 1 : 0);
    }
    /* The child serves it; the parent keeps only the link's name. */
    printer_sim_forget(p);
    return 0;
}

static void demo_printer_stop(struct demo_printer *pr)
{
    if (pr->pid > 0) {
        kill(pr->pid, SIGTERM);
        waitpid(pr->pid, NULL, 0);
        pr->pid = 0;
    }
    if (pr->link[0] != '\0') {
        unlink(pr->link);
        unlink(pr->out);
    }
}

/* The TUI picked an instrument to verify: the simulated scale stands for
 * it ("instrument MAX E" on its control FIFO, devices/sim.h), so the
 * verification reads a scale of that Max and e. */
static void demo_sim_instrument(void *arg, int scale, int64_t max_ug, int64_t e_ug)
{
    struct demo_sim *sims = arg;
    if (scale < 0 || scale >= SCALE_COUNT || sims[scale].pid <= 0)
        return;
    char max[32], e[32], line[80];
    mass_format(max_ug, MASS_G, max, sizeof max);
    mass_format(e_ug, MASS_G, e, sizeof e);
    int n = snprintf(line, sizeof line, "instrument %sg %sg\n", max, e);
    /* Never blocking the TUI: a simulator gone is no reader. */
    int fd = open(sims[scale].control, O_WRONLY | O_NONBLOCK);
    if (fd < 0)
        return;
    if (write(fd, line, (size_t)n) != n)
        fprintf(stderr, "stallcheck: demo: %s: %s\n", sims[scale].control, strerror(errno));
    close(fd);
}

static void demo_sim_stop(struct demo_sim *sim)
{
    if (sim->pid > 0) {
        kill(sim->pid, SIGTERM);
        waitpid(sim->pid, NULL, 0);
        sim->pid = 0;
    }
    unlink(sim->control);
    unlink(sim->link);
}

/* The demo's own database beside the default one (demo.db), unless --db or
 * $STALLCHECK_DB names one: the demo never touches real records. */
static const char *demo_db_path(char *buf, size_t size)
{
    const char *demo = cli_demo_db_path(buf, size);
    return demo != NULL ? demo : cli_db_path();
}

static void demo_usage(FILE *out)
{
    fprintf(out,
            "Usage: stallcheck [--db PATH] demo [--stalls N] [--lang LANG]\n"
            "The TUI on a demo district with two simulated scales: the stall's scale\n"
            "(KERN protocol, 500 g on it) and the officer's reference scale (MT-SICS,\n"
            "470 g on it), each served on a pseudo-terminal by `stallcheck sim`.\n"
            "The sign-in screen shows the demo officer's badge and PIN.\n\n"
            "The database is demo.db beside the default database (or --db / \n"
            "$STALLCHECK_DB); when missing it is made with `stallcheck demo-data`.\n"
            "While it runs, the scales' loads can be changed from another terminal:\n"
            "  echo 'load 250g' > DIR/reference.ctl     (DIR is shown on exit)\n\n"
            "Options:\n"
            "  --stalls N   stalls in a new demo district (default 1500)\n"
            "  --lang LANG  zh_CN or en (default: from $STALLCHECK_LANG, else LANG)\n"
            "  --help       this text\n");
}

int cmd_demo(int argc, char **argv)
{
    static const struct option options[] = {
        {"stalls", required_argument, NULL, 's'},
        {"lang", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *lang = getenv("STALLCHECK_LANG");
    long stalls = 1500;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 's': {
            char *end;
            stalls = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || stalls < 1 || stalls > DEMO_MAX_STALLS)
                return cli_usage_error("demo", "--stalls %s: want 1 to %d", optarg,
                                       DEMO_MAX_STALLS);
            break;
        }
        case 'l':
            lang = optarg;
            break;
        case 'h':
            demo_usage(stdout);
            return CLI_EXIT_OK;
        default:
            demo_usage(stderr);
            return CLI_EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage_error("demo", "unexpected argument '%s'", argv[optind]);
    char pathbuf[PATH_MAX];
    const char *path = demo_db_path(pathbuf, sizeof pathbuf);
    if (path == NULL)
        return cli_fail("demo", "%s", sc_error_message());
    /* The demo's first words are in its language too (the TUI's). */
    i18n_init(lang);
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, _("stallcheck demo: making a demo district of %ld stalls in %s ...\n"),
                stalls, path);
        struct demo_options dopt = {
            .stalls = stalls, .months = 12, .seed = 1, .today = NULL, .scores = 1, .progress = 0,
        };
        struct demo_result res;
        /* Built aside and renamed into place: never over a file that
         * appeared meanwhile (cli/demo_file.h). */
        if (demo_file_build(path, &dopt, &res) < 0)
            return cli_fail("demo", "demo data: %s", sc_error_message());
    }
    char dir[PATH_MAX];
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/stallcheck-demo.XXXXXX", tmp != NULL && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return cli_fail("demo", "%s: %s", dir, strerror(errno));
    struct demo_sim sims[SCALE_COUNT];
    memset(sims, 0, sizeof sims);
    /* The simulated scales are the demo's instruments: a stall's
     * price-computing scale of Max 15 kg, e = d = 5 g (demo-data's ACS-15
     * and SM-100), and the market's reference scale of Max 6 kg, d = 0.1 g
     * (its NV6101).  A stall scale of another Max: the sim's control file
     * takes "instrument 30kg 10g". */
    int rc = demo_sim_start(&sims[SCALE_STALL], dir, "stall", "kern", "500g", "5g", "15kg");
    if (rc == 0)
        rc = demo_sim_start(&sims[SCALE_REFERENCE], dir, "reference", "mt-sics", "470g", "0.1g", "6kg");
    /* The market's fair scale (demo-data's M001-FAIR: Max 30 kg, e = 10 g)
     * with a customer's 480 g of goods on it, and a receipt printer. */
    if (rc == 0)
        rc = demo_sim_start(&sims[SCALE_FAIR], dir, "fair", "kern", "480g", "10g", "30kg");
    struct demo_printer printer = {0};
    if (rc == 0)
        rc = demo_printer_start(&printer, dir);
    int status = CLI_EXIT_OK;
    if (rc < 0) {
        status = cli_fail("demo", "%s", sc_error_message());
    } else {
        char conn[SCALE_COUNT][PATH_MAX + 32];
        snprintf(conn[SCALE_STALL], sizeof conn[0], "kern:conn=%s", sims[SCALE_STALL].link);
        snprintf(conn[SCALE_REFERENCE], sizeof conn[0], "mt-sics:conn=%s",
                 sims[SCALE_REFERENCE].link);
        snprintf(conn[SCALE_FAIR], sizeof conn[0], "kern:conn=%s", sims[SCALE_FAIR].link);
        struct tui_options opt;
        memset(&opt, 0, sizeof opt);
        opt.db_path = path;
        opt.lang = lang;
        opt.scale_conn[SCALE_STALL] = conn[SCALE_STALL];
        opt.scale_conn[SCALE_REFERENCE] = conn[SCALE_REFERENCE];
        opt.scale_conn[SCALE_FAIR] = conn[SCALE_FAIR];
        opt.printer = printer.link;
        opt.sim_instrument = demo_sim_instrument;
        opt.sim_arg = sims;
        opt.demo_badge = DEMO_BADGE_OFFICER;
        opt.demo_badge2 = DEMO_BADGE_OFFICER2;
        opt.demo_pin = DEMO_PIN;
        i18n_init(lang);
        if (app_run(&opt) < 0)
            status = cli_fail("demo", "%s", sc_error_message());
    }
    for (int i = 0; i < SCALE_COUNT; i++)
        demo_sim_stop(&sims[i]);
    demo_printer_stop(&printer);
    rmdir(dir);
    return status;
}
