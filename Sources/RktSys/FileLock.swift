import Glibc
import RktError

/// An flock(2) on a directory or file, held while this object lives (or until `unlock`).
/// Pods use it like rkt: "running" means a supervisor holds the pod directory's exclusive lock.
public final class FileLock {
    public let path: String
    public private(set) var fd: Int32

    /// Opens `path` (a directory or an existing file) without locking it.
    public init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw RktError.sys("open", path)
        }
    }

    deinit {
        if fd >= 0 {
            close(fd)
        }
    }

    /// Tries to take the lock without blocking; returns false if someone else holds it.
    public func tryLock(exclusive: Bool) throws -> Bool {
        let operation = (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB
        if retryingEINTR({ flock(fd, operation) }) == 0 {
            return true
        }
        if errno == EWOULDBLOCK {
            return false
        }
        throw RktError.sys("flock", path)
    }

    /// Tries to take the lock for up to `patience`. Probes of other processes (`rkt status` asks
    /// "is it locked?" by taking a shared lock for an instant) must not make an exclusive lock fail.
    public func tryLock(exclusive: Bool, within patience: Duration) throws -> Bool {
        let deadline = ContinuousClock.now + patience
        while true {
            if try tryLock(exclusive: exclusive) {
                return true
            }
            guard ContinuousClock.now < deadline else {
                return false
            }
            usleep(2_000)
        }
    }

    /// Blocks until the lock is ours.
    public func lock(exclusive: Bool) throws {
        guard retryingEINTR({ flock(fd, exclusive ? LOCK_EX : LOCK_SH) }) == 0 else {
            throw RktError.sys("flock", path)
        }
    }

    /// Releases the lock and closes the descriptor.
    public func unlock() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }

    /// Whether another process holds an exclusive lock on `path` right now.
    public static func isLockedByOther(_ path: String) -> Bool {
        guard let probe = try? FileLock(path: path) else {
            return false
        }
        return (try? probe.tryLock(exclusive: false)) == false
    }
}
