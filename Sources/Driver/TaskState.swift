import FoundationEssentials
import Images
import RktError
import RktSys

/// A task handle as it is kept on disk: everything needed to re-open the task after the driver
/// restarts (the pod, the executor's socket and pid, the stop policy, the network Start saw).
/// Versioned and self-contained; written atomically to `<dataDir>/tasks/<taskID>/handle.json`.
public struct TaskState: Codable, Sendable, Equatable {
    public static let currentVersion = 1

    public var version = TaskState.currentVersion
    public var taskID: String
    public var jobID: String
    public var groupName: String
    public var taskName: String
    public var allocID: String
    public var podUUID: String
    public var executorPID: Int32
    public var executorSocket: String
    public var executorStateDirectory: String
    public var killTimeoutMilliseconds: Int64
    public var killSignal: Int32
    public var logDirectory: String
    public var network: DriverNetwork?
    public var startedAt: Date
    /// Set once `rkt rm` removed the pod after the task ended.
    public var podRemoved = false
    /// The exit as the driver last saw it (also kept by the executor in `exit.json`).
    public var exitCode: Int32?
    public var exitSignal: Int32?
    /// Whether the OOM killer acted in the task's pod, as `rkt status` reported it just before
    /// `rkt rm` (our runtime's `oom_killed`); nil until then, and with a runtime that does not say.
    public var oomKilled: Bool?
    /// The task's CPU ask (Resources.CPU, MHz), the base of `stats`' CPU percent. Nil in handles
    /// saved before this field existed.
    public var cpuMHz: Int?

    // Both fields above are optional, so version-1 handles written before them still load (the
    // synthesized decoder treats a missing optional as nil) and older drivers ignore them.

    /// `<allocID>-<task>`: unique per node, safe as a directory name.
    public static func taskID(allocID: String, taskName: String) -> String {
        "\(allocID)-\(taskName.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }.map(String.init).joined())"
    }
}

/// The directory of task handles under the driver's data dir.
public struct TaskStateStore: Sendable {
    public let root: String

    public init(dataDirectory: String) {
        root = "\(dataDirectory)/tasks"
    }

    public func directory(of taskID: String) -> String { "\(root)/\(taskID)" }

    public func save(_ state: TaskState) throws {
        try FileSystem.makeDirectories(directory(of: state.taskID), mode: 0o700)
        try FileSystem.writeAtomically(
            try JSON.encode(state, pretty: true), to: "\(directory(of: state.taskID))/handle.json")
    }

    public func load(_ taskID: String) throws -> TaskState {
        let path = "\(directory(of: taskID))/handle.json"
        let state: TaskState
        do {
            state = try JSON.decode(TaskState.self, from: try FileSystem.read(path))
        } catch {
            throw RktError(.invalidState, "task handle \(path) is unreadable: \(error)")
        }
        guard state.version == TaskState.currentVersion else {
            throw RktError(
                .unsupported,
                "task handle \(path) has format version \(state.version); this driver reads \(TaskState.currentVersion)"
            )
        }
        return state
    }

    /// Every saved task, oldest first; unreadable handles are reported through `problems`.
    public func all(problems: (String) -> Void = { _ in }) -> [TaskState] {
        let names = (try? FileSystem.list(root)) ?? []
        return names.compactMap { name in
            do {
                return try load(name)
            } catch {
                problems("\(error)")
                return nil
            }
        }.sorted { $0.startedAt < $1.startedAt }
    }

    /// Where a task's executor keeps its socket and exit record: a short path, because a unix
    /// socket path is limited to 107 bytes and alloc IDs plus task names would overflow it.
    public func executorDirectory(of taskID: String) -> String {
        "\(executorsRoot)/\(SHA512.hexDigest(Array(taskID.utf8)).prefix(16))"
    }

    var executorsRoot: String { "\(PathText.directory(of: root))/executors" }

    public func remove(_ taskID: String) throws {
        try FileSystem.removeTree(executorDirectory(of: taskID))
        try FileSystem.removeTree(directory(of: taskID))
    }
}
