/// The conf for the CNI `portmap` plugin, chained after the forwardable network's plugin
/// (reference §3.4). The same bytes are used for ADD and DEL.
///
/// `snat` is left at its default (true): portmap then masquerades hairpin and `127.0.0.1`
/// traffic and itself sets `net.ipv4.conf.<host veth>.route_localnet=1` on the interface routing
/// to the pod, which is what rkt did by hand so that `127.0.0.1:<hostPort>` works.
struct PortMapConf: Encodable {
    struct Capabilities: Encodable {
        let portMappings = true
    }

    struct Mapping: Encodable {
        let hostPort: Int
        let containerPort: Int
        let `protocol`: String
        let hostIP: String?
    }

    struct RuntimeConfig: Encodable {
        let portMappings: [Mapping]
    }

    /// A minimal 0.4.0 result: only the addresses, which is all portmap reads.
    struct PrevResult: Encodable {
        struct Address: Encodable {
            let version = "4"
            let address: String
            let gateway: String?
        }

        let cniVersion = "0.4.0"
        let ips: [Address]
    }

    let cniVersion = "0.4.0"
    let name: String
    let type = "portmap"
    let capabilities = Capabilities()
    let runtimeConfig: RuntimeConfig
    let prevResult: PrevResult

    /// Built from the normalised result, so 0.1.0 and 0.4.0 networks chain the same way.
    init(network: String, ports: [PortForward], result: CNIResult) {
        name = network
        runtimeConfig = RuntimeConfig(
            portMappings: ports.map {
                Mapping(
                    hostPort: $0.hostPort, containerPort: $0.containerPort, protocol: $0.protocol, hostIP: $0.hostIP)
            })
        let addresses = result.ipv4CIDR.map { [PrevResult.Address(address: $0, gateway: result.gateway)] } ?? []
        prevResult = PrevResult(ips: addresses)
    }
}
