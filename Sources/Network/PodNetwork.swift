/// The result of `PodNetworking.setUp`: what the pod's runc config and status need.
public struct PodNetwork: Equatable, Sendable {
    /// The netns to put in the OCI `network` namespace entry.
    public let netnsPath: String
    /// The joined networks in setup order (`eth0` first), as written to `net-info.json`.
    public let infos: [NetInfo]

    public init(netnsPath: String, infos: [NetInfo]) {
        self.netnsPath = netnsPath
        self.infos = infos
    }
}

/// A pod's network between `PodNetworking.createNamespace` and `PodNetworking.join`: the netns
/// exists with `lo` up, and no CNI network is joined yet.
public struct PendingPodNetwork: Sendable {
    public let podID: String
    public let podDirectory: String
    /// The netns to put in the OCI `network` namespace entry.
    public let netnsPath: String
    let plan: NetPlan
    let ports: [PortForward]
    let portMapPlugin: String?
}
