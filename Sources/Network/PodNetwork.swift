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
