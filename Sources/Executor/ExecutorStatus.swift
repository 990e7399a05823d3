import JSONCore

/// What `status` reports: the task's process and, once it has ended, its exit record.
public struct ExecutorStatus: Equatable, Sendable {
    /// The pid of the task's process (`rkt run-prepared`).
    public var childPid: Int32
    /// When the process was started, in milliseconds since the Unix epoch.
    public var startedMilliseconds: Int64
    /// Log bytes dropped so far because writing the log files failed.
    public var droppedLogBytes: Int64
    /// The exit record, or nil while the process runs.
    public var exit: ExitRecord?

    /// Creates a status; `exit` is nil while the process runs.
    public init(childPid: Int32, startedMilliseconds: Int64, droppedLogBytes: Int64 = 0, exit: ExitRecord? = nil) {
        self.childPid = childPid
        self.startedMilliseconds = startedMilliseconds
        self.droppedLogBytes = droppedLogBytes
        self.exit = exit
    }

    /// True while the task's process has not been reaped.
    public var isRunning: Bool { exit == nil }

    /// The status as an `ok` response line.
    var message: WireMessage {
        guard let exit else {
            return WireMessage(
                "ok",
                [
                    ("state", "running"), ("child_pid", String(childPid)), ("started_ms", String(startedMilliseconds)),
                    ("dropped_log_bytes", String(droppedLogBytes)),
                ])
        }
        var fields = [("state", "exited")]
        for (key, value) in exit.fields {
            switch value {
            case .integer(let number): fields.append((key, String(number)))
            case .bool(let flag): fields.append((key, flag ? "true" : "false"))
            case .string(let text): fields.append((key, text))
            case .null, .double, .array, .object: break  // an exit record has none of these
            }
        }
        return WireMessage("ok", fields)
    }

    /// Decodes an `ok` response from `status`, `stop` or `wait`.
    init(message: WireMessage) throws(ExecutorError) {
        func integer(_ key: String) throws(ExecutorError) -> Int64 {
            guard let text = message[key], let value = Int64(text) else {
                throw ExecutorError(.protocolError, "status: missing or non-integer '\(key)' in '\(message.line)'")
            }
            return value
        }
        let pid = Int32(truncatingIfNeeded: try integer("child_pid"))
        let started = try integer("started_ms")
        let dropped = try integer("dropped_log_bytes")
        switch message["state"] {
        case "running":
            self.init(childPid: pid, startedMilliseconds: started, droppedLogBytes: dropped)
        case "exited":
            let exit = try ExitRecord { key in
                guard let text = message[key] else {
                    return nil
                }
                if text == "true" || text == "false" {
                    return .bool(text == "true")
                }
                return Int64(text).map { JSONValue.integer($0) } ?? .string(text)
            }
            self.init(childPid: pid, startedMilliseconds: started, droppedLogBytes: dropped, exit: exit)
        default:
            throw ExecutorError(.protocolError, "status: unknown state in '\(message.line)'")
        }
    }
}
