#include "devices/printer_sim.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/error.h"

struct printer_sim {
    int master, slave;
    char path[PATH_MAX];
    char link[PATH_MAX];
};

int printer_sim_open(const char *link, struct printer_sim **out)
{
    struct printer_sim *p = calloc(1, sizeof *p);
    if (p == NULL)
        return sc_error_set(SC_ERR_NOMEM, "out of memory");
    if (openpty(&p->master, &p->slave, p->path, NULL, NULL) != 0) {
        free(p);
        return sc_error_set(SC_ERR_IO, "openpty: %s", strerror(errno));
    }
    /* Raw: receipt bytes are binary (ESC/POS), nothing may be translated.
     * The slave stays open here, so the master reads no end of file
     * between two tickets. */
    struct termios tio;
    tcgetattr(p->slave, &tio);
    cfmakeraw(&tio);
    tcsetattr(p->slave, TCSANOW, &tio);
    snprintf(p->link, sizeof p->link, "%s", link);
    unlink(link);
    if (symlink(p->path, link) != 0) {
        int e = errno;
        printer_sim_close(p);
        return sc_error_set(SC_ERR_IO, "%s: %s", link, strerror(e));
    }
    *out = p;
    return 0;
}

int printer_sim_serve(struct printer_sim *p, const char *out_path, volatile sig_atomic_t *stop)
{
    int fd = open(out_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd < 0)
        return sc_error_set(SC_ERR_IO, "%s: %s", out_path, strerror(errno));
    int rc = 0;
    while (!*stop) {
        struct pollfd pfd = {.fd = p->master, .events = POLLIN};
        int n = poll(&pfd, 1, 200);
        if (n < 0 && errno != EINTR) {
            rc = sc_error_set(SC_ERR_IO, "poll: %s", strerror(errno));
            break;
        }
        if (n <= 0)
            continue;
        unsigned char buf[4096];
        ssize_t got = read(p->master, buf, sizeof buf);
        if (got < 0 && (errno == EINTR || errno == EAGAIN || errno == EIO))
            continue;
        if (got <= 0)
            break;
        if (write(fd, buf, (size_t)got) != got) {
            rc = sc_error_set(SC_ERR_IO, "%s: %s", out_path, strerror(errno));
            break;
        }
    }
    close(fd);
    return rc;
}

void printer_sim_close(struct printer_sim *p)
{
    if (p == NULL)
        return;
    if (p->link[0] != '\0')
        unlink(p->link);
    close(p->master);
    close(p->slave);
    free(p);
}

void printer_sim_forget(struct printer_sim *p)
{
    if (p == NULL)
        return;
    close(p->master);
    close(p->slave);
    free(p);
}
