import CShim
import Glibc

/// Stream sockets in the unix domain: the executor's listener and the client's connection.
enum UnixSocket {
    /// Binds and listens on `path` (mode 0600), replacing a stale socket file that nobody serves.
    static func listen(path: String) throws(ExecutorError) -> Int32 {
        if let probe = try? connect(path: path) {
            closeQuietly(probe)
            throw ExecutorError(.invalidState, "another executor already serves \(path)")
        }
        _ = unlink(path)
        let fd = try newSocket()
        do throws(ExecutorError) {
            try withAddress(path) { (address, length) throws(ExecutorError) in
                try sys("bind", path) { bind(fd, address, length) }
            }
            try sys("chmod", path) { chmod(path, 0o600) }
            try sys("listen", path) { Glibc.listen(fd, 16) }
            try setNonBlocking(fd)
        } catch {
            closeQuietly(fd)
            throw error
        }
        return fd
    }

    /// Connects to `path`; the returned descriptor is blocking and close-on-exec.
    static func connect(path: String) throws(ExecutorError) -> Int32 {
        let fd = try newSocket()
        do throws(ExecutorError) {
            try withAddress(path) { (address, length) throws(ExecutorError) in
                try sys("connect", path) { Glibc.connect(fd, address, length) }
            }
        } catch {
            closeQuietly(fd)
            throw error
        }
        return fd
    }

    private static func newSocket() throws(ExecutorError) -> Int32 {
        try sys("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
    }

    @discardableResult
    private static func withAddress<T>(
        _ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) throws(ExecutorError) -> T
    ) throws(ExecutorError) -> T {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            throw ExecutorError(.invalidArgument, "socket path '\(path)' is longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let result: Result<T, ExecutorError> = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                Result { () throws(ExecutorError) in try body(generic, length) }
            }
        }
        return try result.get()
    }
}
