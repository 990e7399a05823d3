import JSONCore

/// One task of a group. `config` is the driver's own block, kept as raw JSON for the driver to
/// decode strictly.
public struct Task: Equatable, Sendable {
    /// Nomad's job-spec default for `kill_timeout`.
    public static let defaultKillTimeout: Duration = .seconds(5)

    public var name: String
    public var driver: String
    public var user: String
    public var config: JSONValue
    public var env: [String: String]
    public var meta: [String: String]
    public var killTimeout: Duration
    public var killSignal: String
    public var logConfig: LogConfig
    public var resources: Resources
    public var services: [Service]

    public init(
        name: String, driver: String = "rkt", user: String = "", config: JSONValue = .object([:]),
        env: [String: String] = [:], meta: [String: String] = [:], killTimeout: Duration = Task.defaultKillTimeout,
        killSignal: String = "", logConfig: LogConfig = LogConfig(), resources: Resources = Resources(),
        services: [Service] = []
    ) {
        self.name = name
        self.driver = driver
        self.user = user
        self.config = config
        self.env = env
        self.meta = meta
        self.killTimeout = killTimeout
        self.killSignal = killSignal
        self.logConfig = logConfig
        self.resources = resources
        self.services = services
    }
}

/// Log rotation settings for a task's stdout/stderr files.
public struct LogConfig: Equatable, Sendable {
    public var maxFiles: Int
    public var maxFileSizeMB: Int

    public init(maxFiles: Int = 10, maxFileSizeMB: Int = 10) {
        self.maxFiles = maxFiles
        self.maxFileSizeMB = maxFileSizeMB
    }
}
