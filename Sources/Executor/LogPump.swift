import Glibc

/// One output pipe of the task and the rotating files it goes to.
struct LogPump {
    /// The pipe's read end (non-blocking), or -1 after end of file.
    private(set) var fd: Int32
    private(set) var rotator: LogRotator

    init(fd: Int32, rotator: LogRotator) {
        self.fd = fd
        self.rotator = rotator
    }

    /// True until the pipe reaches end of file (every writer, including the task's descendants, closed it).
    var isOpen: Bool { fd >= 0 }

    /// Reads what the pipe holds, at most `maxReads` times, into the files. Returns notes for the executor's
    /// log. Stopping after `maxReads` keeps one busy stream from starving the socket and the other stream.
    mutating func drain(into buffer: inout [UInt8], maxReads: Int) -> [String] {
        var notes: [String] = []
        for _ in 0..<maxReads where fd >= 0 {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                let note = buffer.withUnsafeBytes { rotator.write(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                notes += note.map { [$0] } ?? []
                continue
            }
            let err = errno
            if count < 0, err == EINTR {
                continue
            }
            if count < 0, err == EAGAIN {
                break
            }
            if count < 0 {
                notes.append("reading \(rotator.baseName) pipe: \(errnoText(err)); closing it")
            }
            close()
        }
        return notes
    }

    /// Closes the pipe and the current log file.
    mutating func close() {
        closeQuietly(fd)
        fd = -1
        rotator.close()
    }
}

/// Appends a timestamped line to the executor's own log (its stderr once it is detached). Best effort.
func note(_ text: String) {
    let line = "\(wallClockMilliseconds()) rkt-executor[\(getpid())]: \(text)\n"
    _ = try? FileIO.writeAll(2, line, what: "stderr")
}
