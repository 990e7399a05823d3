import Glibc

/// Where one stream of the task's output goes: numbered files rotated by size, or a host path (a FIFO).
enum LogSink {
    case files(LogRotator)
    case path(FifoWriter)

    var name: String {
        switch self {
        case .files(let rotator): rotator.baseName
        case .path(let writer): writer.path
        }
    }

    var droppedBytes: Int64 {
        switch self {
        case .files(let rotator): rotator.droppedBytes
        case .path(let writer): writer.droppedBytes
        }
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) -> String? {
        switch self {
        case .files(var rotator):
            defer { self = .files(rotator) }
            return rotator.write(bytes)
        case .path(let writer):
            return writer.write(bytes)
        }
    }
}

/// One output pipe of the task and the sink it goes to.
struct LogPump {
    /// The pipe's read end (non-blocking), or -1 after end of file.
    private(set) var fd: Int32
    private(set) var sink: LogSink

    init(fd: Int32, sink: LogSink) {
        self.fd = fd
        self.sink = sink
    }

    /// True until the pipe reaches end of file (every writer, including the task's descendants, closed it).
    var isOpen: Bool { fd >= 0 }

    /// True once the pipe ended and the sink has nothing left to write.
    var isFinished: Bool {
        guard fd < 0 else { return false }
        if case .path(let writer) = sink { return writer.isFinished }
        return true
    }

    /// The sink's descriptor to poll for POLLOUT (output waits for a slow reader), or -1.
    var writableFD: Int32 {
        if case .path(let writer) = sink, writer.wantsWritable { return writer.fd }
        return -1
    }

    /// When the sink wants to retry opening its path (output waits for a reader), if it does.
    var retryDeadline: Int64? {
        if case .path(let writer) = sink { return writer.retryDeadline }
        return nil
    }

    /// Reads what the pipe holds, at most `maxReads` times, into the sink. Returns notes for the executor's
    /// log. Stopping after `maxReads` keeps one busy stream from starving the socket and the other stream.
    mutating func drain(into buffer: inout [UInt8], maxReads: Int) -> [String] {
        var notes: [String] = []
        for _ in 0..<maxReads where fd >= 0 {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                let note = buffer.withUnsafeBytes { sink.write(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
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
                notes.append("reading \(sink.name) pipe: \(errnoText(err)); closing it")
            }
            endOfInput()
        }
        return notes
    }

    /// Lets a path sink write waiting output or retry its open; returns a note, if any.
    func flushSink(now: Int64) -> String? {
        guard case .path(let writer) = sink else { return nil }
        return writer.flush(now: now)
    }

    /// Closes the pipe and the current log file; a path sink closes once its waiting output is written.
    private mutating func endOfInput() {
        release(leaving: false)
    }

    /// Closes everything now (the executor is leaving); a path sink first gets up to a second for a reader.
    mutating func close() {
        release(leaving: true)
    }

    private mutating func release(leaving: Bool) {
        closeQuietly(fd)
        fd = -1
        switch sink {
        case .files(var rotator):
            rotator.close()
            sink = .files(rotator)
        case .path(let writer) where leaving:
            writer.finish(waitingUpTo: 1000)
        case .path(let writer):
            writer.endInput()
        }
    }
}

/// Appends a timestamped line to the executor's own log (its stderr once it is detached). Best effort.
func note(_ text: String) {
    let line = "\(wallClockMilliseconds()) rkt-executor[\(getpid())]: \(text)\n"
    _ = try? FileIO.writeAll(2, line, what: "stderr")
}
