import Glibc

/// The `rkt-executor` program: detach, start the task, report readiness, then serve until done.
///
/// Readiness protocol: the executor's stdout (normally a pipe from `ExecutorLauncher`) receives exactly one
/// line in the socket protocol's format, `ok pid=<executor> child_pid=<task> socket=<path>` once the task is
/// running, the socket is listening and `executor.json` is written; or `err code=<code> msg=<text>` if
/// starting failed. Then stdout and stderr are pointed at `<state>/executor.log`, which closes the pipe.
public enum ExecutorMain {
    /// Runs the executor with the process's full argv and returns its exit status.
    public static func run(_ argv: [String]) -> Int32 {
        // Before anything else, and while this process has one thread: block the signals the loop reads
        // through its signalfd (STYLE §5.8), and ignore SIGPIPE (a vanished client must not kill us; the
        // spawn shim restores default dispositions for the task).
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in Supervisor.handledSignals {
            sigaddset(&mask, signal)
        }
        sigprocmask(SIG_BLOCK, &mask, nil)
        signal(SIGPIPE, SIG_IGN)

        let options: ExecutorOptions
        do {
            options = try ExecutorOptions.parse(Array(argv.dropFirst()))
        } catch {
            report(failure: error)
            return 2
        }
        detach()
        do {
            let supervisor = try Supervisor.start(options, signals: mask)
            let ready = [
                ("pid", String(getpid())), ("child_pid", String(supervisor.childPid)), ("socket", options.socketPath),
            ]
            report(WireMessage("ok", ready))
            redirectOutput(to: options.stateDirectory + "/executor.log")
            note("started task pid \(supervisor.childPid): \(options.program)")
            return supervisor.run()
        } catch {
            report(failure: error)
            return 1
        }
    }

    /// Leaves the caller's process group and session, its working directory and its stdin.
    ///
    /// The fork makes this process a non-leader, so setsid cannot fail, and reparents it to init (or the
    /// nearest subreaper): the launcher reaps only the short-lived parent and never sees the executor's
    /// exit. Forking is safe here: no thread exists yet.
    private static func detach() {
        let pid = fork()
        if pid > 0 {
            _exit(0)
        }
        if pid < 0 {
            report(failure: ExecutorError.syscall("fork", errno: errno))
            _exit(1)
        }
        _ = setsid()
        _ = chdir("/")
        let devNull = open("/dev/null", O_RDWR)
        if devNull > 0 {
            dup2(devNull, 0)
            closeQuietly(devNull)
        }
    }

    private static func report(_ message: WireMessage) {
        _ = try? FileIO.writeAll(1, message.line, what: "stdout")
    }

    private static func report(failure error: ExecutorError) {
        report(WireMessage("err", [("code", error.code.rawValue), ("msg", error.message)]))
    }

    /// Points stdout and stderr at the executor's own log (or /dev/null), releasing the launcher's pipe.
    private static func redirectOutput(to path: String) {
        var fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        if fd < 0 {
            fd = open("/dev/null", O_WRONLY | O_CLOEXEC)
        }
        guard fd >= 0 else {
            return
        }
        dup2(fd, 1)
        dup2(fd, 2)
        closeQuietly(fd)
    }
}
