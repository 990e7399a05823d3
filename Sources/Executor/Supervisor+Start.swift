import CShim
import Glibc
import JSONCore

extension Supervisor {
    /// Prepares the state directory, socket and pipes, spawns the task and records `executor.json`.
    ///
    /// The handled signals must already be blocked (they are read from the signalfd made here). On failure
    /// nothing keeps running: a spawned task is killed and reaped, and the socket file is removed.
    static func start(_ options: ExecutorOptions, signals: sigset_t) throws(ExecutorError) -> Supervisor {
        let state = options.stateDirectory
        try FileIO.makeDirectory(state, mode: 0o700)
        try sys("chmod", state) { chmod(state, 0o700) }
        try FileIO.makeDirectory(options.log.directory, mode: 0o755)
        // An exit record from an earlier run in this directory would describe the wrong process.
        _ = unlink(state + "/exit.json")

        var mask = signals
        let signalFD = try sys("signalfd") { rkt_signalfd(&mask) }
        let listenFD: Int32
        do {
            listenFD = try UnixSocket.listen(path: options.socketPath)
        } catch {
            closeQuietly(signalFD)
            throw error
        }
        do {
            return try spawnTask(options, signalFD: signalFD, listenFD: listenFD)
        } catch {
            closeQuietly(listenFD)
            closeQuietly(signalFD)
            _ = unlink(options.socketPath)
            throw error
        }
    }

    private static func spawnTask(_ options: ExecutorOptions, signalFD: Int32, listenFD: Int32)
        throws(ExecutorError) -> Supervisor
    {
        let stdout = try Spawn.pipe()
        let stderr = try Spawn.pipe()
        let devNull = try Spawn.openDevNull(O_RDONLY)
        defer {
            for fd in [stdout.write, stderr.write, devNull] {
                closeQuietly(fd)
            }
        }
        var pumps: [LogPump] = []
        for (pipe, stream, path) in [
            (stdout, "stdout", options.log.stdoutPath), (stderr, "stderr", options.log.stderrPath),
        ] {
            try setNonBlocking(pipe.read)
            let sink: LogSink
            if let path {
                sink = .path(FifoWriter(path: path))
            } else {
                sink = .files(
                    LogRotator(
                        directory: options.log.directory, baseName: "\(options.log.taskName).\(stream)",
                        maxFiles: options.log.maxFiles, maxBytes: options.log.maxFileBytes))
            }
            pumps.append(LogPump(fd: pipe.read, sink: sink))
        }
        // A new session gives the task its own process group (pgid == pid), which a stop timeout kills whole.
        let child = try Spawn.run(
            options.program, arguments: [options.program] + options.arguments, environment: nil,
            stdin: devNull, stdout: stdout.write, stderr: stderr.write, newSession: true)
        let supervisor = Supervisor(
            options: options, child: child, started: wallClockMilliseconds(), signalFD: signalFD,
            listenFD: listenFD, pumps: pumps)
        do {
            try FileIO.writeAtomically(options.stateDirectory + "/executor.json", supervisor.stateJSON)
        } catch {
            _ = kill(-child, SIGKILL)
            _ = kill(child, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(child, &status, 0)
            for index in pumps.indices {
                pumps[index].close()
            }
            throw error
        }
        return supervisor
    }

    /// The contents of `executor.json`.
    var stateJSON: String {
        StateJSON.encode([
            ("version", .integer(1)), ("executor_pid", .integer(Int64(getpid()))),
            ("child_pid", .integer(Int64(childPid))), ("socket", .string(options.socketPath)),
            ("started_ms", .integer(startedMilliseconds)), ("program", .string(options.program)),
            ("log_dir", .string(options.log.directory)), ("task", .string(options.log.taskName)),
        ])
    }
}
