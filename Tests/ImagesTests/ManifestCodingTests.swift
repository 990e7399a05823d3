import Images
import JSONCore
import RktSys
import Testing

@Suite("Image manifest JSON")
struct ManifestCodingTests {
    static let json = """
        {
          "acKind": "ImageManifest", "acVersion": "0.8.11", "name": "example.com/web",
          "labels": [{"name": "version", "value": "2"}],
          "app": {
            "exec": ["/srv/web"], "user": "www", "group": "www", "supplementaryGids": [4, 5],
            "isolators": [
              {"name": "resource/memory", "value": {"request": "1G", "limit": "1G"}},
              {"name": "os/linux/capabilities-retain-set", "value": {"set": ["CAP_NET_BIND_SERVICE"]}},
              {"name": "example.com/odd", "value": [1, 2.5, true, null, "s", {"n": -3}]}
            ],
            "ports": [{"name": "http", "protocol": "tcp", "port": 80}, {"name": "range", "protocol": "udp",
                       "port": 9000, "count": 10, "socketActivated": true}],
            "mountPoints": [{"name": "data", "path": "/data", "readOnly": true}],
            "environment": [{"name": "MODE", "value": "prod"}]
          },
          "annotations": [{"name": "created", "value": "2024-01-01T00:00:00Z"}]
        }
        """

    @Test("decodes the spec's fields, both supplementary GID spellings, and port count defaults")
    func decode() throws {
        let manifest = try ImageManifest.decode(Array(Self.json.utf8))
        let app = try #require(manifest.app)
        #expect(app.supplementaryGIDs == [4, 5])
        #expect(manifest.port(named: "http") == PortSpec(name: "http", protocol: "tcp", port: 80, count: 1))
        #expect(manifest.port(named: "range")?.range == 9000..<9010)
        #expect(manifest.port(named: "range")?.socketActivated == true)
        #expect(manifest.port(named: "nope") == nil)
        #expect(app.mountPoints == [MountPoint(name: "data", path: "/data", readOnly: true)])
        #expect(app.environmentValue("MODE") == "prod")
        #expect(manifest.label("version") == "2")
        #expect(manifest.annotation("created") == "2024-01-01T00:00:00Z")
        #expect(
            app.isolators[2].value
                == .array([.integer(1), .double(2.5), .bool(true), .null, .string("s"), .object(["n": .integer(-3)])]))
        #expect(manifest.problems().isEmpty)
    }

    @Test("encoding then decoding gives the same manifest, with isolator values intact")
    func roundTrip() throws {
        let manifest = try ImageManifest.decode(Array(Self.json.utf8))
        let again = try ImageManifest.decode(try manifest.encoded())
        #expect(again == manifest)

        let text = String(decoding: try manifest.encoded(), as: UTF8.self)
        #expect(text.contains("\"supplementaryGIDs\":[4,5]"))
        #expect(text.contains("\"count\":1"))
        #expect(text.contains("{\"limit\":\"1G\",\"request\":\"1G\"}"))
    }

    @Test("missing keys decode to empty values that validate() reports")
    func lenientDecode() throws {
        let manifest = try ImageManifest.decode(Array(#"{"app": {"exec": ["/x"]}}"#.utf8))
        #expect(manifest.problems().count == 5)
        #expect(manifest.problems().first == "acKind must be \"ImageManifest\" (got \"\")")
    }

    @Test("malformed JSON is an error naming the source")
    func malformed() {
        let message = thrownMessage { _ = try ImageManifest.decode(Array("{nope".utf8), source: "x.aci: manifest") }
        #expect(
            message?.hasPrefix("x.aci: manifest is not a valid image manifest: not valid JSON") == true,
            "\(message ?? "")")
        #expect(message?.contains("not valid JSON (line 1, column 2: ") == true, "\(message ?? "")")
        #expect(message?.contains("DecodingError") == false)
        #expect(message?.split(separator: "\n").count == 1)
    }
}
