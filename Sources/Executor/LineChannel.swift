import Glibc

/// Reads one newline-terminated line from a descriptor, giving up at a deadline.
enum LineChannel {
    /// The longest reply accepted.
    static let maxLine = 64 * 1024

    /// Reads up to the first newline. `timeoutMilliseconds` nil waits for ever.
    static func readLine(_ fd: Int32, timeoutMilliseconds: Int64?, what: String) throws(ExecutorError) -> String {
        let deadline = timeoutMilliseconds.map { monotonicMilliseconds() + $0 }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            try waitReadable(fd, deadline: deadline, what: what)
            let count = try sys("read", what) { chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } }
            guard count > 0 else {
                throw ExecutorError(.protocolError, "\(what) closed before a complete reply")
            }
            bytes += chunk[..<count]
            if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                return String(decoding: bytes[..<newline], as: UTF8.self)
            }
            guard bytes.count <= maxLine else {
                throw ExecutorError(.protocolError, "\(what) sent a line longer than \(maxLine) bytes")
            }
        }
    }

    private static func waitReadable(_ fd: Int32, deadline: Int64?, what: String) throws(ExecutorError) {
        while true {
            let remaining = deadline.map { max(0, $0 - monotonicMilliseconds()) }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = try sys("poll", what) { poll(&entry, 1, remaining.map { Int32(clamping: $0) } ?? -1) }
            if ready > 0 {
                return
            }
            if let remaining, remaining == 0 {
                throw ExecutorError(.timeout, "no reply from \(what) in time")
            }
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded down, never negative.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
