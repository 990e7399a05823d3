import Foundation
import Network
import RktError
import RktSys
import Testing

/// Real netns, CNI plugins and iptables, as root. Serialized: the tests compare host-wide state.
@Suite("PodNetworking (root, real CNI)", .serialized, .enabled(if: Host.canRunIntegration))
struct PodNetworkingIntegrationTests {
    init() {
        // A plugin that exits before reading its stdin must not kill the test process.
        signal(SIGPIPE, SIG_IGN)
    }

    @Test func defaultNetworkWithPortForward() throws {
        let pod = try TestPod()
        defer { pod.cleanUp() }
        let hostPort = Int.random(in: 41000...41999)
        let port = PortForward(name: "http", hostPort: hostPort, containerPort: 80)

        let network = try pod.setUp(["default"], ports: [port])
        let info = try #require(network.infos.first)
        let ip = try #require(info.ip)
        #expect(network.netnsPath == pod.netnsPath)
        #expect(info.netName == "default" && info.ifName == "eth0" && info.mask == "255.255.255.0")
        #expect(ip.hasPrefix("172.16.28."))
        #expect(info.netConf == "\(pod.podDir.path)/net/99-default.conf")
        #expect(try FileSystem.readText("\(pod.podDir.path)/netns") == pod.netnsPath)
        let recorded = try JSON.decode([NetInfo].self, from: try FileSystem.read("\(pod.podDir.path)/net-info.json"))
        #expect(recorded == network.infos)
        #expect(Host.leases(network: "default", id: pod.id).count == 1)
        #expect(Host.natMentions(ip: ip, id: pod.id))

        let server = try NetnsHTTPServer(netns: pod.netnsName, body: "hello \(pod.id)")
        defer { server.stop() }
        #expect(Host.fetch("\(ip):80") == "hello \(pod.id)")
        #expect(Host.fetch("127.0.0.1:\(hostPort)") == "hello \(pod.id)")
        if let primary = Host.primaryAddress() {
            #expect(Host.fetch("\(primary):\(hostPort)") == "hello \(pod.id)")
        }
        server.stop()

        try pod.tearDown()
        try expectNothingLeft(pod, ip: ip, networks: ["default"])
        try pod.tearDown()
    }

