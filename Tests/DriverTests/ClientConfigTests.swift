import Driver
import Foundation
import RktSys
import Testing

@Suite struct ClientConfigTests {
    static func settings(from text: String, suffix: String = "hcl") throws -> DriverSettings {
        let path = "\(NSTemporaryDirectory())client-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).\(suffix)"
        try FileSystem.writeAtomically(text, to: path)
        defer { unlink(path) }
        var settings = DriverSettings(rktPath: "rkt")
        try ClientConfig.apply(file: path, to: &settings)
        return settings
    }

    @Test func hclForm() throws {
        let settings = try Self.settings(
            from: """
                # client options for the rkt driver
                volumes_enabled  = false
                env_blacklist    = ["SECRET", "TOKEN"]  // removed from rkt's environment
                max_kill_timeout = "1m30s"
                rkt_path         = "/opt/rkt/rkt"
                data_dir         = "/srv/driver"
                """)
        #expect(!settings.volumesEnabled)
        #expect(settings.envBlacklist == ["SECRET", "TOKEN"])
        #expect(settings.maxKillTimeout == .seconds(90))
        #expect(settings.rktPath == "/opt/rkt/rkt")
        #expect(settings.dataDirectory == "/srv/driver")
    }

    @Test func jsonFormWithCommaSeparatedBlacklist() throws {
        let settings = try Self.settings(
            from: #"{"volumes_enabled": true, "env_blacklist": "A, B", "max_kill_timeout": "500ms"}"#, suffix: "json")
        #expect(settings.volumesEnabled)
        #expect(settings.envBlacklist == ["A", "B"])
        #expect(settings.maxKillTimeout == .milliseconds(500))
    }

    @Test func defaultsAreNomads() {
        let settings = DriverSettings(rktPath: "rkt")
        #expect(settings.volumesEnabled)
        #expect(settings.maxKillTimeout == .seconds(30))
        #expect(settings.envBlacklist.contains("VAULT_TOKEN") && settings.envBlacklist.count == 6)
    }

    @Test func rktEnvironmentDropsTheBlacklistAndHasASystemPath() {
        let settings = DriverSettings(rktPath: "rkt")
        let environment = settings.rktEnvironment(host: ["PATH": "/home/u/bin", "VAULT_TOKEN": "x", "LANG": "C"])
        #expect(environment["VAULT_TOKEN"] == nil)
        #expect(environment["LANG"] == "C")
        #expect(environment["PATH"] == "/home/u/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    }

    @Test(arguments: [
        (Duration.seconds(0), Duration.seconds(1)), (.seconds(5), .seconds(5)), (.seconds(120), .seconds(30)),
    ])
    func killTimeoutIsClamped(desired: Duration, expected: Duration) {
        #expect(DriverSettings(rktPath: "rkt").killTimeout(desired) == expected)
    }

    @Test(arguments: [
        ("volumes = true", ":1: \"volumes\" is not a client option"),
        ("volumes_enabled = \"yes\"", ":1: \"volumes_enabled\" has the wrong type"),
        ("\nmax_kill_timeout = \"5 parsecs\"", ":2: \"5 parsecs\" has an unknown unit"),
        ("data_dir /x", ":1: expected key = value"),
    ])
    func errorsNameFileLineAndKey(text: String, fragment: String) {
        do {
            _ = try Self.settings(from: text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect("\(error)".contains(fragment), "\(error)")
        }
    }
}

@Suite struct AutoAdvertiseTests {
    @Test(arguments: [
        ([String](), Bool?.none, false), (["default"], nil, false), (["default-restricted"], nil, false),
        (["default:IP=172.16.28.9"], nil, false), (["mynet"], nil, true), (["default", "mynet"], nil, true),
        (["default"], true, true), (["mynet"], false, false),
    ])
    func rules(net: [String], override: Bool?, expected: Bool) {
        #expect(RktDriver.autoAdvertise(net: net, override: override) == expected)
    }
}
