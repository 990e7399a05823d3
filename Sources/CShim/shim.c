#define _GNU_SOURCE
#include "cshim.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>
#include <signal.h>
#include <spawn.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

int rkt_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
              int fd_in, int fd_out, int fd_err, int new_session, const char *cwd) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    sigset_t empty, all;
    int err;

    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);

    // dup2 clears FD_CLOEXEC on the target, so the three std fds survive the closefrom below.
    posix_spawn_file_actions_adddup2(&actions, fd_in, 0);
    posix_spawn_file_actions_adddup2(&actions, fd_out, 1);
    posix_spawn_file_actions_adddup2(&actions, fd_err, 2);
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (cwd != NULL) {
        posix_spawn_file_actions_addchdir_np(&actions, cwd);
    }

    // Dispatch worker threads block most signals and the parent may ignore SIGPIPE; the child
    // must start with a clean mask and default dispositions (STYLE §5.1, §5.4).
    sigemptyset(&empty);
    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    posix_spawnattr_setsigmask(&attr, &empty);
    posix_spawnattr_setsigdefault(&attr, &all);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (new_session) {
        flags |= POSIX_SPAWN_SETSID;
    }
    posix_spawnattr_setflags(&attr, flags);

    err = posix_spawn(pid, path, &actions, &attr, argv, envp);

    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    return err;
}

int rkt_exec(const char *path, char *const argv[], char *const envp[]) {
    // The same clean start rkt_spawn gives a child: default dispositions, an empty mask, and
    // no descriptor but the standard three.
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP) {
            signal(sig, SIG_DFL);
        }
    }
    sigset_t empty;
    sigemptyset(&empty);
    pthread_sigmask(SIG_SETMASK, &empty, NULL);
    if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
        return errno;
    }
    execve(path, argv, envp);
    return errno;
}

int rkt_inflate_init_gzip(z_stream *strm) {
    return inflateInit2(strm, 16 + MAX_WBITS);
}

int rkt_deflate_init_gzip(z_stream *strm, int level) {
    return deflateInit2(strm, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
}

int rkt_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

const char *rkt_strerror(int err, char *buf, size_t len) {
    return strerror_r(err, buf, len);
}

int rkt_signalfd(const sigset_t *mask) {
    return signalfd(-1, mask, SFD_CLOEXEC | SFD_NONBLOCK);
}

int rkt_signalfd_next(int fd) {
    struct signalfd_siginfo info;
    ssize_t n = read(fd, &info, sizeof info);
    if (n == (ssize_t)sizeof info) {
        return (int)info.ssi_signo;
    }
    return (n < 0 && errno != EAGAIN) ? -errno : 0;
}

int rkt_eventfd(void) {
    return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

long long rkt_eventfd_take(int fd) {
    eventfd_t value = 0;
    ssize_t n = read(fd, &value, sizeof value);
    if (n == (ssize_t)sizeof value) {
        return value > (eventfd_t)LLONG_MAX ? LLONG_MAX : (long long)value;
    }
    return (n < 0 && errno != EAGAIN) ? -errno : 0;
}

int rkt_accept_cloexec(int fd) {
    return accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
}

int rkt_peer_uid(int fd, uid_t *uid) {
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
        return -1;
    }
    *uid = cred.uid;
    return 0;
}

char **rkt_environ(void) {
    return environ;
}

int rkt_set_child_subreaper(int on) {
    return prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0);
}

int rkt_openpty(int *primary, int *secondary) {
    char name[128];
    int err;
    int p = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (p < 0) {
        return errno;
    }
    if (grantpt(p) != 0 || unlockpt(p) != 0 || (err = ptsname_r(p, name, sizeof name)) != 0) {
        err = errno;
        close(p);
        return err;
    }
    int s = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s < 0) {
        err = errno;
        close(p);
        return err;
    }
    *primary = p;
    *secondary = s;
    return 0;
}

int rkt_set_winsize(int fd, unsigned short rows, unsigned short columns) {
    struct winsize size = {.ws_row = rows, .ws_col = columns};
    return ioctl(fd, TIOCSWINSZ, &size);
}

// After fork only async-signal-safe calls run in the child (STYLE §5.6); it reports the failed
// step and errno over a close-on-exec pipe and leaves with _exit.
static void netns_child(const char *path, int report) {
    int failure[2] = {0, 0};
    struct ifreq request;
    int sock;

    if (unshare(CLONE_NEWNET) != 0) {
        failure[0] = 1;
    } else if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) != 0) {
        failure[0] = 2;
    } else if ((sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
        failure[0] = 3;
    } else {
        memset(&request, 0, sizeof(request));
        memcpy(request.ifr_name, "lo", 3);
        if (ioctl(sock, SIOCGIFFLAGS, &request) != 0) {
            failure[0] = 4;
        } else {
            request.ifr_flags |= IFF_UP;
            if (ioctl(sock, SIOCSIFFLAGS, &request) != 0) {
                failure[0] = 4;
            }
        }
    }
    if (failure[0] != 0) {
        failure[1] = errno;
        (void)write(report, failure, sizeof(failure));
        _exit(1);
    }
    _exit(0);
}

int rkt_netns_create(const char *path, const char **step) {
    static const char *steps[] = {"", "unshare", "mount", "socket", "ioctl"};
    int report[2];
    int failure[2] = {0, 0};
    int status;
    pid_t pid;

    if (pipe2(report, O_CLOEXEC) != 0) {
        *step = "pipe2";
        return errno;
    }
    pid = fork();
    if (pid < 0) {
        int err = errno;
        close(report[0]);
        close(report[1]);
        *step = "fork";
        return err;
    }
    if (pid == 0) {
        close(report[0]);
        netns_child(path, report[1]);
    }
    close(report[1]);
    ssize_t got = read(report[0], failure, sizeof(failure));
    close(report[0]);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            *step = "wait";
            return errno;
        }
    }
    if (got == (ssize_t)sizeof(failure) && failure[0] > 0 && failure[0] <= 4) {
        *step = steps[failure[0]];
        return failure[1];
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        *step = "child";
        return ECHILD;
    }
    return 0;
}
