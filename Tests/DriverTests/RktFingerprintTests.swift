import Driver
import Testing

@Suite struct RktFingerprintTests {
    @Test(
        arguments: [
            (
                0, RktVersionProbe.output("rkt version 1.30.0\nappc version 0.8.11\n"), RktHealth.State.healthy,
                "Healthy", "1.30.0", "0.8.11"
            ),
            (0, .output("rkt Version: 1.30.0\nappc Version: 0.8.11"), .healthy, "Healthy", "1.30.0", "0.8.11"),
            (0, .output("rkt version 1.27.0\nappc version 0.8.10"), .healthy, "Healthy", "1.27.0", "0.8.10"),
            (
                0, .output("rkt version 1.26.0\nappc version 0.8.10"), .undetected, "Unsuported rkt version 1.26.0",
                "1.26.0", nil
            ),
            (
                0, .output("rkt version 0.8.1\nappc version 1.2.0"), .undetected, "Unsuported rkt version 0.8.1",
                "0.8.1", nil
            ),
            (0, .output("rkt version 1.30.0"), .undetected, "Unable to parse rkt version string", nil, nil),
            (0, .output("garbage"), .undetected, "Unable to parse rkt version string", nil, nil),
            (
                0, .output("rkt version 1\nappc version 0.8.11"), .undetected, "Unable to parse rkt version string",
                nil, nil
            ),
            (
                0, .output("rkt version 1..3\nappc version 0.8.11"), .undetected, "Unable to parse rkt version string",
                nil, nil
            ),
            (0, .failed("exit status 1"), .undetected, "Failed to execute rkt version: exit status 1", nil, nil),
            (
                1000, .output("rkt version 1.30.0\nappc version 0.8.11"), .undetected, "Driver must run as root", nil,
                nil
            ),
        ] as [(UInt32, RktVersionProbe, RktHealth.State, String, String?, String?)])
    func evaluates(
        euid: UInt32, probe: RktVersionProbe, state: RktHealth.State, description: String, rkt: String?, appc: String?
    ) {
        let health = RktFingerprint.evaluate(euid: euid, probe: probe)
        #expect(health == RktHealth(state: state, description: description, rktVersion: rkt, appcVersion: appc))
    }

    @Test func regexCapturesLikeUpstreamTest() {
        #expect(RktFingerprint.rktVersion(in: "rkt version 0.8.1") == "0.8.1")
        #expect(RktFingerprint.appcVersion(in: "appc version 1.2.0") == "1.2.0")
        #expect(RktFingerprint.rktVersion(in: "rkt version: 1.29.0") == "1.29.0")
        #expect(RktFingerprint.rktVersion(in: "RKT version 1.29.0") == nil)
    }

    @Test func attributesOnlyWhenHealthy() {
        let health = RktFingerprint.evaluate(euid: 0, probe: .output("rkt version 1.30.0\nappc version 0.8.11"))
        #expect(
            health.attributes(volumesEnabled: true) == [
                "driver.rkt": "1", "driver.rkt.version": "1.30.0", "driver.rkt.appc.version": "0.8.11",
                "driver.rkt.volumes.enabled": "1",
            ])
        #expect(health.attributes(volumesEnabled: false)["driver.rkt.volumes.enabled"] == nil)
        #expect(RktFingerprint.evaluate(euid: 1, probe: .failed("x")).attributes(volumesEnabled: true).isEmpty)
    }

    @Test(arguments: [
        ("1.27.0", "1.27.0", false), ("1.26.9", "1.27.0", true), ("1.27", "1.27.0", false),
        ("1.100.0", "1.27.0", false),
        ("0.99.99", "1.0.0", true),
    ])
    func versionOrdering(lhs: String, rhs: String, less: Bool) throws {
        let left = try #require(RktVersion(lhs))
        let right = try #require(RktVersion(rhs))
        #expect((left < right) == less)
    }
}
