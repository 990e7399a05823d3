import RktError
import RktSys

/// Pod networking for contained mode (reference §3): a named netns per pod joined to CNI networks,
/// with ports forwarded by the CNI `portmap` plugin.
///
/// Known limitations: plugin calls have no timeout; `count` port ranges are not expanded; the
/// shared `CNI-HOSTPORT-*` chains that portmap creates on first use are left in place (they hold
/// no per-pod rules after teardown); the `ptp` plugin turns on `net.ipv4.ip_forward` on the host.
public final class PodNetworking: Sendable {
    /// The user's conf directory (`<local-config>/net.d`).
    public let configDirectory: String
    /// Where CNI plugins are looked up, in order.
    public let pluginDirectories: [String]
    let logger: Logger

    public init(
        configDirectory: String = "/etc/rkt/net.d", pluginDirectories: [String] = ["/usr/lib/cni"], logger: Logger
    ) {
        self.configDirectory = configDirectory
        self.pluginDirectories = pluginDirectories
        self.logger = logger
    }

    var plugin: CNIPlugin { CNIPlugin(directories: pluginDirectories) }

    /// The builtin `default` and `default-restricted` networks merged with the user's `*.conf` files,
    /// sorted by file name.
    public func availableNetworks() throws -> [NetConf] {
        try NetConfDiscovery(directory: configDirectory, logger: logger).load()
    }

    /// Creates the netns `/var/run/netns/rkt-<podID>`, runs CNI ADD for each requested network in
    /// conf file-name order (`eth0`, `eth1`, ...), chains `portmap` on the forwardable network for
    /// `ports`, brings `lo` up, and records everything in `podDirectory` (`netns`, `net/`,
    /// `net-info.json`). It is `createNamespace` then `join`.
    ///
    /// All or nothing: on any failure what was done is undone before the error is thrown.
    public func setUp(podID: String, podDirectory: String, selection: [NetRequest], ports: [PortForward]) throws
        -> PodNetwork
    {
        try join(try createNamespace(podID: podID, podDirectory: podDirectory, selection: selection, ports: ports))
    }

    /// The first half of `setUp`: checks the request, works out which networks and plugins it
    /// needs, and creates the pod's netns with `lo` up. A container can be created in the netns
    /// while `join` runs the plugins. On failure nothing is left.
    public func createNamespace(podID: String, podDirectory: String, selection: [NetRequest], ports: [PortForward])
        throws -> PendingPodNetwork
    {
        try Self.validate(podID: podID, ports: ports)
        let plan = try NetPlan(requests: selection, available: try availableNetworks(), plugin: plugin)
        let portMapPlugin = ports.isEmpty ? nil : try plugin.locate("portmap")
        let files = PodNetworkFiles(podDirectory: podDirectory)
        let netns = NetworkNamespace(name: "rkt-\(podID)")
        guard !netns.exists, !FileSystem.exists(files.netInfoFile) else {
            throw RktError(.exists, "network of pod \(podID) is already set up")
        }

        let pending = PendingPodNetwork(
            podID: podID, podDirectory: podDirectory, netnsPath: netns.path, plan: plan, ports: ports,
            portMapPlugin: portMapPlugin)
        try undoingOnFailure(pending) {
            try FileSystem.makeDirectories(files.netDirectory)
            try files.writeNetnsPath(netns.path)
            try netns.create()
        }
        return pending
    }

    /// The second half of `setUp`: CNI ADD of each network into the netns, then `portmap`. On
    /// failure the netns is removed too, as by `tearDown`.
    public func join(_ pending: PendingPodNetwork) throws -> PodNetwork {
        var setup = PodNetworkSetup(
            podID: pending.podID, files: PodNetworkFiles(podDirectory: pending.podDirectory),
            netns: NetworkNamespace(name: "rkt-\(pending.podID)"), plugin: plugin, logger: logger)
        try undoingOnFailure(pending) {
            try setup.join(pending.plan, ports: pending.ports, portMapPlugin: pending.portMapPlugin)
        }
        return PodNetwork(netnsPath: pending.netnsPath, infos: setup.infos)
    }

    /// Runs `body`; if it throws, tears down whatever the pod's network has so far and rethrows.
    private func undoingOnFailure(_ pending: PendingPodNetwork, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch {
            logger.debug("network setup failed, undoing it", ["pod.id": pending.podID, "error": "\(error)"])
            do {
                try tearDown(podID: pending.podID, podDirectory: pending.podDirectory)
            } catch let cleanup {
                logger.warning(
                    "undoing a failed network setup failed", ["pod.id": pending.podID, "error": "\(cleanup)"])
            }
            throw error
        }
    }

    /// Checks the inputs that end up in a path or in plugin arguments.
    private static func validate(podID: String, ports: [PortForward]) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        guard !podID.isEmpty, podID.allSatisfy({ allowed.contains($0) }) else {
            throw RktError(.invalidArgument, "invalid pod id \"\(podID)\"")
        }
        for port in ports {
            guard ["tcp", "udp"].contains(port.protocol) else {
                throw RktError(.invalidArgument, "port \(port.name): unsupported protocol \"\(port.protocol)\"")
            }
            guard (1...65535).contains(port.hostPort), (1...65535).contains(port.containerPort) else {
                throw RktError(.invalidArgument, "port \(port.name): port numbers must be in 1...65535")
            }
        }
    }
}
