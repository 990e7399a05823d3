import Glibc

/// Nomad's log collector opens the task's stdout/stderr FIFOs for reading and waits for a writer.
/// When no executor will ever write (the start failed, or the task ended while the agent was
/// down), opening and closing the write end gives it its end of file at once instead of a
/// timeout, and a failed start can leave its reason in the task's stderr log.
enum LogFifos {
    static func release(stdout: String, stderr: String, message: String?) {
        release(stdout, text: nil)
        release(stderr, text: message.map { "rkt driver: \($0)\n" })
    }

    private static func release(_ path: String, text: String?) {
        guard !path.isEmpty else {
            return
        }
        // O_NONBLOCK: fails with ENXIO right away when nobody reads, instead of waiting for a reader.
        let fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            return
        }
        if let text {
            _ = text.withCString { write(fd, $0, strlen($0)) }
        }
        close(fd)
    }
}
