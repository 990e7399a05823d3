import Glibc

/// One connected driver: its unread input, its unsent output and the reply it waits for, if any.
struct ClientConnection {
    /// What a client waits for after a `stop` or `wait`.
    enum Pending {
        /// Reply with the status once the task exits, or at `deadline` (monotonic ms) if it is not nil.
        case exit(deadline: Int64?)
    }

    /// The longest request line accepted.
    static let maxLine = 4096

    let fd: Int32
    var input: [UInt8] = []
    var output: [UInt8] = []
    var pending: Pending?
    var closeAfterFlush = false
    var closed = false

    init(fd: Int32) {
        self.fd = fd
    }

    /// Takes the next complete request line out of the input, if there is one and no reply is pending.
    mutating func nextLine() -> String? {
        guard pending == nil, !closeAfterFlush, let newline = input.firstIndex(of: UInt8(ascii: "\n")) else {
            return nil
        }
        let line = String(decoding: input[..<newline], as: UTF8.self)
        input.removeSubrange(...newline)
        return line
    }

    /// Reads what the socket holds. Returns false when the peer has gone or sent an over-long line.
    mutating func receive(into buffer: inout [UInt8]) -> Bool {
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, 4096), 0) }
        if count < 0 {
            return errno == EAGAIN || errno == EINTR
        }
        guard count > 0 else {
            return false
        }
        input += buffer[..<count]
        if input.count > Self.maxLine, !input.contains(UInt8(ascii: "\n")) {
            input.removeAll()
            queue(WireMessage("err", [("code", "protocol"), ("msg", "request line too long")]))
            closeAfterFlush = true
        }
        return true
    }

    /// Queues a reply and tries to send it at once.
    mutating func queue(_ message: WireMessage) {
        output += Array(message.line.utf8)
        flush()
    }

    /// Sends as much queued output as the socket takes now. A peer that vanished is marked closed.
    mutating func flush() {
        while !output.isEmpty {
            let sent = output.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0, errno == EINTR {
                continue
            }
            if sent < 0, errno == EAGAIN {
                return
            }
            guard sent > 0 else {
                closed = true
                return
            }
            output.removeFirst(sent)
        }
        if closeAfterFlush {
            closed = true
        }
    }
}
