import PodRuntime
import Testing

@Suite struct PrepareRequestTests {
    @Test func hostVolume() throws {
        let volume = try PrepareRequest.parseVolume("data,kind=host,source=/srv/data,readOnly=true")
        #expect(volume == .init(name: "data", kind: "host", source: "/srv/data", readOnly: true))
    }

    @Test func emptyVolumeGetsRktDefaults() throws {
        let volume = try PrepareRequest.parseVolume("scratch,kind=empty")
        #expect(volume == .init(name: "scratch", kind: "empty", mode: "0755", uid: 0, gid: 0))
    }

    @Test func percentEncodedSource() throws {
        #expect(try PrepareRequest.parseVolume("v,kind=host,source=/a%2Cb").source == "/a,b")
    }

    @Test(arguments: [
        (
            "Data,kind=host,source=/x",
            "--volume=Data,kind=host,source=/x: volume name \"Data\" must be lower-case letters, digits and dashes"
        ),
        ("v,kind=host,source=rel", "--volume=v,kind=host,source=rel: kind=host needs an absolute source=/path"),
        ("v,kind=tmpfs", "--volume=v,kind=tmpfs: kind must be \"host\" or \"empty\""),
        ("v,kind=host,source=/x,color=red", "--volume=v,kind=host,source=/x,color=red: unknown key \"color\""),
        ("v,kind=host,source=/x,readOnly=maybe", "--volume readOnly: \"maybe\" is not a boolean (true or false)"),
        ("v,kind", "--volume=v,kind: \"kind\" is not key=value"),
    ])
    func badVolumes(text: String, message: String) {
        do {
            _ = try PrepareRequest.parseVolume(text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func mountAndPort() throws {
        #expect(
            try PrepareRequest.parseMount("volume=data,target=/var/data") == .init(volume: "data", path: "/var/data"))
        #expect(try PrepareRequest.parsePort("http:8080") == .init(name: "http", hostPort: 8080))
        #expect(
            try PrepareRequest.parsePort("http:127.0.0.1:8080")
                == .init(name: "http", hostPort: 8080, hostIP: "127.0.0.1"))
    }

    @Test(arguments: ["http", "http:0", "http:70000", "http:x", "a:b:c:d"])
    func badPorts(text: String) {
        #expect(throws: (any Error).self) { try PrepareRequest.parsePort(text) }
    }

    @Test func envKeepsEverythingAfterTheFirstEquals() throws {
        let pair = try PrepareRequest.parseEnv("CONSUL=10.0.0.1:8500=x y", flag: "--set-env")
        #expect(pair.name == "CONSUL")
        #expect(pair.value == "10.0.0.1:8500=x y")
        #expect(throws: (any Error).self) { try PrepareRequest.parseEnv("=x", flag: "--set-env") }
    }

    @Test(arguments: [
        ("abc", true), ("a-b-1", true), ("A", false), ("-a", false), ("a--b", false), ("a_b", false), ("", false),
    ])
    func acNames(name: String, valid: Bool) {
        #expect(isACName(name) == valid)
    }

    @Test func insecureOptions() throws {
        #expect(try InsecureOptions(parsing: "none") == InsecureOptions())
        let fetch = try InsecureOptions(parsing: "all-fetch")
        #expect(fetch.image && fetch.tls && fetch.http && fetch.pubkey && !fetch.capabilities)
        let all = try InsecureOptions(parsing: "all")
        #expect(all.image && all.capabilities && all.paths && all.seccomp)
        let mixed = try InsecureOptions(parsing: "image,ondisk,capabilities")
        #expect(mixed.image && mixed.capabilities && !mixed.paths)
        #expect(throws: (any Error).self) { try InsecureOptions(parsing: "everything") }
    }
}
