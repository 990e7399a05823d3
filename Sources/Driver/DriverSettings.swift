import FoundationEssentials
import RktSys

/// The client options of the rkt driver (Nomad's `client { options }` for rkt, plus where our
/// own state lives), with Nomad's defaults.
public struct DriverSettings: Sendable {
    /// Host variables removed from the environment of `rkt run-prepared` and `rkt enter` (§2.1).
    public static let defaultEnvBlacklist: Set<String> = [
        "CONSUL_TOKEN", "VAULT_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "GOOGLE_APPLICATION_CREDENTIALS",
    ]

    /// The rkt binary: by default the one built beside `rkt-driver`, else `rkt` on PATH.
    public var rktPath: String
    /// The driver's data dir: alloc dirs, task state, logs, the service catalog.
    public var dataDirectory = "/var/lib/rkt-driver"
    /// When set, `--dir=<path>` is put in front of every rkt command (not in Nomad's argv; for
    /// running a second runtime store side by side, as the tests do).
    public var rktDataDirectory: String?
    public var volumesEnabled = true
    public var envBlacklist = DriverSettings.defaultEnvBlacklist
    public var maxKillTimeout: Duration = .seconds(30)
    /// How long Start waits for the pod's IP before failing a task that maps ports (upstream: 1 min).
    public var networkDeadline: Duration = .seconds(60)

    /// Overrides the DriverNetwork's AutoAdvertise (by default false on `default` and
    /// `default-restricted`, whose pod IPs only this host reaches, and true on named CNI networks).
    public var autoAdvertise: Bool?
    /// A Consul agent (`host:port`) to register services with; nil keeps the embedded catalog.
    public var consulAddress: String?
    /// The per-task executor binary, by default the one built beside `rkt-driver`.
    public var executorPath: String

    public init(rktPath: String? = nil) {
        self.rktPath = rktPath ?? DriverSettings.besideDriver("rkt")
        executorPath = DriverSettings.besideDriver("rkt-executor")
    }

    /// The environment for long-running rkt commands: the host's minus the blacklist, with a PATH
    /// in which rkt finds iptables, runc and the CNI plugins.
    public func rktEnvironment(host: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var environment = host.filter { !envBlacklist.contains($0.key) }
        let required = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        var path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        path += required.filter { !path.contains($0) }
        environment["PATH"] = path.joined(separator: ":")
        return environment
    }

    /// rkt's global flags that come from these settings (only `--dir` when configured).
    public var rktGlobalArguments: [String] {
        rktDataDirectory.map { ["--dir=\($0)"] } ?? []
    }

    /// Nomad's GetKillTimeout: ≤ 0 means 1 s, the result is capped at max_kill_timeout.
    public func killTimeout(_ desired: Duration) -> Duration {
        let wanted = desired <= .zero ? .seconds(1) : desired
        let cap = maxKillTimeout <= .zero ? .seconds(10) : maxKillTimeout
        return min(wanted, cap)
    }

    /// `name` next to the running executable if it is there, else the bare name (PATH lookup).
    private static func besideDriver(_ name: String) -> String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        let beside = "\(PathText.directory(of: executable))/\(name)"
        return FileManager.default.isExecutableFile(atPath: beside) ? beside : name
    }
}
