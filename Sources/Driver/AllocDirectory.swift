import RktSys

/// Nomad's allocation directory layout on the host: `<root>/<allocID>/alloc/{logs,tmp,data}`
/// shared by the group's tasks, and `<root>/<allocID>/<task>/{local,secrets}` per task. Inside
/// a pod these appear at /alloc, /local and /secrets.
public struct AllocDirectory: Sendable {
    public let root: String
    public let allocID: String

    public init(root: String, allocID: String) {
        self.root = root
        self.allocID = allocID
    }

    public var path: String { "\(root)/\(allocID)" }
    public var shared: String { "\(path)/alloc" }
    public var logs: String { "\(shared)/logs" }
    public func taskDirectory(_ task: String) -> String { "\(path)/\(task)" }
    public func local(_ task: String) -> String { "\(taskDirectory(task))/local" }
    public func secrets(_ task: String) -> String { "\(taskDirectory(task))/secrets" }

    /// Creates the shared directories and those of `tasks` (secrets is 0700).
    public func build(tasks: [String]) throws {
        for directory in [shared, logs, "\(shared)/tmp", "\(shared)/data"] {
            try FileSystem.makeDirectories(directory, mode: 0o777)
        }
        for task in tasks {
            try FileSystem.makeDirectories(local(task), mode: 0o777)
            try FileSystem.makeDirectories(secrets(task), mode: 0o700)
        }
    }
}
