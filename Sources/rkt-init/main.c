// rkt-init: PID 1 of every pod. It starts the app as its child, forwards the signals it receives
// to it and reaps orphans, then exits with the app's status (128+N for a signal death). Without
// it the app would be PID 1, and the kernel drops signals PID 1 has no handler for, so a stop
// request (SIGINT/SIGTERM) would be ignored until the SIGKILL deadline.
// Built static: the pod's rootfs has no libc we can rely on.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int exit_status_of(int status) {
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return 128 + WTERMSIG(status);
}

int main(int argc, char *argv[]) {
    if (argc < 2) {
        fprintf(stderr, "rkt-init: usage: rkt-init CMD [ARGS...]\n");
        return 127;
    }

    sigset_t all, previous;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &previous);

    pid_t app = fork();
    if (app < 0) {
        fprintf(stderr, "rkt-init: fork: %s\n", strerror(errno));
        return 127;
    }
    if (app == 0) {
        sigprocmask(SIG_SETMASK, &previous, NULL);
        execvp(argv[1], &argv[1]);
        fprintf(stderr, "rkt-init: exec %s: %s\n", argv[1], strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }

    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&all, &info);
        if (sig < 0) {
            continue;
        }
        if (sig != SIGCHLD) {
            kill(app, sig);
            continue;
        }
        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid == app) {
                return exit_status_of(status);
            }
        }
    }
}
