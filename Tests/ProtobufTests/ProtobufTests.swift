import Testing
import WireTestSupport

@testable import Protobuf

@Suite struct PrimitiveTests {
    @Test(arguments: [
        (UInt64(0), "00"), (1, "01"), (127, "7f"), (128, "8001"), (300, "ac02"), (14_512, "b071"),
        (UInt64.max, "ffffffffffffffffff01"),
    ])
    func varints(value: UInt64, encoded: String) throws {
        var writer = ProtobufWriter()
        writer.appendVarint(value)
        #expect(hexString(writer.bytes) == encoded)
        var reader = ProtobufReader(writer.bytes)
        #expect(try reader.readVarint() == value)
        #expect(reader.isAtEnd)
    }

    @Test func zigzag() {
        let pairs: [(Int64, UInt64)] = [
            (0, 0), (-1, 1), (1, 2), (-2, 3), (Int64.max, UInt64.max - 1), (Int64.min, UInt64.max),
        ]
        for (signed, unsigned) in pairs {
            #expect(ZigZag.encode(signed) == unsigned)
            #expect(ZigZag.decode(unsigned) == signed)
        }
        #expect(ZigZag.encode(Int32(-2)) == 3)
        #expect(ZigZag.decode(UInt32.max) == Int32.min)
    }

    @Test func negativeInt32TakesTenOctets() throws {
        // ExitResult{exit_code: -1}: int32 is sign-extended on the wire.
        var writer = ProtobufWriter()
        writer.write(1, int64: -1)
        #expect(hexString(writer.bytes) == "08ffffffffffffffffff01")
        var reader = ProtobufReader(writer.bytes)
        #expect(try reader.nextField() == 1)
        #expect(try reader.readInt32() == -1)
    }

    @Test func fixedWidthAndFloatingPoint() throws {
        var writer = ProtobufWriter()
        writer.write(1, double: 1.5)
        writer.write(2, fixed32: 0x0102_0304)
        writer.write(3, float: -2)
        writer.write(4, sint64: -3)
        #expect(hexString(writer.bytes) == "09000000000000f83f" + "1504030201" + "1d000000c0" + "2005")
        var reader = ProtobufReader(writer.bytes)
        _ = try reader.nextField()
        #expect(try reader.readDouble() == 1.5)
        _ = try reader.nextField()
        #expect(try reader.readFixed32() == 0x0102_0304)
        _ = try reader.nextField()
        #expect(try reader.readFloat() == -2)
        _ = try reader.nextField()
        #expect(try reader.readSInt64() == -3)
    }

    @Test func packedAndUnpackedRepeatedVarints() throws {
        // measured_fields = [RSS, CACHE] written packed (proto3 default) and unpacked (proto2 style).
        for encoded in ["32020001", "30003001"] {
            var reader = ProtobufReader(hex(encoded))
            var values: [UInt64] = []
            while try reader.nextField() != nil { values += try reader.readRepeatedVarint() }
            #expect(values == [0, 1], "\(encoded)")
        }
        var writer = ProtobufWriter()
        writer.write(6, packed: [0, 1])
        #expect(hexString(writer.bytes) == "32020001")
    }
}

@Suite struct MalformedInputTests {
    @Test func truncatedValues() {
        let cases: [(String, ProtobufError)] = [
            ("08", .truncated(offset: 1)),  // key, no varint
            ("0880", .truncated(offset: 1)),  // varint continues past the end
            ("0a05616263", .truncated(offset: 1)),  // 5 declared, 3 present
            ("09000000", .truncated(offset: 1)),  // fixed64 cut short
            ("0d0000", .truncated(offset: 1)),  // fixed32 cut short
            ("0affffffffffffffffff01", .truncated(offset: 1)),  // absurd length
        ]
        for (input, error) in cases {
            #expect(throws: error, "\(input)") {
                var reader = ProtobufReader(hex(input))
                while try reader.nextField() != nil { try reader.skip() }
            }
        }
    }

    @Test func malformedKeysAndVarints() {
        #expect(throws: ProtobufError.invalidWireType(7, offset: 0)) {
            var reader = ProtobufReader([0x0f])
            _ = try reader.nextField()
        }
        #expect(throws: ProtobufError.invalidFieldNumber(0, offset: 0)) {
            var reader = ProtobufReader([0x00, 0x00])
            _ = try reader.nextField()
        }
        #expect(throws: ProtobufError.malformedVarint(offset: 0)) {
            var reader = ProtobufReader([UInt8](repeating: 0xff, count: 11))
            _ = try reader.readVarint()
        }
        #expect(throws: ProtobufError.malformedVarint(offset: 0)) {
            var reader = ProtobufReader(hex("ffffffffffffffffff02"))
            _ = try reader.readVarint()
        }
    }

    @Test func wrongWireTypeForAKnownField() {
        #expect(throws: ProtobufError.wireTypeMismatch(field: 1, expected: .lengthDelimited, actual: .varint)) {
            var reader = ProtobufReader(hex("0801"))
            _ = try reader.nextField()
            _ = try reader.readString()
        }
    }

    @Test func invalidUTF8InAString() {
        #expect(throws: ProtobufError.invalidUTF8(field: 2)) {
            var reader = ProtobufReader(hex("1202c328"))
            _ = try reader.nextField()
            _ = try reader.readString()
        }
    }

    @Test func groupsAreSkippedAndCheckedForBalance() throws {
        // field 5 group { field 1 varint 1; field 6 group {} } then field 2 varint 7
        var reader = ProtobufReader(hex("2b" + "0801" + "33" + "34" + "2c" + "1007"))
        var seen: [Int] = []
        while let field = try reader.nextField() {
            if field == 2 { #expect(try reader.readUInt64() == 7) } else { try reader.skip() }
            seen.append(field)
        }
        #expect(seen == [5, 2])
        #expect(throws: ProtobufError.malformedGroup(offset: 3)) {
            var mismatched = ProtobufReader(hex("2b08013c"))  // start 5, end 7
            while try mismatched.nextField() != nil { try mismatched.skip() }
        }
        #expect(throws: ProtobufError.malformedGroup(offset: 0)) {
            var stray = ProtobufReader(hex("2c"))
            while try stray.nextField() != nil { try stray.skip() }
        }
    }
}

