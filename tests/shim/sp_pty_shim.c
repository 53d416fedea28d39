/* Test-only LD_PRELOAD shim: lets Debian's libserialport 0.1.1 open a
 * pseudo-terminal, so tests drive the libserialport path (ours with
 * transport=serial, and sigrok-cli's) against `stallcheck sim`.  Never linked
 * into the product.  It works around the three failures protocols.md lists,
 * for ptys only:
 *
 *  1. sp_get_port_by_name wants /dev/X with a /sys/class/tty/X: for a pty it
 *     looks up /dev/tty instead and then puts the pty's name back (the name
 *     is the first member of 0.1.1's struct sp_port);
 *  2. sp_open's TIOCMGET (and the other modem-control ioctls) fail on a pty
 *     with ENOTTY: reported as success, with DSR and CTS up;
 *  3. tcsetattr with 7 bits or parity fails on a pty with EINVAL: retried
 *     with 8 bits and no parity (a pty has no wire to check parity on).
 *
 * Usage: LD_PRELOAD=build/tests/sp_pty_shim.so sigrok-cli -d kern-ew-6200-2nm:conn=/dev/pts/N */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <libserialport.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>

static int path_is_pty(const char *path)
{
    struct stat st;
    if (path == NULL || stat(path, &st) != 0 || !S_ISCHR(st.st_mode))
        return 0;
    return major(st.st_rdev) >= 136 && major(st.st_rdev) <= 143;
}

static int fd_is_pty(int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISCHR(st.st_mode))
        return 0;
    return major(st.st_rdev) >= 136 && major(st.st_rdev) <= 143;
}

enum sp_return sp_get_port_by_name(const char *portname, struct sp_port **port_ptr)
{
    enum sp_return (*real)(const char *, struct sp_port **) =
        (enum sp_return(*)(const char *, struct sp_port **))dlsym(RTLD_NEXT, "sp_get_port_by_name");
    if (real == NULL)
        return SP_ERR_FAIL;
    if (!path_is_pty(portname))
        return real(portname, port_ptr);
    enum sp_return r = real("/dev/tty", port_ptr);
    if (r != SP_OK)
        return r;
    char **name = (char **)*port_ptr; /* struct sp_port { char *name; ... } in 0.1.1 */
    char *copy = strdup(portname);
    if (copy == NULL)
        return SP_ERR_MEM;
    free(*name);
    *name = copy;
    return SP_OK;
}

int ioctl(int fd, unsigned long request, ...)
{
    int (*real)(int, unsigned long, ...) = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    int r = real(fd, request, arg);
    if (r < 0 && (errno == ENOTTY || errno == EINVAL) && fd_is_pty(fd) &&
        (request == TIOCMGET || request == TIOCMSET || request == TIOCMBIS || request == TIOCMBIC)) {
        if (request == TIOCMGET && arg != NULL)
            *(int *)arg = TIOCM_DSR | TIOCM_CTS | TIOCM_CAR;
        errno = 0;
        return 0;
    }
    return r;
}

int tcsetattr(int fd, int optional_actions, const struct termios *tio)
{
    int (*real)(int, int, const struct termios *) =
        (int (*)(int, int, const struct termios *))dlsym(RTLD_NEXT, "tcsetattr");
    int r = real(fd, optional_actions, tio);
    if (r < 0 && errno == EINVAL && fd_is_pty(fd)) {
        struct termios t = *tio;
        t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | PARODD);
        t.c_cflag |= CS8;
        r = real(fd, optional_actions, &t);
    }
    return r;
}
