import Foundation
import Network
import RktSys
import Testing

@Suite("availableNetworks")
struct NetConfDiscoveryTests {
    @Test func builtinsOnlyWhenTheDirectoryIsMissing() throws {
        let networking = PodNetworking(configDirectory: "/nonexistent/net.d", logger: quietLogger)
        let nets = try networking.availableNetworks()
        #expect(nets.map(\.name) == ["default-restricted", "default"])
        #expect(nets.map(\.fileName) == ["99-default-restricted.conf", "99-default.conf"])
        #expect(nets.map(\.ipMasq) == [false, true])
        #expect(nets.allSatisfy { $0.cniVersion == "0.4.0" && $0.type == "ptp" })
    }

    @Test func userConfsMergeByName() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("20-a.conf", #"{"cniVersion":"0.1.0","name":"a","type":"bridge"}"#)
        try dir.write("10-a.conf", #"{"cniVersion":"0.1.0","name":"a","type":"ptp"}"#)
        try dir.write("30-default.conf", #"{"cniVersion":"0.3.1","name":"default","type":"ptp","ipMasq":true}"#)
        try dir.write("40-b.conflist", #"{"name":"b","type":"ptp"}"#)
        try FileSystem.makeDirectories("\(dir.path)/50-dir.conf")

        let nets = try PodNetworking(configDirectory: dir.path, logger: quietLogger).availableNetworks()
        #expect(nets.map(\.name) == ["a", "default", "default-restricted"])
        #expect(nets.map(\.type) == ["ptp", "ptp", "ptp"])
        #expect(nets[1].origin == "\(dir.path)/30-default.conf")
        #expect(nets[1].cniVersion == "0.3.1")
    }

    @Test func brokenConfIsAnError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("10-x.conf", #"{"name":"x"}"#)
        #expect(throws: (any Error).self) {
            try PodNetworking(configDirectory: dir.path, logger: quietLogger).availableNetworks()
        }
    }
}
