import JSONCore
import MsgPack
import Protobuf
import TaskModel
import Testing
import WireTestSupport

@testable import Driver
@testable import NomadPlugin

/// hclspec and cty-msgpack against the golden vectors of `nomad-wire/specvec.txt`.
struct SchemaTests {
    static let smallSpec = "0a220a200a07636f6d6d616e6412151a130a07636f6d6d616e641206737472696e671801"
    static let fullSpec =
        "0aa6030a220a09656e765f657874726112152a130a09656e765f65787472611206737472696e670a200a07636f6d6d616e6412151a"
        + "130a07636f6d6d616e641206737472696e6718010a270a066d6f756e7473121d1a1b0a066d6f756e747312116c697374286d6170"
        + "28737472696e6729290a480a04706f72741240323e0a04706f727422360a340a1c0a056c6162656c12131a110a056c6162656c12"
        + "06737472696e6718010a140a02746f120e1a0c0a02746f12066e756d6265720a270a066c6162656c73121d1a1b0a066c6162656c"
        + "7312116c697374286d617028737472696e6729290a190a06616e7976616c120f1a0d0a06616e7976616c1203616e790a380a076c"
        + "6f6767696e67122d222b0a076c6f6767696e671a200a1e0a1c0a0664726976657212121a100a066472697665721206737472696e"
        + "670a1e0a046172677312161a140a0461726773120c6c69737428737472696e67290a1a0a05636f756e7412111a0f0a05636f756e"
        + "7412066e756d6265720a310a0a70726976696c6567656412234a210a141a120a0a70726976696c656765641204626f6f6c120952"
        + "070a0566616c7365"
    static let fullConfig =
        "8aa6616e7976616ccb3ff8000000000000a46172677392a23130a3782079a7636f6d6d616e64aa2f62696e2f736c656570a563"
        + "6f756e7403a9656e765f657874726181a3464f4fa3626172a66c6162656c739182a161a131a162a374776fa76c6f6767696e6781"
        + "a6647269766572a46a736f6ea66d6f756e74739282a6736f75726365a22f61a6746172676574a22f6281a6736f75726365a22f63"
        + "a4706f72749282a56c6162656ca468747470a2746fcd1f9082a56c6162656ca26462a2746fc0aa70726976696c65676564c2"

    @Test func smallSpecEncodesLikeNomad() {
        let spec = HCLSpec.object([("command", .attr(name: "command", type: "string", required: true))])
        #expect(hexString(spec.serialized()) == Self.smallSpec)
    }

    @Test(.enabled(if: specVectors != nil, "nomad-wire/specvec.txt not found; spec vector test skipped"))
    func goldenSpecsAreTheReferenceVectors() throws {
        let vectors = try #require(specVectors)
        #expect(vectors["SPEC_PROTO_HEX"] == Self.fullSpec)
        #expect(vectors["SMALL_SPEC_PROTO_HEX"] == Self.smallSpec)
    }

