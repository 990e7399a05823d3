import Driver
import Foundation
import RktError
import Testing

@Suite struct NetworkParsingTests {
    static func status(_ ips: [String?]) -> String {
        let networks = ips.map { ip in
            let value = ip.map { "\"\($0)\"" } ?? "null"
            return
                #"{"netName": "default", "netConf": "net/99-default.conf", "ifName": "eth0", "ip": \#(value), "args": ""}"#
        }
        return #"{"name": "uuid", "state": "running", "networks": [\#(networks.joined(separator: ","))]}"#
    }

    @Test(arguments: [
        ([Optional("172.16.28.2")], "172.16.28.2"),
        (["127.0.0.1", "169.254.1.1", nil, "10.1.2.3"], "10.1.2.3"),
        (["::1", "fe80::1", "ff02::1", "::", "2001:db8::5"], "2001:db8::5"),
        (["0.0.0.0", "224.0.0.1", "192.168.1.9"], "192.168.1.9"),
    ])
    func picksTheFirstGlobalUnicastIP(ips: [String?], expected: String) throws {
        #expect(try RktPodStatus.podIP(statusJSON: Self.status(ips)) == expected)
    }

    @Test(arguments: [
        (#"{"name": "u", "networks": []}"#, "no networks found"),
        (#"{"name": "u"}"#, "no networks found"),
        (status(["127.0.0.1", "fe80::2"]), "no good driver networks out of 2 returned"),
        ("{", "could not parse rkt status output: line 1, column 2: expected a string object key"),
    ])
    func statusErrors(text: String, message: String) {
        #expect(throws: RktError.self) { try RktPodStatus.podIP(statusJSON: text) }
        do {
            _ = try RktPodStatus.podIP(statusJSON: text)
        } catch {
            #expect(error.message == message)
        }
    }

    static let manifest = """
        {"acVersion": "1.30.0", "acKind": "PodManifest", "apps": [
          {"name": "redis", "image": {"name": "registry-1.docker.io/library/redis"},
           "app": {"exec": ["docker-entrypoint.sh", "redis-server"], "user": "0", "group": "0",
                   "ports": [{"name": "6379-tcp", "protocol": "tcp", "port": 6379, "count": 1, "socketActivated": false},
                             {"name": "26379-tcp", "protocol": "tcp", "port": 26379}]}}]}
        """

    @Test func podPortMapUsesManifestContainerPorts() throws {
        let map = try AppcManifest.podPortMap(
            manifestJSON: Self.manifest, portMap: ["db": "6379-tcp", "sentinel": "26379-tcp", "gone": "1-tcp"])
        #expect(map == ["db": 6379, "sentinel": 26379])
    }

    @Test(arguments: [
        (#"{"apps": []}"#, "manifest has no apps"),
        (#"{"acKind": "PodManifest"}"#, "manifest has no apps"),
        (#"{"apps": [{"name": "a", "app": {}}, {"name": "b", "app": {}}]}"#, "manifest has multiple apps!"),
        (#"{"apps": [{"name": "a"}]}"#, "specified app has no App object"),
        (#"{"apps": [{"name": "a", "app": null}]}"#, "specified app has no App object"),
    ])
    func manifestErrors(text: String, message: String) {
        do {
            _ = try AppcManifest.podPortMap(manifestJSON: text, portMap: [:])
            Issue.record("expected \(message)")
        } catch {
            #expect(error.message == message)
        }
    }

    static let ports = [
        AppcPort(name: "6379-tcp", port: 6379), AppcPort(name: "53-tcp", port: 53),
        AppcPort(name: "53-udp", port: 53, protocolName: "udp"),
    ]

    @Test(arguments: [("6379", "6379-tcp"), ("6379-tcp", "6379-tcp"), ("web", "web")])
    func resolvesBareNumbers(value: String, expected: String) throws {
        #expect(try AppcManifest.resolvePortName(value, imagePorts: Self.ports) == expected)
    }

    @Test(arguments: [
        (
            "80",
            #"port_map value "80" is not a port name and the image declares no port 80; image port names: ["6379-tcp" "53-tcp" "53-udp"]"#
        ),
        (
            "53",
            #"port_map value "53" is not a port name and the image declares port 53 more than once; image port names: ["6379-tcp" "53-tcp" "53-udp"]"#
        ),
    ])
    func rejectsUnresolvableNumbers(value: String, message: String) {
        do {
            _ = try AppcManifest.resolvePortName(value, imagePorts: Self.ports)
            Issue.record("expected an error")
        } catch {
            #expect(error.message == message)
        }
    }

    @Test func imageManifestPortsAndConfigResolution() throws {
        let image =
            #"{"acKind": "ImageManifest", "name": "redis", "app": {"ports": [{"name": "6379-tcp", "protocol": "tcp", "port": 6379}]}}"#
        let ports = try AppcManifest.imagePorts(manifestJSON: image)
        #expect(ports == [AppcPort(name: "6379-tcp", port: 6379)])
        let config = RktTaskConfig(image: "i", portMap: ["db": "6379", "x": "named"])
        #expect(try AppcManifest.resolvePortMap(config, imagePorts: ports).portMap == ["db": "6379-tcp", "x": "named"])
        #expect(try AppcManifest.imagePorts(manifestJSON: #"{"acKind": "ImageManifest"}"#).isEmpty)
    }

    @Test(arguments: [
        ("8.8.8.8", true), ("10.0.0.1", true), ("2001:db8::1", true), ("::ffff:10.0.0.1", true), ("127.0.0.1", false),
        ("::ffff:127.0.0.1", false), ("255.255.255.255", false), ("fe80::1", false),
    ])
    func globalUnicast(text: String, expected: Bool) throws {
        #expect(try #require(IPAddress(text)).isGlobalUnicast == expected)
    }

    @Test(arguments: ["", "host", "8.8.8", "01.2.3.4", "fe80::1%eth0", "1.2.3.4/24"])
    func rejectsNonAddresses(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func driverNetworkCoding() throws {
        let decoded = try JSONDecoder().decode(DriverNetwork.self, from: Data(#"{"IP": "10.0.0.2"}"#.utf8))
        #expect(decoded == DriverNetwork(ip: "10.0.0.2"))
        #expect(!DriverNetwork.advertises(nil))
        #expect(!DriverNetwork.advertises(decoded))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(
            decoding: try encoder.encode(DriverNetwork(ip: "10.0.0.2", portMap: ["db": 6379])), as: UTF8.self)
        #expect(text == #"{"AutoAdvertise":false,"IP":"10.0.0.2","PortMap":{"db":6379}}"#)
    }
}
