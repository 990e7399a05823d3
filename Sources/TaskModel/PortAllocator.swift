import Glibc

/// Hands out host ports for dynamic port asks from a range, skipping reserved ports, ports it
/// (or the caller) already gave out, and ports something on the host is bound to right now.
///
/// The scan is sequential with a moving cursor, so successive allocations do not immediately
/// reuse a port that was just released. The bind probe is injectable for tests.
public struct PortAllocator: Sendable {
    /// Returns true when `port` looks free on the host.
    public typealias Probe = @Sendable (Int) -> Bool

    /// Nomad's default dynamic port range.
    public static let defaultRange = 20000...32000

    public let range: ClosedRange<Int>
    public private(set) var used: Set<Int>
    private var cursor: Int
    private let probe: Probe

    public init(
        range: ClosedRange<Int> = PortAllocator.defaultRange, used: Set<Int> = [],
        probe: @escaping Probe = PortAllocator.canBindTCP
    ) {
        self.range = range
        self.used = used
        self.cursor = range.lowerBound
        self.probe = probe
    }

    /// Marks `port` as given out (a reserved port, or one held by another task).
    public mutating func markUsed(_ port: Int) {
        used.insert(port)
    }

    /// The next free port in the range.
    public mutating func allocate() throws(PortAllocationError) -> Int {
        for step in 0..<range.count {
            let port = range.lowerBound + (cursor - range.lowerBound + step) % range.count
            guard !used.contains(port), probe(port) else {
                continue
            }
            used.insert(port)
            cursor = port == range.upperBound ? range.lowerBound : port + 1
            return port
        }
        throw .exhausted(range)
    }

    /// The networks with every dynamic port given a host port. Reserved ports are marked used
    /// first (a reserved port that is already given out, or that something on the host is bound
    /// to, is an error); a dynamic port's incoming value is ignored and replaced.
    public mutating func assign(_ networks: [NetworkResource]) throws(PortAllocationError) -> [NetworkResource] {
        for port in networks.flatMap(\.reservedPorts) {
            guard used.insert(port.value).inserted else {
                throw .reservedInUse(label: port.label, port: port.value)
            }
            guard probe(port.value) else {
                throw .reservedBound(label: port.label, port: port.value)
            }
        }
        var result = networks
        for networkIndex in result.indices {
            for portIndex in result[networkIndex].dynamicPorts.indices {
                result[networkIndex].dynamicPorts[portIndex].value = try allocate()
            }
        }
        return result
    }

    /// The default probe: whether a TCP socket can bind `0.0.0.0:port` right now.
    public static let canBindTCP: Probe = { port in
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else {
            return false
        }
        defer { close(fd) }
        var reuse: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port)).bigEndian
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}

/// Why a port could not be handed out.
public enum PortAllocationError: Error, Equatable, Sendable, CustomStringConvertible {
    case exhausted(ClosedRange<Int>)
    case reservedInUse(label: String, port: Int)
    case reservedBound(label: String, port: Int)

    public var description: String {
        switch self {
        case .exhausted(let range):
            return "no free port in range \(range.lowerBound)-\(range.upperBound)"
        case .reservedInUse(let label, let port):
            return "reserved port \(port) (label \"\(label)\") is already in use"
        case .reservedBound(let label, let port):
            return "reserved port \(port) (label \"\(label)\") is in use on this host; stop what listens there or "
                + "reserve another port"
        }
    }
}
