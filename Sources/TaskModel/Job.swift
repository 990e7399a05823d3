/// A Nomad job, as far as this driver needs it (field names follow Nomad's JSON API).
public struct Job: Equatable, Sendable {
    public var id: String
    public var name: String
    /// `service`, `batch` or `system`; defaults to `service`.
    public var type: String
    public var region: String
    public var namespace: String
    public var datacenters: [String]
    public var meta: [String: String]
    public var taskGroups: [TaskGroup]

    public init(
        id: String, name: String? = nil, type: String = "service", region: String = "global",
        namespace: String = "default", datacenters: [String] = ["dc1"], meta: [String: String] = [:],
        taskGroups: [TaskGroup] = []
    ) {
        self.id = id
        self.name = name ?? id
        self.type = type
        self.region = region
        self.namespace = namespace
        self.datacenters = datacenters
        self.meta = meta
        self.taskGroups = taskGroups
    }
}

/// A task group: a set of tasks placed together, `count` times.
public struct TaskGroup: Equatable, Sendable {
    public var name: String
    public var count: Int
    public var meta: [String: String]
    public var tasks: [Task]

    public init(name: String, count: Int = 1, meta: [String: String] = [:], tasks: [Task] = []) {
        self.name = name
        self.count = count
        self.meta = meta
        self.tasks = tasks
    }
}
