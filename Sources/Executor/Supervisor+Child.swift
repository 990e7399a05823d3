import Glibc

extension Supervisor {
    /// Collects the task's exit if it has happened. The executor waits for its one child by pid only: no
    /// waitpid(-1), so nothing else's status can be taken (STYLE §5.5).
    func reapIfExited() {
        guard exit == nil else {
            return
        }
        var status: Int32 = 0
        let result = waitpid(childPid, &status, WNOHANG)
        guard result == childPid else {
            return
        }
        // WIFEXITED/WTERMSIG are macros Swift cannot see: the low 7 bits hold the signal, 0 for a normal
        // exit, whose code is in the next byte. Stops are not reported without WUNTRACED.
        let signal = status & 0x7F
        let code = signal == 0 ? (status >> 8) & 0xFF : 0
        recordExit(code: code, signal: signal)
    }

    private func recordExit(code: Int32, signal: Int32) {
        // Take what the task wrote before it died, so a `wait` reply means its own output is on disk.
        for index in pumps.indices {
            for text in pumps[index].drain(into: &buffer, maxReads: 1024) {
                note(text)
            }
        }
        let record = ExitRecord(
            childPid: childPid, exitCode: code, signal: signal, killedByExecutor: killedByExecutor,
            startedMilliseconds: startedMilliseconds, finishedMilliseconds: wallClockMilliseconds(),
            droppedLogBytes: droppedLogBytes)
        exit = record
        killDeadline = nil
        lingerDeadline = monotonicMilliseconds() + Int64(options.lingerSeconds) * 1000
        do {
            try FileIO.writeAtomically(options.stateDirectory + "/exit.json", record.json)
        } catch {
            note("could not record the exit: \(error.message)")
        }
        note("task pid \(childPid) exited: code \(code), signal \(signal)")
        let reply = status.message
        for index in clients.indices where clients[index].pending != nil {
            clients[index].pending = nil
            clients[index].queue(reply)
        }
    }

    /// Sends `signal` to the task's process (not its group: `rkt run-prepared` forwards signals to the app).
    func sendToChild(_ signal: Int32) throws(ExecutorError) {
        guard exit == nil else {
            throw ExecutorError(.invalidState, "the task has exited")
        }
        // The pid cannot have been reused: it is our unreaped child until reapIfExited collects it.
        guard kill(childPid, signal) == 0 || errno == ESRCH else {
            throw ExecutorError.syscall("kill", "pid \(childPid) signal \(signal)", errno: errno)
        }
    }

    /// Sends `signal` now and SIGKILL to the whole process group if the task outlives `timeout`.
    func beginStop(_ signal: Int32, timeoutMilliseconds: Int64) throws(ExecutorError) {
        try sendToChild(signal)
        let deadline = monotonicMilliseconds() + max(0, timeoutMilliseconds)
        killDeadline = min(killDeadline ?? deadline, deadline)
    }

    /// SIGKILLs the task's process group (its pgid is its pid: it was spawned in a new session) and the task.
    func killChildGroup() {
        guard exit == nil else {
            return
        }
        killedByExecutor = true
        killDeadline = nil
        _ = kill(-childPid, SIGKILL)
        _ = kill(childPid, SIGKILL)
    }

    /// SIGTERM or SIGINT sent to the executor: pass SIGTERM to the task, escalate after a while, and leave
    /// once it has exited. A second such signal kills the task at once.
    func stopForSelf(_ signal: Int32) {
        note("received \(SignalNames.name(for: signal)); stopping the task")
        if exitRequested {
            killChildGroup()
            return
        }
        exitRequested = true
        try? beginStop(SIGTERM, timeoutMilliseconds: Self.selfStopTimeoutMilliseconds)
    }

    /// Acts on deadlines that have passed: the stop escalation and expired `wait`s.
    func handleDeadlines(now: Int64) {
        if let deadline = killDeadline, now >= deadline {
            note("task pid \(childPid) outlived its stop timeout; sending SIGKILL to its process group")
            killChildGroup()
        }
        for index in clients.indices {
            if case .exit(let deadline?) = clients[index].pending, now >= deadline {
                clients[index].pending = nil
                clients[index].queue(status.message)
            }
        }
    }
}