/// The messages of the reference document (§3), decoded with hand-written structs.
struct PluginInfoResponse: ProtobufMessage, Equatable {
    var type: Int32 = 0
    var apiVersions: [String] = []
    var version = ""
    var name = ""

    init(type: Int32, apiVersions: [String], version: String, name: String) {
        (self.type, self.apiVersions, self.version, self.name) = (type, apiVersions, version, name)
    }

    init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: type = try reader.readInt32()
            case 2: apiVersions.append(try reader.readString())
            case 3: version = try reader.readString()
            case 4: name = try reader.readString()
            default: try reader.skip()
            }
        }
    }

    func encode(to writer: inout ProtobufWriter) {
        writer.write(1, int64IfSet: Int64(type))
        for version in apiVersions { writer.write(2, string: version) }
        writer.write(3, stringIfSet: version)
        writer.write(4, stringIfSet: name)
    }
}

@Suite struct ReferenceVectorTests {
    @Test func pluginInfoResponse() throws {
        let bytes = hex("0802120676302e312e301a05302e312e3022076d6f636b657874")
        let info = try PluginInfoResponse(serialized: bytes)
        #expect(info == PluginInfoResponse(type: 2, apiVersions: ["v0.1.0"], version: "0.1.0", name: "mockext"))
        #expect(info.serialized() == bytes)
        // A newer Nomad's extra fields (here 9: varint, 10: string, 11: fixed32) are skipped.
        let extended = try PluginInfoResponse(serialized: bytes + hex("4801520178" + "5d01020304"))
        #expect(extended == info)
    }

    @Test func nomadConfigPorts() throws {
        // SetConfigRequest.nomad_config = {1: driver {1: max 14512, 2: min 14000}}
        var reader = ProtobufReader(hex("12080a0608b07110b06d"))
        #expect(try reader.nextField() == 2)
        var config = try reader.readMessageReader()
        #expect(try config.nextField() == 1)
        var driver = try config.readMessageReader()
        var ports: [Int: UInt32] = [:]
        while let field = try driver.nextField() { ports[field] = try driver.readUInt32() }
        #expect(ports == [1: 14_512, 2: 14_000])
    }

    @Test func fingerprintAttributeMapEntry() throws {
        // FingerprintResponse: attributes {"driver.mock": {bool_val: true}}, health 2, "Healthy"
        var writer = ProtobufWriter()
        writer.writeMapEntry(1, key: "driver.mock") { entry in entry.writeMessage(2) { $0.write(4, bool: true) } }
        writer.write(2, int64: 2)
        writer.write(3, string: "Healthy")
        #expect(hexString(writer.bytes) == "0a110a0b6472697665722e6d6f636b1202200110021a074865616c746879")

        var reader = ProtobufReader(writer.bytes)
        #expect(try reader.nextField() == 1)
        let (key, isTrue) = try reader.readMapEntry(defaultValue: false) { (value) throws(ProtobufError) in
            var attribute = try value.readMessageReader()
            var result = false
            while let field = try attribute.nextField() {
                if field == 4 { result = try attribute.readBool() } else { try attribute.skip() }
            }
            return result
        }
        #expect(key == "driver.mock" && isTrue)
    }
}
