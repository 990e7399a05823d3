/// The one error type of the project: a code, a message written for the operator, and optionally
/// the failed syscall (name, path or pid, errno) and an underlying cause.
public struct RktError: Error, CustomStringConvertible, Sendable {
    /// A small, extensible set of failure kinds callers can branch on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String

        public init(_ name: String) {
            self.name = name
        }

        public static let notFound = Code("notFound")
        public static let exists = Code("exists")
        public static let invalidArgument = Code("invalidArgument")
        public static let invalidState = Code("invalidState")
        public static let unsupported = Code("unsupported")
        public static let timeout = Code("timeout")
        public static let cancelled = Code("cancelled")
        public static let `internal` = Code("internal")
        public static let interrupted = Code("interrupted")

        public var description: String { name }
    }

    /// Details of a failed system call.
    public struct Syscall: Sendable {
        public let name: String
        public let subject: String?
        public let errno: Int32
        public let errnoText: String

        public init(name: String, subject: String?, errno: Int32, errnoText: String) {
            self.name = name
            self.subject = subject
            self.errno = errno
            self.errnoText = errnoText
        }
    }

    public let code: Code
    public let message: String
    public let syscall: Syscall?
    public let cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, syscall: Syscall? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.syscall = syscall
        self.cause = cause
    }

    /// The message, then the syscall detail, then the cause: one line for the operator.
    public var description: String {
        var text = message
        if let syscall {
            let subject = syscall.subject.map { " \($0)" } ?? ""
            text += ": \(syscall.name)\(subject): \(syscall.errnoText) (errno \(syscall.errno))"
        }
        if let cause {
            text += ": \(cause)"
        }
        return text
    }
}
