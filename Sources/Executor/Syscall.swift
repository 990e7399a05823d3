import Glibc

/// Runs a raw syscall that returns -1 with errno on failure, retrying on EINTR.
///
/// This is the one place that retries EINTR (STYLE §4.12). EBADF and EFAULT mean this process lost track of
/// a descriptor or a buffer; carrying on could act on someone else's fd, so they trap.
@discardableResult
func sys<T: BinaryInteger>(_ name: String, _ subject: String = "", _ call: () -> T) throws(ExecutorError) -> T {
    while true {
        let result = call()
        if result != -1 {
            return result
        }
        let err = errno
        if err == EINTR {
            continue
        }
        precondition(err != EBADF && err != EFAULT, "\(name) \(subject): bad descriptor or address")
        throw ExecutorError.syscall(name, subject, errno: err)
    }
}

/// Closes `fd`, ignoring EINTR (Linux always releases the descriptor) and other errors on close.
func closeQuietly(_ fd: Int32) {
    guard fd >= 0 else {
        return
    }
    _ = Glibc.close(fd)
}

/// Sets or clears O_NONBLOCK on `fd`.
func setNonBlocking(_ fd: Int32, _ on: Bool = true) throws(ExecutorError) {
    let flags = try sys("fcntl", "F_GETFL") { fcntl(fd, F_GETFL) }
    let wanted = on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK
    try sys("fcntl", "F_SETFL") { fcntl(fd, F_SETFL, wanted) }
}

/// Milliseconds on the monotonic clock, for deadlines.
func monotonicMilliseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}

/// Milliseconds since the Unix epoch, for records.
func wallClockMilliseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}
