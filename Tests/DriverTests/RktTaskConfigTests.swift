import JSONCore
import TaskModel
import Testing

@testable import Driver

@Suite struct RktTaskConfigTests {
    static func parse(_ text: String) throws -> JSONValue {
        try JSONValue.parse(text)
    }

    @Test func decodesEveryOption() throws {
        let config = try RktTaskConfig.decode(
            Self.parse(
                """
                {"image": "docker://redis:3.2-alpine", "command": "/usr/local/bin/redis-server",
                 "args": ["--port", "6379"], "trust_prefix": "example.com",
                 "insecure_options": ["image", "tls", "ondisk"], "dns_servers": ["host"],
                 "dns_search_domains": ["example.internal"], "net": ["default"],
                 "port_map": [{"http": "80-tcp"}, {"https": "443-tcp"}],
                 "volumes": ["/srv/data:/data"], "no_overlay": false, "debug": true, "group": "nogroup"}
                """))
        let expected = RktTaskConfig(
            image: "docker://redis:3.2-alpine", command: "/usr/local/bin/redis-server", args: ["--port", "6379"],
            trustPrefix: "example.com", insecureOptions: ["image", "tls", "ondisk"], dnsServers: ["host"],
            dnsSearchDomains: ["example.internal"], net: ["default"], portMap: ["http": "80-tcp", "https": "443-tcp"],
            volumes: ["/srv/data:/data"], noOverlay: false, debug: true, group: "nogroup")
        #expect(config == expected)
    }

    @Test(arguments: [
        (#"{"image": "i", "port_map": {"db": "6379-tcp"}}"#, ["db": "6379-tcp"]),
        (#"{"image": "i", "port_map": [{"db": "a"}, {"db": "b", "x": "c"}]}"#, ["db": "b", "x": "c"]),
        (#"{"image": "i", "port_map": [{"db": 6379}]}"#, ["db": "6379"]),
        (#"{"image": "i", "port_map": []}"#, [:]),
        (#"{"image": "i", "port_map": null}"#, [:]),
    ])
    func portMapForms(text: String, expected: [String: String]) throws {
        #expect(try RktTaskConfig.decode(Self.parse(text)).portMap == expected)
    }

    @Test(arguments: [
        ("{}", [#"field "image" is required"#]),
        (#"{"image": ""}"#, [#"field "image" is required, but no value was found"#]),
        (#"{"image": "i", "imagee": "x"}"#, [#""imagee" is an invalid field"#]),
        (#"{"image": "i", "debug": "true"}"#, [#"field "debug" with input "true" doesn't seem to be of type bool"#]),
        (#"{"image": "i", "no_overlay": 1}"#, [#"field "no_overlay" with input "1" doesn't seem to be of type bool"#]),
        (#"{"image": 5}"#, [#"field "image" with input "5" doesn't seem to be of type string"#]),
        (#"{"image": "i", "args": "x"}"#, [#"field "args" with input "x" doesn't seem to be of type array"#]),
        (#"{"image": "i", "net": [1]}"#, [#"field "net" with input "1" doesn't seem to be of type string"#]),
        (#"{"image": "i", "port_map": "db"}"#, [#"field "port_map" with input "db" doesn't seem to be of type array"#]),
        (
            #"{"image": "i", "port_map": [["x"]]}"#,
            [#"field "port_map" with input "["x"]" doesn't seem to be of type map"#]
        ),
        (
            #"{"image": "i", "port_map": {"db": true}}"#,
            [#"field "port_map" with input "true" doesn't seem to be of type string"#]
        ),
        (
            #"{"volumes": "a", "zzz": 1, "debug": "yes", "aaa": null}"#,
            [
                #""aaa" is an invalid field"#, #""zzz" is an invalid field"#,
                #"field "volumes" with input "a" doesn't seem to be of type array"#,
                #"field "debug" with input "yes" doesn't seem to be of type bool"#, #"field "image" is required"#,
            ]
        ),
    ])
    func reportsEveryError(text: String, expected: [String]) throws {
        let value = try Self.parse(text)
        #expect(throws: SpecError.self) { try RktTaskConfig.decode(value) }
        do {
            _ = try RktTaskConfig.decode(value)
        } catch {
            #expect(error.messages == expected)
        }
    }

    @Test func taskDecodePrefixesPath() {
        let task = Task(name: "t", config: .object(["command": .string("x")]))
        #expect(
            throws: SpecError([SpecIssue(path: [#"group "g""#, #"task "t""#, "config"], #"field "image" is required"#)])
        ) {
            try RktTaskConfig.decode(task: task, groupName: "g")
        }
        #expect(
            SpecIssue(path: [#"group "g""#, #"task "t""#, "config"], #"field "image" is required"#).description
                == #"group "g" -> task "t" -> config: field "image" is required"#)
    }

    @Test(arguments: [
        (["host"], true, true), (["none"], false, true), (["host", "x"], false, false), ([], false, false),
        (["default"], false, false),
    ])
    func netModes(net: [String], host: Bool, skipsLookup: Bool) {
        let config = RktTaskConfig(image: "i", net: net)
        #expect(config.usesHostNetwork == host)
        #expect(config.skipsNetworkLookup == skipsLookup)
    }
}

@Suite struct RktTaskNameTests {
    @Test(arguments: ["web", "web_server", "redis-1", "a9"])
    func namesRktVolumesAccept(name: String) {
        #expect(RktTaskConfig.volumeNameProblem(name) == nil)
    }

    @Test(arguments: [("WebServer", "webserver"), ("web.1", "web-1"), ("cache v2", "cache-v2")])
    func otherNamesAreRefusedWithASuggestion(name: String, suggestion: String) {
        #expect(
            RktTaskConfig.volumeNameProblem(name)
                == "the rkt driver needs a task name of lower-case letters, digits, \"-\" and \"_\" (it names the "
                + "pod's volumes); rename task \"\(name)\", e.g. to \"\(suggestion)\"")
    }
}
