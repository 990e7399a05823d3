/// CPU (MHz), memory (MB) and networks asked for by a task. Defaults are Nomad's.
public struct Resources: Equatable, Sendable {
    public var cpu: Int
    public var memoryMB: Int
    public var networks: [NetworkResource]

    public init(cpu: Int = 100, memoryMB: Int = 300, networks: [NetworkResource] = []) {
        self.cpu = cpu
        self.memoryMB = memoryMB
        self.networks = networks
    }

    /// Every port of every network: each network's reserved ports, then its dynamic ports.
    public var allPorts: [Port] {
        networks.flatMap { $0.reservedPorts + $0.dynamicPorts }
    }
}

/// One network ask: reserved (fixed) and dynamic (allocated) host ports.
public struct NetworkResource: Equatable, Sendable {
    /// The host IP the ports are bound on; empty until known.
    public var ip: String
    public var mbits: Int
    public var reservedPorts: [Port]
    public var dynamicPorts: [Port]

    public init(ip: String = "", mbits: Int = 10, reservedPorts: [Port] = [], dynamicPorts: [Port] = []) {
        self.ip = ip
        self.mbits = mbits
        self.reservedPorts = reservedPorts
        self.dynamicPorts = dynamicPorts
    }
}

/// A labelled host port. For dynamic ports `value` is 0 until allocated.
public struct Port: Equatable, Hashable, Sendable {
    public var label: String
    public var value: Int

    public init(label: String, value: Int = 0) {
        self.label = label
        self.value = value
    }
}
