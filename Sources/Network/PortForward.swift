/// A host port forwarded to a port of the pod (`--port NAME:[IP:]HOSTPORT`, reference §3.4).
public struct PortForward: Codable, Equatable, Sendable {
    /// The app port name from the image manifest.
    public let name: String
    /// The port on the host.
    public let hostPort: Int
    /// The port inside the pod.
    public let containerPort: Int
    /// `tcp` or `udp`.
    public let `protocol`: String
    /// The host address to listen on; nil means every local address.
    public let hostIP: String?

    public init(name: String, hostPort: Int, containerPort: Int, protocol: String = "tcp", hostIP: String? = nil) {
        self.name = name
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.protocol = `protocol`
        self.hostIP = hostIP
    }
}
