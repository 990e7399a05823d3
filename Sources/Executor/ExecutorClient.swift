import Glibc

/// Talks to a running executor over its unix socket: one connection per call, one request line, one reply.
///
/// Every call blocks the calling thread until the reply arrives (`stop` and `wait` until the task exits), so
/// async callers should run them off the cooperative pool. Any number of clients may connect over the
/// executor's life; one that disconnects mid-request leaves the executor and the task unaffected.
public struct ExecutorClient: Sendable {
    /// The executor's socket, `<state>/executor.sock`.
    public let socketPath: String
    /// How long to wait for replies that do not depend on the task exiting.
    public let replyTimeout: Duration

    /// Creates a client for the executor serving `socketPath`; nothing is connected until the first call.
    public init(socketPath: String, replyTimeout: Duration = .seconds(10)) {
        self.socketPath = socketPath
        self.replyTimeout = replyTimeout
    }

    /// The task's pid and, once it has ended, its exit record.
    public func status() throws(ExecutorError) -> ExecutorStatus {
        try ExecutorStatus(message: try request(WireMessage("status"), timeout: replyTimeout))
    }

    /// Sends signal number `signal` to the task's process (`rkt run-prepared`, which forwards it to the app).
    public func signal(_ signal: Int32) throws(ExecutorError) {
        try request(WireMessage("signal", [("sig", String(signal))]), timeout: replyTimeout)
    }

    /// Sends `signal`, and SIGKILL to the task's process group if it is still running after `timeout`;
    /// returns the exit record once the task has exited (at once if it already had).
    public func stop(signal: Int32, timeout: Duration) throws(ExecutorError) -> ExitRecord {
        let fields = [("sig", String(signal)), ("timeout_ms", String(timeout.wholeMilliseconds))]
        let reply = try request(WireMessage("stop", fields), timeout: timeout + replyTimeout)
        guard let exit = try ExecutorStatus(message: reply).exit else {
            throw ExecutorError(.protocolError, "stop: the executor replied before the task exited")
        }
        return exit
    }

    /// Waits for the task to exit and returns its exit record, or nil if it still runs after `timeout`
    /// (nil: wait for ever).
    public func wait(timeout: Duration? = nil) throws(ExecutorError) -> ExitRecord? {
        var fields: [(String, String)] = []
        if let timeout {
            fields.append(("timeout_ms", String(timeout.wholeMilliseconds)))
        }
        let reply = try request(WireMessage("wait", fields), timeout: timeout.map { $0 + replyTimeout })
        return try ExecutorStatus(message: reply).exit
    }

    /// Asks the executor to exit, removing its socket. Refused while the task runs unless `force`, which
    /// SIGKILLs the task's process group first.
    public func shutdown(force: Bool = false) throws(ExecutorError) {
        try request(WireMessage("shutdown", force ? [("force", "true")] : []), timeout: replyTimeout)
    }

    /// Sends one request and returns the `ok` reply; an `err` reply is thrown with its code and message.
    @discardableResult
    func request(_ message: WireMessage, timeout: Duration?) throws(ExecutorError) -> WireMessage {
        let fd = try UnixSocket.connect(path: socketPath)
        defer { closeQuietly(fd) }
        try FileIO.writeAll(fd, message.line, what: socketPath)
        let line = try LineChannel.readLine(fd, timeoutMilliseconds: timeout?.wholeMilliseconds, what: socketPath)
        return try Self.checked(try WireMessage.parse(line))
    }

    /// Returns an `ok` message, or throws the error an `err` message carries.
    static func checked(_ reply: WireMessage) throws(ExecutorError) -> WireMessage {
        switch reply.verb {
        case "ok":
            return reply
        case "err":
            let code = reply["code"].flatMap(ExecutorError.Code.init(rawValue:)) ?? .internalError
            throw ExecutorError(code, reply["msg"] ?? "the executor reported an error")
        default:
            throw ExecutorError(.protocolError, "unexpected reply '\(reply.line)'")
        }
    }
}