    @Test func unknownNetworkFailsAndLeavesNothing() throws {
        let pod = try TestPod()
        defer { pod.cleanUp() }
        #expect {
            _ = try pod.setUp(["default", "nosuch", "other"])
        } throws: { error in
            (error as? RktError)?.message == "networks not found: nosuch, other"
        }
        try expectNothingLeft(pod, ip: nil, networks: ["default"])
    }

    @Test func bogusPluginTypeFailsAndLeavesNothing() throws {
        let pod = try TestPod()
        defer { pod.cleanUp() }
        try pod.confDir.write("50-bogus.conf", #"{"cniVersion":"0.4.0","name":"bogus","type":"no-such-plugin"}"#)
        #expect {
            _ = try pod.setUp(["default", "bogus"])
        } throws: { error in
            "\(error)".contains("failed to find CNI plugin \"no-such-plugin\"")
        }
        try expectNothingLeft(pod, ip: nil, networks: ["default"])
    }

    @Test func pluginErrorRollsBackEarlierNetworks() throws {
        let pod = try TestPod()
        defer { pod.cleanUp(ipamNetworks: ["rkttest-bad"]) }
        let bad = """
            {"cniVersion":"0.4.0","name":"rkttest-bad","type":"ptp","ipMasq":true,\
            "ipam":{"type":"host-local","subnet":"not-a-subnet"}}
            """
        try pod.confDir.write("zz-bad.conf", bad)
        let port = PortForward(name: "http", hostPort: Int.random(in: 41000...41999), containerPort: 80)
        var message = ""
        #expect {
            _ = try pod.setUp(["default", "rkttest-bad"], ports: [port])
        } throws: { error in
            message = "\(error)"
            return message.contains("not-a-subnet")
        }
        print("MSG:", message)
        #expect(message.contains("CNI ADD of /usr/lib/cni/ptp failed"), "\(message)")
        try expectNothingLeft(pod, ip: nil, networks: ["default", "rkttest-bad"])
    }

    @Test func tearDownWithoutSetUpAndAfterPartialSetUp() throws {
        let pod = try TestPod()
        defer { pod.cleanUp() }
        try pod.tearDown()
        try pod.tearDown()

        // What a crash right after creating the netns leaves behind.
        try FileSystem.writeAtomically(pod.netnsPath, to: "\(pod.podDir.path)/netns")
        Host.run("ip", "netns", "add", pod.netnsName)
        #expect(FileSystem.exists(pod.netnsPath))
        try pod.tearDown()
        try expectNothingLeft(pod, ip: nil, networks: [])
    }

    @Test func failedDeleteKeepsStateForARetry() throws {
        let pod = try TestPod()
        defer { pod.cleanUp() }
        let network = try pod.setUp(["default"])
        let infoFile = "\(pod.podDir.path)/net-info.json"
        let good = try FileSystem.read(infoFile)
        let broken = network.infos.map {
            NetInfo(netName: $0.netName, netConf: $0.netConf, pluginPath: "/nonexistent/ptp", ifName: $0.ifName)
        }
        try FileSystem.writeAtomically(try JSON.encode(broken), to: infoFile)

        #expect {
            try pod.tearDown()
        } throws: { error in
            "\(error)".contains("network \"default\"")
        }
        #expect(FileSystem.exists(pod.netnsPath), "netns kept for the retry")
        #expect(FileSystem.exists(network.infos[0].netConf), "conf copy kept for the retry")

        try FileSystem.writeAtomically(good, to: infoFile)
        try pod.tearDown()
        try expectNothingLeft(pod, ip: network.infos[0].ip, networks: ["default"])
    }

    @Test func userLegacyNetworksOnTestSubnets() throws {
        let pod = try TestPod()
        let bridge = "rktt\(pod.id.prefix(8))"
        defer { pod.cleanUp(extraLinks: [bridge], ipamNetworks: ["rkttest-br", "rkttest-ptp"]) }
        try pod.confDir.write("10-br.conf", LegacyConfs.bridge(name: bridge))
        try pod.confDir.write("20-ptp.conf", LegacyConfs.ptp)
        let hostPort = Int.random(in: 41000...41999)
        let port = PortForward(name: "http", hostPort: hostPort, containerPort: 80)

        let requests = [NetRequest(name: "rkttest-ptp", args: "IP=10.213.0.50"), NetRequest(name: "rkttest-br")]
        let network = try pod.setUp(requests: requests, ports: [port])
        #expect(network.infos.map(\.netName) == ["rkttest-br", "rkttest-ptp"])
        #expect(network.infos.map(\.args) == ["", "IP=10.213.0.50"])
        #expect(network.infos.map(\.ifName) == ["eth0", "eth1"])
        #expect(network.infos.map(\.mask) == ["255.255.255.0", "255.255.255.0"])
        let brIP = try #require(network.infos[0].ip)
        let ptpIP = try #require(network.infos[1].ip)
        #expect(brIP.hasPrefix("10.213.1.") && ptpIP == "10.213.0.50")

        let server = try NetnsHTTPServer(netns: pod.netnsName, body: "legacy")
        defer { server.stop() }
        #expect(Host.fetch("\(brIP):80") == "legacy")
        #expect(Host.fetch("\(ptpIP):80") == "legacy")
        #expect(Host.fetch("127.0.0.1:\(hostPort)") == "legacy")
        #expect(Host.natRules().contains("--to-destination \(ptpIP):80"), "ports go to the ipMasq network")
        server.stop()

        try pod.tearDown()
        for ip in [brIP, ptpIP] {
            try expectNothingLeft(pod, ip: ip, networks: ["rkttest-br", "rkttest-ptp"], ignoring: [bridge])
        }
    }

    /// The post-teardown checks shared by every test.
    private func expectNothingLeft(
        _ pod: TestPod, ip: String?, networks: [String], ignoring: Set<String> = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(!FileSystem.exists(pod.netnsPath), "netns left", sourceLocation: sourceLocation)
        #expect(
            pod.newLinks.subtracting(ignoring).isEmpty, "links left: \(pod.newLinks)", sourceLocation: sourceLocation)
        #expect(!Host.natMentions(ip: ip, id: pod.id), "nat rules left", sourceLocation: sourceLocation)
        for network in networks {
            #expect(Host.leases(network: network, id: pod.id).isEmpty, "lease left", sourceLocation: sourceLocation)
        }
        #expect(!pod.hasNetworkFiles, "pod files left", sourceLocation: sourceLocation)
    }
}

/// User confs in the old 0.1.0 format on test-only subnets.
enum LegacyConfs {
    static func bridge(name: String) -> String {
        """
        {"cniVersion":"0.1.0","name":"rkttest-br","type":"bridge","bridge":"\(name)","isGateway":true,\
        "ipMasq":false,"ipam":{"type":"host-local","subnet":"10.213.1.0/24"}}
        """
    }

    static let ptp = """
        {"cniVersion":"0.1.0","name":"rkttest-ptp","type":"ptp","ipMasq":true,\
        "ipam":{"type":"host-local","subnet":"10.213.0.0/24","routes":[{"dst":"0.0.0.0/0"}]}}
        """
}
