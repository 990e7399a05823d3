import JSONCore

/// How the task's process ended, as the executor records it in `exit.json` and reports it on the socket.
///
/// The exit code and the signal stay separate (STYLE §4.5): a process that exited has `signal == 0`; one that
/// a signal killed has `exitCode == 0` and the signal number. `shellStatus` gives the shell's 128+N view.
public struct ExitRecord: Equatable, Sendable {
    /// The `version` written into `exit.json`.
    public static let formatVersion: Int64 = 1

    /// The pid the task's process had.
    public var childPid: Int32
    /// The exit status when the process exited, else 0.
    public var exitCode: Int32
    /// The signal that killed the process, else 0.
    public var signal: Int32
    /// Whether the kernel's OOM killer ended the task. The executor cannot see the pod's cgroup, so it always
    /// writes false; the driver fills this from the cgroup's memory events when it reports the exit.
    public var oomKilled: Bool
    /// Whether the executor itself escalated to SIGKILL after a stop timeout.
    public var killedByExecutor: Bool
    /// When the process was started, in milliseconds since the Unix epoch.
    public var startedMilliseconds: Int64
    /// When the executor reaped the process, in milliseconds since the Unix epoch.
    public var finishedMilliseconds: Int64
    /// Log bytes dropped because writing the log files failed.
    public var droppedLogBytes: Int64

    /// Creates a record; times are milliseconds since the Unix epoch.
    public init(
        childPid: Int32, exitCode: Int32, signal: Int32, oomKilled: Bool = false, killedByExecutor: Bool = false,
        startedMilliseconds: Int64, finishedMilliseconds: Int64, droppedLogBytes: Int64 = 0
    ) {
        self.childPid = childPid
        self.exitCode = exitCode
        self.signal = signal
        self.oomKilled = oomKilled
        self.killedByExecutor = killedByExecutor
        self.startedMilliseconds = startedMilliseconds
        self.finishedMilliseconds = finishedMilliseconds
        self.droppedLogBytes = droppedLogBytes
    }

    /// True for an exit with status 0 and no signal.
    public var successful: Bool { exitCode == 0 && signal == 0 && !oomKilled }

    /// The status a shell would report: the exit code, or 128 plus the signal.
    public var shellStatus: Int32 { signal != 0 ? 128 + signal : exitCode }

    /// The fields, in the order `exit.json` and the socket use.
    var fields: [(String, JSONValue)] {
        [
            ("version", .integer(Self.formatVersion)), ("child_pid", .integer(Int64(childPid))),
            ("exit_code", .integer(Int64(exitCode))), ("signal", .integer(Int64(signal))),
            ("oom_killed", .bool(oomKilled)), ("killed_by_executor", .bool(killedByExecutor)),
            ("started_ms", .integer(startedMilliseconds)), ("finished_ms", .integer(finishedMilliseconds)),
            ("dropped_log_bytes", .integer(droppedLogBytes)),
        ]
    }

    /// The record as `exit.json` holds it.
    public var json: String { StateJSON.encode(fields) }

    /// Decodes a record from `exit.json` text; refuses a newer format version.
    public init(json: String) throws(ExecutorError) {
        let object = try StateJSON.parseObject(json)
        try self.init(lookup: { object[$0] })
    }

    /// Reads and decodes `path` (normally `<state>/exit.json`).
    public static func load(from path: String) throws(ExecutorError) -> ExitRecord {
        try ExitRecord(json: try FileIO.readText(path))
    }

    /// Builds a record from named values, shared by the JSON and the socket decoders.
    init(lookup: (String) -> JSONValue?) throws(ExecutorError) {
        func integer(_ key: String) throws(ExecutorError) -> Int64 {
            guard let value = lookup(key)?.int64Value else {
                throw ExecutorError(.protocolError, "exit record: missing or non-integer '\(key)'")
            }
            return value
        }
        let version = try integer("version")
        guard version <= Self.formatVersion else {
            throw ExecutorError(.protocolError, "exit record: format version \(version) is newer than this build")
        }
        self.init(
            childPid: Int32(truncatingIfNeeded: try integer("child_pid")),
            exitCode: Int32(truncatingIfNeeded: try integer("exit_code")),
            signal: Int32(truncatingIfNeeded: try integer("signal")),
            oomKilled: lookup("oom_killed")?.boolValue ?? false,
            killedByExecutor: lookup("killed_by_executor")?.boolValue ?? false,
            startedMilliseconds: try integer("started_ms"), finishedMilliseconds: try integer("finished_ms"),
            droppedLogBytes: lookup("dropped_log_bytes")?.int64Value ?? 0)
    }
}
