import Glibc

/// Writes one stream of the task's output to a path the host chose, normally a FIFO read by Nomad's logmon.
///
/// The task is never held up by the reader. Everything here is non-blocking:
/// * the path is opened with O_NONBLOCK, which for a FIFO without a reader fails with ENXIO; the writer then
///   keeps the output and tries again every `retryMilliseconds` (the supervisor's poll wakes for it). Until
///   the first open succeeds it also tries, every `idleRetryMilliseconds`, when there is no output, so a
///   reader blocked in open(2) gets a writer, and later its end of file, even from a silent stream;
/// * a slow reader fills the FIFO (EAGAIN); the rest waits, and the supervisor polls for POLLOUT;
/// * a reader that goes away turns writes into EPIPE (SIGPIPE is ignored): the descriptor is closed and the
///   path reopened once a new reader appears. Bytes already in the old FIFO's buffer are lost with it;
/// * output waiting for a reader is capped at `maxPending` bytes; beyond that new output is dropped and
///   counted, with one note per run of drops.
///
/// A class, so the output buffer is never copied when the writer is taken out of a `LogSink` to be used.
/// A path that does not exist is created as a regular file (which never blocks). When the task's pipe
/// ends, the descriptor is closed once the waiting output is written, so the reader sees end of file.
final class FifoWriter {
    static let retryMilliseconds: Int64 = 200
    static let idleRetryMilliseconds: Int64 = 1000

    let path: String
    let maxPending: Int
    private(set) var fd: Int32 = -1
    private(set) var pending: [UInt8] = []
    private(set) var droppedBytes: Int64 = 0
    private var dropping = false
    private var failing = false
    private var inputEnded = false
    private var everOpened = false
    private var nextOpen: Int64 = 0

    init(path: String, maxPending: Int = 4 << 20) {
        self.path = path
        self.maxPending = maxPending
    }

    /// True while output waits and the descriptor is open: poll it for POLLOUT.
    var wantsWritable: Bool { fd >= 0 && !pending.isEmpty }

    /// Whether the path should be opened: output waits, or it was never opened and the task runs.
    private var wantsOpen: Bool { fd < 0 && (!pending.isEmpty || (!everOpened && !inputEnded)) }

    /// When to try opening the path again, if it should be.
    var retryDeadline: Int64? { wantsOpen ? nextOpen : nil }

    /// True once the input ended and everything was written (or nothing is left to wait for).
    var isFinished: Bool { inputEnded && fd < 0 && pending.isEmpty }

    /// Queues `bytes` (within the cap) and writes what the reader takes now. Returns a note for the executor's
    /// own log when output starts being dropped or the path cannot be opened, else nil.
    func write(_ bytes: UnsafeRawBufferPointer) -> String? {
        let room = max(0, maxPending - pending.count)
        pending += bytes.prefix(room)
        var note: String?
        if bytes.count > room {
            droppedBytes += Int64(bytes.count - room)
            if !dropping {
                note = "\(path): \(maxPending) bytes wait for a reader; dropping output until it catches up"
            }
            dropping = true
        } else {
            dropping = false
        }
        let flushNote = flush(now: monotonicMilliseconds())
        return note ?? flushNote
    }

    /// Writes waiting output if the reader takes it, opening the path first when due.
    func flush(now: Int64) -> String? {
        var note: String?
        if wantsOpen && now >= nextOpen {
            note = open(now: now)
        }
        while fd >= 0 && !pending.isEmpty {
            let written = pending.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written > 0 {
                pending.removeFirst(written)
                continue
            }
            let err = errno
            if err == EINTR { continue }
            if err == EAGAIN { break }
            closeDescriptor()
            nextOpen = now + Self.retryMilliseconds
            if err != EPIPE { note = "writing \(path): \(errnoText(err)); reopening it" }
        }
        if inputEnded && pending.isEmpty { closeDescriptor() }
        return note
    }

    /// The task's pipe ended: close the path once the waiting output is written.
    func endInput() {
        if !everOpened && pending.isEmpty { _ = open(now: monotonicMilliseconds()) }  // a waiting reader's EOF
        inputEnded = true
        if pending.isEmpty { closeDescriptor() }
    }

    /// Writes what waits for up to `milliseconds` (the executor is leaving), then closes.
    func finish(waitingUpTo milliseconds: Int64) {
        inputEnded = true
        let deadline = monotonicMilliseconds() + milliseconds
        while !pending.isEmpty {
            let now = monotonicMilliseconds()
            guard now < deadline else { break }
            _ = flush(now: now)
            if fd >= 0 && !pending.isEmpty {
                var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&poller, 1, Int32(clamping: deadline - now))
            } else if !pending.isEmpty {
                usleep(UInt32(Self.retryMilliseconds * 1000))
            }
        }
        droppedBytes += Int64(pending.count)
        pending = []
        closeDescriptor()
    }

    private func open(now: Int64) -> String? {
        let opened = Glibc.open(path, O_WRONLY | O_NONBLOCK | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard opened < 0 else {
            fd = opened
            failing = false
            everOpened = true
            return nil
        }
        let err = errno
        nextOpen = now + (pending.isEmpty ? Self.idleRetryMilliseconds : Self.retryMilliseconds)
        guard err != ENXIO, !failing else { return nil }  // ENXIO: a FIFO without a reader yet
        failing = true
        return "opening \(path): \(errnoText(err)); retrying"
    }

    private func closeDescriptor() {
        closeQuietly(fd)
        fd = -1
    }
}
