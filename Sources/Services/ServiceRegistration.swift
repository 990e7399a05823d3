/// The health of a check, in Consul's vocabulary.
public enum CheckStatus: String, Codable, Equatable, Sendable, CaseIterable {
    case passing
    case warning
    case critical
}

/// One service of one task as it is advertised in a catalog.
public struct ServiceRegistration: Codable, Equatable, Sendable {
    /// Stable across restarts of the agent: `_nomad-task-<allocID>-<task>-<name>-<port label>`.
    public var id: String
    /// The interpolated service name.
    public var name: String
    public var tags: [String]
    /// Empty when the catalog should use the agent's own address.
    public var address: String
    public var port: Int
    public var checks: [CheckRegistration]
    public var allocID: String
    public var taskName: String

    public init(
        id: String, name: String, tags: [String] = [], address: String = "", port: Int = 0,
        checks: [CheckRegistration] = [], allocID: String = "", taskName: String = ""
    ) {
        self.id = id
        self.name = name
        self.tags = tags
        self.address = address
        self.port = port
        self.checks = checks
        self.allocID = allocID
        self.taskName = taskName
    }
}

/// One check of a registered service, with its last result.
public struct CheckRegistration: Equatable, Sendable {
    /// `_nomad-check-<hash>`: a hash of the service ID and the check's definition.
    public var id: String
    public var name: String
    /// `http`, `tcp` or `script` (others are registered but never run here).
    public var type: String
    /// The probed address; empty for script checks.
    public var address: String
    public var port: Int
    public var path: String
    public var command: String
    public var args: [String]
    public var interval: Duration
    public var timeout: Duration
    public var status: CheckStatus
    /// The last probe's output, or why it has not run yet.
    public var output: String

    public init(
        id: String, name: String, type: String, address: String = "", port: Int = 0, path: String = "",
        command: String = "", args: [String] = [], interval: Duration = .seconds(10), timeout: Duration = .seconds(2),
        status: CheckStatus = .critical, output: String = ""
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.address = address
        self.port = port
        self.path = path
        self.command = command
        self.args = args
        self.interval = interval
        self.timeout = timeout
        self.status = status
        self.output = output
    }

    /// Whether the same check definition and target: status and output do not count.
    public func sameTarget(as other: CheckRegistration) -> Bool {
        var normalized = other
        normalized.status = status
        normalized.output = output
        return normalized == self
    }
}
