import Foundation
import Network
import RktSys

/// One test pod: a fresh UUID, pod and conf directories under /tmp, and a cleanup that leaves the
/// host as it was even when the test failed half-way.
struct TestPod {
    let id = UUID().uuidString.lowercased()
    let podDir: TemporaryDirectory
    let confDir: TemporaryDirectory
    let networking: PodNetworking
    /// Host links that existed before the test.
    let linksBefore = Host.linkNames()

    init() throws {
        podDir = try TemporaryDirectory(prefix: "rkt-net-pod")
        confDir = try TemporaryDirectory(prefix: "rkt-net-conf")
        networking = PodNetworking(configDirectory: confDir.path, logger: quietLogger)
    }

    var netnsName: String { "rkt-\(id)" }
    var netnsPath: String { "/var/run/netns/\(netnsName)" }

    func setUp(_ names: [String], ports: [PortForward] = []) throws -> PodNetwork {
        try setUp(requests: names.map { NetRequest(name: $0) }, ports: ports)
    }

    func setUp(requests: [NetRequest], ports: [PortForward] = []) throws -> PodNetwork {
        try networking.setUp(podID: id, podDirectory: podDir.path, selection: requests, ports: ports)
    }

    func tearDown() throws {
        try networking.tearDown(podID: id, podDirectory: podDir.path)
    }

    /// Links that appeared since the pod was created.
    var newLinks: Set<String> { Host.linkNames().subtracting(linksBefore) }

    /// Whether the pod directory still holds any networking file.
    var hasNetworkFiles: Bool {
        ["netns", "net-info.json", "net"].contains { FileSystem.exists("\(podDir.path)/\($0)") }
    }

    /// Best-effort cleanup for `defer`: teardown, then anything it could have missed.
    func cleanUp(extraLinks: [String] = [], ipamNetworks: [String] = []) {
        try? tearDown()
        if FileSystem.exists(netnsPath) {
            Host.run("ip", "netns", "delete", netnsName)
        }
        for link in extraLinks {
            Host.run("ip", "link", "delete", link)
        }
        for network in ipamNetworks {
            try? FileSystem.removeTree("/var/lib/cni/networks/\(network)")
        }
        podDir.remove()
        confDir.remove()
    }
}
