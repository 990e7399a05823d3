import TaskModel

/// The `config { ... }` block of a `driver = "rkt"` task (reference §1.1).
public struct RktTaskConfig: Equatable, Sendable {
    public var image: String
    public var command: String
    public var args: [String]
    public var trustPrefix: String
    public var insecureOptions: [String]
    public var dnsServers: [String]
    public var dnsSearchDomains: [String]
    public var net: [String]
    /// Nomad port label → appc port name (e.g. `db` → `6379-tcp`).
    public var portMap: [String: String]
    public var volumes: [String]
    public var noOverlay: Bool
    public var debug: Bool
    public var group: String

    public init(
        image: String, command: String = "", args: [String] = [], trustPrefix: String = "",
        insecureOptions: [String] = [], dnsServers: [String] = [], dnsSearchDomains: [String] = [],
        net: [String] = [], portMap: [String: String] = [:], volumes: [String] = [], noOverlay: Bool = false,
        debug: Bool = false, group: String = ""
    ) {
        self.image = image
        self.command = command
        self.args = args
        self.trustPrefix = trustPrefix
        self.insecureOptions = insecureOptions
        self.dnsServers = dnsServers
        self.dnsSearchDomains = dnsSearchDomains
        self.net = net
        self.portMap = portMap
        self.volumes = volumes
        self.noOverlay = noOverlay
        self.debug = debug
        self.group = group
    }

    /// `net` joined with commas: the string compared with `host` and `none`.
    public var joinedNet: String { net.joined(separator: ",") }

    /// True when the pod shares the host's network (ports are not mapped).
    public var usesHostNetwork: Bool { joinedNet == "host" }

    /// True when no pod IP can be looked up after start (`host` or `none`).
    public var skipsNetworkLookup: Bool { joinedNet == "host" || joinedNet == "none" }
}
