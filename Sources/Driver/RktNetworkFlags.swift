import RktError
import TaskModel

/// The network-related flags: DNS and `--net` on run-prepared, `--port` on prepare.
public enum RktNetworkFlags {
    /// `--dns=` flags. A single `host` or `none` is passed as is; every other entry must be an
    /// IPv4 or IPv6 address (so `host`/`none` inside a longer list are rejected).
    public static func dns(_ servers: [String]) throws(RktError) -> [String] {
        if servers.count == 1, servers[0] == "host" || servers[0] == "none" {
            return ["--dns=\(servers[0])"]
        }
        var flags: [String] = []
        for server in servers {
            guard IPAddress(server) != nil else {
                throw RktError(.invalidArgument, "invalid ip address for container dns server \"\(server)\"")
            }
            flags.append("--dns=\(server)")
        }
        return flags
    }

    /// `--dns-search=` flags, one per domain.
    public static func dnsSearch(_ domains: [String]) -> [String] {
        domains.map { "--dns-search=\($0)" }
    }

    /// `--net=a,b`, or nothing when the joined list is empty.
    public static func net(_ networks: [String]) -> [String] {
        let joined = networks.joined(separator: ",")
        return joined.isEmpty ? [] : ["--net=\(joined)"]
    }

    /// `--port=<name>:<hostPort>` for the first network's reserved ports in declaration order,
    /// then its dynamic ports. With no networks a port_map is an error; with `net` = `host`
    /// mapping is skipped entirely; otherwise every port needs a port_map entry.
    public static func ports(
        networks: [NetworkResource], portMap: [String: String], joinedNet: String
    ) throws(RktError) -> [String] {
        guard let network = networks.first else {
            guard portMap.isEmpty else {
                throw RktError(.invalidArgument, "Trying to map ports but no network interface is available")
            }
            return []
        }
        guard joinedNet != "host" else {
            return []
        }
        var flags: [String] = []
        for port in network.reservedPorts + network.dynamicPorts {
            guard let name = portMap[port.label] else {
                throw RktError(
                    .invalidArgument,
                    "port_map is not set. When you defined port in the resources, you need to configure port_map.")
            }
            flags.append("--port=\(name):\(port.value)")
        }
        return flags
    }
}
