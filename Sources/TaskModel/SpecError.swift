/// One problem found while decoding or validating a job, with the path to where it was found,
/// rendered in Nomad's style: `group "g" -> task "t" -> config: field "image" is required`.
public struct SpecIssue: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Path components from the outside in, e.g. `["group \"g\"", "task \"t\"", "config"]`.
    public var path: [String]
    public var message: String

    public init(path: [String] = [], _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String {
        path.isEmpty ? message : path.joined(separator: " -> ") + ": " + message
    }

    /// The same issue, found inside `outer`.
    public func prefixed(by outer: [String]) -> SpecIssue {
        SpecIssue(path: outer + path, message)
    }
}

/// Every problem found in a job or a task config, reported at once.
public struct SpecError: Error, Equatable, Sendable, CustomStringConvertible {
    public var issues: [SpecIssue]

    public init(_ issues: [SpecIssue]) {
        self.issues = issues
    }

    /// Each issue rendered on its own, in the order found.
    public var messages: [String] { issues.map(\.description) }

    /// One issue as is; several as a counted bullet list.
    public var description: String {
        guard issues.count != 1 else {
            return messages.joined()
        }
        return "\(issues.count) errors occurred:\n" + messages.map { "\t* \($0)" }.joined(separator: "\n")
    }

    /// The same issues, found inside `outer`.
    public func prefixed(by outer: [String]) -> SpecError {
        SpecError(issues.map { $0.prefixed(by: outer) })
    }
}

/// Path components in the shape Nomad uses for its validation messages.
public enum SpecPath {
    /// `group "g"`, or `group[i]` when the group has no name.
    public static func group(_ name: String, index: Int) -> String {
        name.isEmpty ? "group[\(index)]" : "group \"\(name)\""
    }

    /// `task "t"`, or `task[i]` when the task has no name.
    public static func task(_ name: String, index: Int) -> String {
        name.isEmpty ? "task[\(index)]" : "task \"\(name)\""
    }

    /// `service "s"`, or `service[i]` when the service has no name.
    public static func service(_ name: String, index: Int) -> String {
        name.isEmpty ? "service[\(index)]" : "service \"\(name)\""
    }

    /// `check "c"`, or `check[i]` when the check has no name.
    public static func check(_ name: String, index: Int) -> String {
        name.isEmpty ? "check[\(index)]" : "check \"\(name)\""
    }
}