    @Test func fullSpecRoundTrips() throws {
        let bytes = hex(Self.fullSpec)
        let spec = try HCLSpec(serialized: bytes)
        #expect(spec.serialized() == bytes)
        guard case .object(let attributes) = spec else {
            Issue.record("root must be an object")
            return
        }
        let names = Dictionary(uniqueKeysWithValues: attributes)
        #expect(
            Set(names.keys) == [
                "env_extra", "command", "mounts", "port", "labels", "anyval", "logging", "args", "count", "privileged",
            ])
        #expect(
            names["privileged"]
                == .defaulted(
                    primary: .attr(name: "privileged", type: "bool", required: false), default: .literal("false")))
        #expect(names["env_extra"] == .blockAttrs(name: "env_extra", type: "string", required: false))
        guard case .blockList(let name, _, _, _) = names["port"] else {
            Issue.record("port must be a block list")
            return
        }
        #expect(name == "port")
    }

    @Test func rktSchemasCoverEveryTaskOption() {
        guard case .object(let attributes) = RktSchemas.taskConfig else {
            Issue.record("the task schema must be an object")
            return
        }
        #expect(Set(attributes.map(\.0)) == RktTaskConfig.fieldNames)
        for (key, spec) in attributes {
            switch spec {
            case .attr(let name, _, _): #expect(name == key)
            case .defaulted(.attr(let name, _, _), .literal): #expect(name == key)
            default: Issue.record("\(key) has an unexpected shape")
            }
        }
    }

    @Test func ctyConfigBecomesTheDriversJSON() throws {
        let json = TaskTranslation.json(try MsgPackDecoder().decode(hex(Self.fullConfig)))
        #expect(json.objectValue?["count"] == .integer(3))
        #expect(json.objectValue?["anyval"] == .double(1.5))
        #expect(json.objectValue?["labels"] == .array([.object(["a": .string("1"), "b": .string("two")])]))
        #expect(json.objectValue?["port"]?.arrayValue?.last == .object(["label": .string("db")]))
    }

    @Test func rktTaskConfigDecodesFromCtyMsgPack() throws {
        let config = CtyMsgPack.object([
            "image": .string("example.com/hello:1"), "args": .array([.string("-c"), .string("true")]),
            "port_map": .array([.map([MsgPackPair(.string("http"), .string("80-tcp"))])]), "debug": .bool(false),
            "no_overlay": .bool(true), "net": .null, "command": .null, "volumes": .null,
        ])
        let decoded = try RktTaskConfig.decode(try TaskTranslation.driverConfig(config.encoded()))
        #expect(decoded.image == "example.com/hello:1" && decoded.args == ["-c", "true"])
        #expect(decoded.portMap == ["http": "80-tcp"] && decoded.noOverlay && decoded.net.isEmpty)
    }

    @Test func pluginConfigOverridesOnlyWhatItSets() throws {
        let bytes = CtyMsgPack.object([
            "volumes_enabled": .bool(false), "data_dir": .string("/var/lib/x"), "rkt": .null, "rkt_dir": .null,
        ]).encoded()
        let config = try PluginConfig.decode(bytes)
        #expect(config == PluginConfig(volumesEnabled: false, dataDirectory: "/var/lib/x"))
        var base = DriverSettings(rktPath: "/opt/rkt")
        base.rktDataDirectory = "/tmp/store"
        let settings = config.applied(to: base)
        #expect(!settings.volumesEnabled && settings.dataDirectory == "/var/lib/x")
        #expect(settings.rktPath == "/opt/rkt" && settings.rktDataDirectory == "/tmp/store")
        #expect(throws: (any Error).self) {
            try PluginConfig.decode(CtyMsgPack.object(["data_dir": .string("relative")]).encoded())
        }
    }

    @Test func taskConfigBecomesATaskSpec() throws {
        var config = TaskConfigMessage(id: "a1/web/1234", name: "web")
        config.allocDir = "/data/alloc/a1"
        config.allocID = "a1"
        config.taskGroupName = "g"
        config.jobName = "job"
        config.env = ["NOMAD_DC": "east", "BAD": "two\nlines", "OK": "yes"]
        config.resources.cpuShares = 250
        config.resources.memoryMB = 64
        config.resources.ports = [PortMappingMessage(label: "http", value: 25683, to: 8080, hostIP: "10.0.0.5")]
        config.msgpackDriverConfig = CtyMsgPack.object(["image": .string("x.aci")]).encoded()
        let spec = try TaskTranslation.taskSpec(config)
        #expect(spec.allocDirectory.root == "/data/alloc" && spec.allocDirectory.allocID == "a1")
        #expect(spec.task.env == ["NOMAD_DC": "east", "OK": "yes"])
        #expect(spec.node.datacenter == "east" && spec.group.name == "g" && spec.job.name == "job")
        #expect(spec.task.resources.cpu == 250 && spec.task.resources.memoryMB == 64)
        #expect(spec.task.resources.networks.first?.reservedPorts == [.init(label: "http", value: 25683)])
        #expect(spec.hostIP == "10.0.0.5")
    }
}
