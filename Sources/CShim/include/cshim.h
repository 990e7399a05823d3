#ifndef RKT_CSHIM_H
#define RKT_CSHIM_H

#include <signal.h>
#include <sys/types.h>
#include <zlib.h>

/// Spawns `path` with `argv`/`envp`, the given fds as stdin/stdout/stderr, every other fd closed,
/// all signal dispositions reset to default and an empty signal mask. `cwd` may be NULL.
/// With `new_session` the child calls setsid(). Returns 0 and sets *pid, or an errno value.
int rkt_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
              int fd_in, int fd_out, int fd_err, int new_session, const char *cwd);

/// Replaces this process with `path`, after resetting every signal disposition to default,
/// emptying the signal mask and marking every descriptor above 2 close-on-exec. Returns an
/// errno value, and only when execve fails.
int rkt_exec(const char *path, char *const argv[], char *const envp[]);

/// Initialises `strm` for inflating a gzip stream (zlib's inflateInit2 is a macro).
int rkt_inflate_init_gzip(z_stream *strm);

/// Initialises `strm` for deflating into a gzip stream at the given level.
int rkt_deflate_init_gzip(z_stream *strm, int level);

/// pipe2(fds, O_CLOEXEC): Glibc's Swift module does not export pipe2.
int rkt_pipe_cloexec(int fds[2]);

/// Creates a network namespace bound at `path` (an existing empty file) with `lo` up, like
/// `ip netns add` + `ip link set lo up`: a forked single-threaded child unshares CLONE_NEWNET,
/// bind-mounts its /proc/self/ns/net on `path` and raises lo. Returns 0, or an errno value with
/// `*step` naming the failed call ("unshare", "mount", "socket", "ioctl", "fork", "wait").
int rkt_netns_create(const char *path, const char **step);

/// Returns the calling thread's errno text for `err` (strerror_r, GNU flavour).
const char *rkt_strerror(int err, char *buf, size_t len);

/// signalfd(-1, mask, SFD_CLOEXEC | SFD_NONBLOCK): Glibc's Swift module does not export signalfd.
int rkt_signalfd(const sigset_t *mask);

/// Reads one record from a signalfd. Returns the signal number, 0 when none is pending, or -errno.
int rkt_signalfd_next(int fd);

/// eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK): Glibc's Swift module does not export eventfd.
int rkt_eventfd(void);

/// Reads an eventfd's counter (and resets it). Returns the value, 0 when it is zero (EAGAIN),
/// or -errno.
long long rkt_eventfd_take(int fd);

/// accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK): accept4 is not exported either.
int rkt_accept_cloexec(int fd);

/// Stores the uid of a connected unix socket's peer (SO_PEERCRED). Returns 0 or -1 with errno.
int rkt_peer_uid(int fd, uid_t *uid);

/// The process environment (`environ`), which Swift 6 rejects as a mutable C global.
char **rkt_environ(void);

/// prctl(PR_SET_CHILD_SUBREAPER, on): prctl is variadic and not callable from Swift.
int rkt_set_child_subreaper(int on);

/// Opens a pseudo-terminal pair (posix_openpt, grantpt, unlockpt, ptsname_r, open), both ends
/// close-on-exec and the secondary without becoming a controlling terminal. Returns 0, or an errno
/// value with nothing left open.
int rkt_openpty(int *primary, int *secondary);

/// ioctl(fd, TIOCSWINSZ) with the given size in character cells: ioctl is variadic.
int rkt_set_winsize(int fd, unsigned short rows, unsigned short columns);

#endif
