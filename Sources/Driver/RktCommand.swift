import RktError
import TaskModel

/// Host directories mounted into every rkt pod at `/alloc`, `/local` and `/secrets`.
public struct TaskPaths: Equatable, Sendable {
    /// The allocation's shared directory, `<alloc_dir>/<allocID>/alloc`.
    public var allocDir: String
    /// The task's `local` directory.
    public var localDir: String
    /// The task's `secrets` directory.
    public var secretsDir: String

    public init(allocDir: String, localDir: String, secretsDir: String) {
        self.allocDir = allocDir
        self.localDir = localDir
        self.secretsDir = secretsDir
    }
}

/// Client-side driver options.
public struct RktDriverOptions: Equatable, Sendable {
    /// `volumes_enabled`: whether tasks may use the `volumes` option.
    public var volumesEnabled: Bool

    public init(volumesEnabled: Bool = true) {
        self.volumesEnabled = volumesEnabled
    }
}

/// Everything the argv builder reads.
public struct RktCommandInput: Sendable {
    public var allocID: String
    /// The task; its networks' dynamic ports must already be allocated.
    public var task: Task
    public var config: RktTaskConfig
    public var environment: TaskEnvironment
    public var paths: TaskPaths
    public var options: RktDriverOptions

    public init(
        allocID: String, task: Task, config: RktTaskConfig, environment: TaskEnvironment, paths: TaskPaths,
        options: RktDriverOptions = RktDriverOptions()
    ) {
        self.allocID = allocID
        self.task = task
        self.config = config
        self.environment = environment
        self.paths = paths
        self.options = options
    }
}

/// The argv (without the rkt binary) for `rkt prepare` and `rkt run-prepared`, in the 0.8 shape
/// of reference §3.3. The caller appends the pod UUID printed by prepare to `runPrepared`.
public struct RktCommand: Equatable, Sendable {
    public var prepare: [String]
    public var runPrepared: [String]
    /// Non-fatal problems to log (e.g. an unknown volume mode).
    public var warnings: [String]

    public init(prepare: [String], runPrepared: [String], warnings: [String] = []) {
        self.prepare = prepare
        self.runPrepared = runPrepared
        self.warnings = warnings
    }

    /// `rkt trust` arguments for a trust prefix.
    public static func trustArguments(prefix: String, debug: Bool) -> [String] {
        ["trust", "--skip-fingerprint-review=true", "--prefix=\(prefix)", "--debug=\(debug)"]
    }

    /// The global flags put in front of both subcommands. `insecure_options` wins when set;
    /// otherwise everything is insecure unless a trust prefix was installed.
    public static func globalArguments(_ config: RktTaskConfig) -> [String] {
        var flags: [String] = []
        if !config.insecureOptions.isEmpty {
            flags.append("--insecure-options=\(config.insecureOptions.joined(separator: ","))")
        } else if config.trustPrefix.isEmpty {
            flags.append("--insecure-options=all")
        }
        flags.append("--debug=\(config.debug)")
        return flags
    }

    /// `<allocID>-<task>-<suffix>`, with `_` in the task name replaced by `-`.
    public static func volumeName(allocID: String, task: String, suffix: String) -> String {
        "\(allocID)-\(task.replacingAll("_", with: "-"))-\(suffix)"
    }
}

extension String {
    /// Every occurrence of `target` replaced (stdlib only, no Foundation).
    func replacingAll(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
