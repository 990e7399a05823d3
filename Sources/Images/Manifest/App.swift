/// The `app` section of an image manifest: how to run the image's program.
public struct App: Codable, Sendable, Equatable {
    /// argv of the main process; no shell or variable expansion, PATH search if argv[0] has no "/".
    public var exec: [String]
    /// User: a name in the image's /etc/passwd, a number, or "/path" (owner of that file). Required.
    public var user: String
    /// Group, in the same forms as `user`. Required.
    public var group: String
    /// Extra group IDs.
    public var supplementaryGIDs: [Int]
    /// `pre-start` / `post-stop` handlers.
    public var eventHandlers: [EventHandler]
    /// Absolute working directory; empty means "/".
    public var workingDirectory: String
    /// Environment variables, in order.
    public var environment: [NameValue]
    /// Resource and security isolators.
    public var isolators: [Isolator]
    /// Where volumes are expected.
    public var mountPoints: [MountPoint]
    /// Ports the app listens on.
    public var ports: [PortSpec]
    /// Free-form annotations for the user.
    public var userAnnotations: [String: String]
    /// Free-form labels for the user.
    public var userLabels: [String: String]

    /// An app section; only `exec`, `user` and `group` are usually needed.
    public init(
        exec: [String], user: String, group: String, supplementaryGIDs: [Int] = [],
        eventHandlers: [EventHandler] = [], workingDirectory: String = "", environment: [NameValue] = [],
        isolators: [Isolator] = [], mountPoints: [MountPoint] = [], ports: [PortSpec] = [],
        userAnnotations: [String: String] = [:], userLabels: [String: String] = [:]
    ) {
        self.exec = exec
        self.user = user
        self.group = group
        self.supplementaryGIDs = supplementaryGIDs
        self.eventHandlers = eventHandlers
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.isolators = isolators
        self.mountPoints = mountPoints
        self.ports = ports
        self.userAnnotations = userAnnotations
        self.userLabels = userLabels
    }

    /// The port declared with `name`, if any.
    public func port(named name: String) -> PortSpec? {
        ports.first { $0.name == name }
    }

    /// The value of environment variable `name` (the last one wins if repeated).
    public func environmentValue(_ name: String) -> String? {
        environment.last { $0.name == name }?.value
    }

    enum CodingKeys: String, CodingKey {
        case exec, user, group, supplementaryGIDs, eventHandlers, workingDirectory, environment
        case isolators, mountPoints, ports, userAnnotations, userLabels
        case supplementaryGids
    }

    /// Missing keys take their defaults (STYLE §5.12). `supplementaryGids`, the spelling in the
    /// spec's example, is accepted too.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        exec = try container.decodeIfPresent([String].self, forKey: .exec) ?? []
        user = try container.decodeIfPresent(String.self, forKey: .user) ?? ""
        group = try container.decodeIfPresent(String.self, forKey: .group) ?? ""
        supplementaryGIDs =
            try container.decodeIfPresent([Int].self, forKey: .supplementaryGIDs)
            ?? container.decodeIfPresent([Int].self, forKey: .supplementaryGids) ?? []
        eventHandlers = try container.decodeIfPresent([EventHandler].self, forKey: .eventHandlers) ?? []
        workingDirectory = try container.decodeIfPresent(String.self, forKey: .workingDirectory) ?? ""
        environment = try container.decodeIfPresent([NameValue].self, forKey: .environment) ?? []
        isolators = try container.decodeIfPresent([Isolator].self, forKey: .isolators) ?? []
        mountPoints = try container.decodeIfPresent([MountPoint].self, forKey: .mountPoints) ?? []
        ports = try container.decodeIfPresent([PortSpec].self, forKey: .ports) ?? []
        userAnnotations = try container.decodeIfPresent([String: String].self, forKey: .userAnnotations) ?? [:]
        userLabels = try container.decodeIfPresent([String: String].self, forKey: .userLabels) ?? [:]
    }

    /// Writes `exec`, `user` and `group` always and the rest only when non-empty, like appc's tools.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(exec, forKey: .exec)
        try container.encode(user, forKey: .user)
        try container.encode(group, forKey: .group)
        try encodeNonEmpty(supplementaryGIDs, .supplementaryGIDs, &container)
        try encodeNonEmpty(eventHandlers, .eventHandlers, &container)
        if !workingDirectory.isEmpty {
            try container.encode(workingDirectory, forKey: .workingDirectory)
        }
        try encodeNonEmpty(environment, .environment, &container)
        try encodeNonEmpty(isolators, .isolators, &container)
        try encodeNonEmpty(mountPoints, .mountPoints, &container)
        try encodeNonEmpty(ports, .ports, &container)
        if !userAnnotations.isEmpty {
            try container.encode(userAnnotations, forKey: .userAnnotations)
        }
        if !userLabels.isEmpty {
            try container.encode(userLabels, forKey: .userLabels)
        }
    }

    private func encodeNonEmpty<T: Encodable>(
        _ values: [T], _ key: CodingKeys, _ container: inout KeyedEncodingContainer<CodingKeys>
    ) throws {
        if !values.isEmpty {
            try container.encode(values, forKey: key)
        }
    }
}
