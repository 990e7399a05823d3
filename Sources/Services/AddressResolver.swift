import Driver
import RktError
import TaskModel

/// An address and port to advertise or probe. An empty address means "let the catalog pick the
/// agent's own address"; port 0 means "no port".
public struct ResolvedAddress: Equatable, Hashable, Sendable {
    public var address: String
    public var port: Int

    public init(address: String, port: Int) {
        self.address = address
        self.port = port
    }

    /// No address and no port.
    public static let none = ResolvedAddress(address: "", port: 0)
}

/// Resolves where a service or check lives from its address mode and port label, following
/// Nomad 0.8 (reference §4.3). Every function is pure; errors carry Nomad's exact wording.
///
/// Invalid modes are normally rejected earlier by `JobValidator`; the resolver enforces the same
/// rule with the same text so that a registration can never be built from an unvalidated service.
public enum AddressResolver {
    /// The address for `mode` (`auto`, `host` or `driver`) and `portLabel`, given the task's
    /// host networks and the driver's network (nil when the driver reported none).
    public static func resolve(
        mode: String, portLabel: String, networks: [NetworkResource], driverNetwork: DriverNetwork?
    ) throws(RktError) -> ResolvedAddress {
        switch mode {
        case "auto":
            let effective = DriverNetwork.advertises(driverNetwork) ? "driver" : "host"
            return try resolve(mode: effective, portLabel: portLabel, networks: networks, driverNetwork: driverNetwork)
        case "host":
            return try hostAddress(portLabel: portLabel, networks: networks)
        case "driver":
            return try driverAddress(portLabel: portLabel, driverNetwork: driverNetwork)
        default:
            throw invalid("service address_mode must be \"auto\", \"host\", or \"driver\"; not \"\(mode)\"")
        }
    }

    /// A service's address; errors are wrapped as `unable to get address for service "<name>": …`.
    public static func serviceAddress(
        _ service: Service, networks: [NetworkResource], driverNetwork: DriverNetwork?
    ) throws(RktError) -> ResolvedAddress {
        do {
            return try resolve(
                mode: service.addressMode, portLabel: service.portLabel, networks: networks,
                driverNetwork: driverNetwork)
        } catch {
            throw invalid("unable to get address for service \"\(service.name)\": \(error.message)")
        }
    }

    /// A check's address. Script checks are not probed over the network and get no address.
    /// The check's own port label wins; an empty one falls back to the service's. The check's
    /// mode defaults to host and is never inherited from the service. Errors are wrapped as
    /// `error getting address for check "<name>": …`.
    public static func checkAddress(
        _ check: ServiceCheck, service: Service, networks: [NetworkResource], driverNetwork: DriverNetwork?
    ) throws(RktError) -> ResolvedAddress {
        if check.type == "script" {
            return .none
        }
        do {
            let mode = try checkMode(check.addressMode)
            let label = check.portLabel.isEmpty ? service.portLabel : check.portLabel
            return try resolve(mode: mode, portLabel: label, networks: networks, driverNetwork: driverNetwork)
        } catch {
            throw invalid("error getting address for check \"\(check.name)\": \(error.message)")
        }
    }

    /// `""` means host; `auto` is for services only.
    static func checkMode(_ mode: String) throws(RktError) -> String {
        switch mode {
        case "", "host":
            return "host"
        case "driver":
            return "driver"
        case "auto":
            throw invalid("invalid address_mode \"auto\" - auto only valid for services")
        default:
            throw invalid("invalid address_mode \"\(mode)\"")
        }
    }

    /// Host mode: the label is looked up in each network's reserved ports, then its dynamic ports.
    static func hostAddress(portLabel: String, networks: [NetworkResource]) throws(RktError) -> ResolvedAddress {
        guard !portLabel.isEmpty else {
            // With exactly one network its IP is unambiguous; otherwise the agent's IP is used.
            return networks.count == 1 ? ResolvedAddress(address: networks[0].ip, port: 0) : .none
        }
        for network in networks {
            if let port = (network.reservedPorts + network.dynamicPorts).first(where: { $0.label == portLabel }) {
                return ResolvedAddress(address: network.ip, port: port.value)
            }
        }
        throw invalid("invalid port \"\(portLabel)\": port label not found")
    }

    /// Driver mode: the pod IP with the port map's container port, or a literal positive number.
    static func driverAddress(portLabel: String, driverNetwork: DriverNetwork?) throws(RktError) -> ResolvedAddress {
        guard let network = driverNetwork else {
            throw invalid("cannot use address_mode=\"driver\": no driver network exists")
        }
        guard !portLabel.isEmpty else {
            return ResolvedAddress(address: network.ip, port: 0)
        }
        if let mapped = network.portMap[portLabel] {
            return ResolvedAddress(address: network.ip, port: mapped)
        }
        guard let number = Int(portLabel) else {
            throw invalid(
                "invalid port label \"\(portLabel)\": port labels in driver address_mode must be numeric or in "
                    + "the driver's port map")
        }
        guard number > 0 else {
            throw invalid("invalid port: \"\(portLabel)\": port must be >0")
        }
        return ResolvedAddress(address: network.ip, port: number)
    }

    private static func invalid(_ message: String) -> RktError {
        RktError(.invalidArgument, message)
    }
}
