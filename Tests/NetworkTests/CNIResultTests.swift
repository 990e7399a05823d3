import Network
import RktSys
import Testing

@Suite("CNI result parsing and NetInfo encoding")
struct CNIResultTests {
    @Test func legacyIP4Form() throws {
        let text = """
            {"cniVersion":"0.1.0","ip4":{"ip":"10.213.0.7/24","gateway":"10.213.0.1",\
            "routes":[{"dst":"0.0.0.0/0"}]},"dns":{}}
            """
        let result = try CNIResult.parse(Array(text.utf8))
        #expect(result == CNIResult(ipv4CIDR: "10.213.0.7/24", gateway: "10.213.0.1"))
        #expect(result.ip == "10.213.0.7")
        #expect(result.mask == "255.255.255.0")
    }

    @Test func currentIPsForm() throws {
        let text = """
            {"cniVersion":"0.4.0","interfaces":[{"name":"veth1"},{"name":"eth0","sandbox":"/x"}],
             "ips":[{"version":"6","address":"fd00::5/64","interface":1},
                    {"version":"4","address":"172.16.28.9/16","gateway":"172.16.28.1","interface":1}],
             "routes":[{"dst":"0.0.0.0/0"}],"dns":{}}
            """
        let result = try CNIResult.parse(Array(text.utf8))
        #expect(result.ip == "172.16.28.9")
        #expect(result.mask == "255.255.0.0")
        #expect(result.gateway == "172.16.28.1")
    }

    @Test func versionlessIPsForm() throws {
        let text = #"{"cniVersion":"1.0.0","ips":[{"address":"fd00::5/64"},{"address":"10.1.2.3/20"}]}"#
        let result = try CNIResult.parse(Array(text.utf8))
        #expect(result.ip == "10.1.2.3")
        #expect(result.mask == "255.255.240.0")
    }

    @Test func noIPv4() throws {
        let result = try CNIResult.parse(Array(#"{"cniVersion":"0.4.0","ips":[]}"#.utf8))
        #expect(result.ip == nil)
        #expect(result.mask == nil)
    }

    @Test func garbageIsAnError() {
        #expect(throws: (any Error).self) {
            try CNIResult.parse(Array("not json".utf8))
        }
    }

    @Test func netInfoKeysAndNull() throws {
        let info = NetInfo(
            netName: "default", netConf: "/p/net/99-default.conf", pluginPath: "/usr/lib/cni/ptp", ifName: "eth0")
        let text = try JSON.encodeString([info])
        let expected = """
            [{"args":"","ifName":"eth0","ip":null,"mask":null,"netConf":"/p/net/99-default.conf",\
            "netName":"default","pluginPath":"/usr/lib/cni/ptp"}]
            """
        #expect(text == expected)
        #expect(try JSON.decode([NetInfo].self, from: Array(text.utf8)) == [info])
    }
}
