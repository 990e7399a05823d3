import CShim
import Glibc

/// A failure in the executor, its client or its launcher.
///
/// The executor target cannot use the package's shared error module (it depends only on `CShim`), so it keeps
/// this small struct with the same shape: a code, an operator-facing message and, for syscall failures, the
/// call's name and errno.
public struct ExecutorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        case invalidArgument = "invalid-argument"
        case invalidState = "invalid-state"
        case permissionDenied = "permission"
        case notFound = "not-found"
        case timeout
        case protocolError = "protocol"
        case system
        case internalError = "internal"
    }

    /// The kind of failure.
    public var code: Code
    /// A message for the operator.
    public var message: String
    /// The errno value for syscall failures, else 0.
    public var errno: Int32

    /// Creates an error; `errno` is 0 unless the failure comes from a syscall.
    public init(_ code: Code, _ message: String, errno: Int32 = 0) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    /// A syscall failure, naming the call and what it acted on: `open /x/y: No such file or directory (2)`.
    static func syscall(_ name: String, _ subject: String = "", errno err: Int32) -> ExecutorError {
        let target = subject.isEmpty ? "" : " \(subject)"
        return ExecutorError(.system, "\(name)\(target): \(errnoText(err)) (\(err))", errno: err)
    }

    public var description: String { message }
}

/// The strerror text for `err`.
func errnoText(_ err: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 128)
    return buffer.withUnsafeMutableBufferPointer { buf in
        guard let text = rkt_strerror(err, buf.baseAddress, buf.count) else {
            return "errno \(err)"
        }
        return String(cString: text)
    }
}
