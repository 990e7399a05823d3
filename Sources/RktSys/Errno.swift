import CShim
import Glibc
import RktError

/// The text of an errno value, e.g. "No such file or directory".
public func errnoText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    return String(cString: rkt_strerror(code, &buffer, buffer.count))
}

extension RktError {
    /// An error for a failed syscall, with the current (or given) errno.
    public static func sys(
        _ name: String, _ subject: String? = nil, errno code: Int32 = Glibc.errno, _ message: String? = nil
    ) -> RktError {
        let kind: Code = code == ENOENT ? .notFound : (code == EEXIST ? .exists : .internal)
        let call = Syscall(name: name, subject: subject, errno: code, errnoText: errnoText(code))
        return RktError(kind, message ?? "\(name) failed", syscall: call)
    }
}

/// Runs `body` until it does not fail with EINTR: the one place we retry interrupted calls.
@discardableResult
public func retryingEINTR<T: BinaryInteger>(_ body: () -> T) -> T {
    while true {
        let result = body()
        if result == -1 && errno == EINTR {
            continue
        }
        return result
    }
}
