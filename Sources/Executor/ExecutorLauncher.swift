import Glibc

/// A started executor, as `ExecutorLauncher.launch` reports it.
public struct LaunchedExecutor: Equatable, Sendable {
    /// The executor's pid (not the launcher's child: the executor detaches).
    public var executorPid: pid_t
    /// The task's pid.
    public var childPid: pid_t
    /// Where the executor listens.
    public var socketPath: String
}

/// Starts `rkt-executor` for one task and waits until the task is running.
public enum ExecutorLauncher {
    /// Spawns the executor detached (new session, cwd /, stdin /dev/null), waits for its ready line and
    /// returns its pid and socket. `environment` becomes the executor's and so, unchanged, the task's.
    ///
    /// The launcher reaps only the executor's short-lived first process (see `ExecutorMain.detach`); the
    /// executor itself is reparented away from the caller, so the caller may exit or be killed at any time.
    public static func launch(
        executable: String, stateDirectory: String, logConfig: ExecutorLogConfig, lingerSeconds: Int = 60,
        program: String, arguments: [String], environment: [String], readyTimeout: Duration = .seconds(10)
    ) throws(ExecutorError) -> LaunchedExecutor {
        let options = ExecutorOptions(
            stateDirectory: stateDirectory, log: logConfig, lingerSeconds: lingerSeconds, program: program,
            arguments: arguments)
        try options.validate()

        let ready = try Spawn.pipe()
        let devNull: Int32
        let pid: pid_t
        do {
            devNull = try Spawn.openDevNull(O_RDONLY)
            defer { closeQuietly(devNull) }
            pid = try Spawn.run(
                executable, arguments: [executable] + options.commandLine, environment: environment, stdin: devNull,
                stdout: ready.write, stderr: ready.write, newSession: true, directory: "/")
        } catch {
            closeQuietly(ready.read)
            closeQuietly(ready.write)
            throw error
        }
        closeQuietly(ready.write)
        defer { closeQuietly(ready.read) }

        let line = Result { () throws(ExecutorError) in
            try LineChannel.readLine(
                ready.read, timeoutMilliseconds: readyTimeout.wholeMilliseconds, what: "rkt-executor's ready pipe")
        }
        // The first process exits right after forking (or after reporting a usage error). ECHILD means the
        // caller's own reaper collected it first, which is fine.
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return try parseReady(try line.get())
    }

    private static func parseReady(_ line: String) throws(ExecutorError) -> LaunchedExecutor {
        let reply = try ExecutorClient.checked(try WireMessage.parse(line))
        guard let pid = reply["pid"].flatMap({ pid_t($0) }), let child = reply["child_pid"].flatMap({ pid_t($0) }),
            let socket = reply["socket"]
        else {
            throw ExecutorError(.protocolError, "malformed ready line '\(line)'")
        }
        return LaunchedExecutor(executorPid: pid, childPid: child, socketPath: socket)
    }
}
