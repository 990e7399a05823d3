import Testing
import WireTestSupport

@testable import MsgPack

@Suite struct EncodingTests {
    static let cases: [(MsgPackValue, String)] = [
        (.null, "c0"), (.bool(false), "c2"), (.bool(true), "c3"),
        (.uint(0), "00"), (.uint(127), "7f"), (.uint(128), "cc80"), (.uint(255), "ccff"), (.uint(256), "cd0100"),
        (.uint(8080), "cd1f90"), (.uint(65_536), "ce00010000"), (.uint(1 << 32), "cf0000000100000000"),
        (.int(3), "03"), (.int(200), "ccc8"), (.int(-1), "ff"), (.int(-32), "e0"), (.int(-33), "d0df"),
        (.int(-128), "d080"), (.int(-129), "d1ff7f"), (.int(-32_768), "d18000"), (.int(-32_769), "d2ffff7fff"),
        (.int(Int64(Int32.min) - 1), "d3ffffffff7fffffff"),
        (.float(1.5), "ca3fc00000"), (.double(1.5), "cb3ff8000000000000"),
        (.string(""), "a0"), (.string("/bin/true"), "a92f62696e2f74727565"),
        (.string(String(repeating: "x", count: 32)), "d920" + String(repeating: "78", count: 32)),
        (.binary([1, 2]), "c4020102"),
        (.array([]), "90"), (.array([.uint(1), .string("a")]), "9201a161"),
        (.map([MsgPackPair(.string("a"), .null)]), "81a161c0"),
        (.ext(type: 0, data: [0]), "d40000"), (.ext(type: -1, data: [1, 2, 3, 4]), "d6ff01020304"),
        (.ext(type: 5, data: [1, 2, 3]), "c703050102" + "03"),
    ]

    @Test(arguments: cases)
    func encodeAndDecode(value: MsgPackValue, encoded: String) throws {
        #expect(hexString(value.encoded()) == encoded)
        let decoded = try MsgPackDecoder().decode(hex(encoded))
        // Non-negative .int values come back as .uint (the marker family on the wire).
        #expect(decoded == value || decoded.integerValue == value.integerValue && value.integerValue != nil)
    }

    @Test func longFormsRoundTrip() throws {
        let values: [MsgPackValue] = [
            .string(String(repeating: "y", count: 300)), .string(String(repeating: "z", count: 70_000)),
            .binary([UInt8](repeating: 7, count: 300)), .binary([UInt8](repeating: 7, count: 70_000)),
            .array((0..<20).map { .uint(UInt64($0)) }), .array((0..<70_000).map { _ in .null }),
            .map((0..<17).map { MsgPackPair(.uint(UInt64($0)), .bool(true)) }),
            .ext(type: 9, data: [UInt8](repeating: 1, count: 300)),
            .ext(type: 9, data: [UInt8](repeating: 1, count: 16)),
        ]
        let markers: [UInt8] = [0xda, 0xdb, 0xc5, 0xc6, 0xdc, 0xdd, 0xde, 0xc8, 0xd8]
        for (value, marker) in zip(values, markers) {
            let bytes = value.encoded()
            #expect(bytes.first == marker)
            #expect(try MsgPackDecoder().decode(bytes) == value)
        }
    }

    @Test func decoderAcceptsNonMinimalForms() throws {
        // Other encoders may use wider markers than needed; the values must still decode.
        let decoder = MsgPackDecoder()
        #expect(try decoder.decode(hex("cf0000000000000003")) == .uint(3))
        #expect(try decoder.decode(hex("d3fffffffffffffffe")) == .int(-2))
        #expect(try decoder.decode(hex("d000")) == .int(0))
        #expect(try decoder.decode(hex("db00000001" + "61")) == .string("a"))
        #expect(try decoder.decode(hex("dd00000001c0")) == .array([.null]))
        #expect(try decoder.decode(hex("df00000001a161c3")) == .map([MsgPackPair(.string("a"), .bool(true))]))
    }
}

@Suite struct MalformedMsgPackTests {
    @Test(arguments: [
        ("", MsgPackError.truncated(offset: 0)),
        ("cd01", .truncated(offset: 0)),
        ("a3616263", nil),
        ("a4616263", .truncated(offset: 0)),
        ("92c0", .truncated(offset: 0)),
        ("919281", .truncated(offset: 1)),
        ("81a161", .truncated(offset: 3)),
        ("dcffff", .truncated(offset: 0)),
        ("dfffffffff", .truncated(offset: 0)),
        ("c1", .invalidMarker(0xc1, offset: 0)),
        ("a2c328", .invalidUTF8(offset: 0)),
        ("c0c0", .trailingBytes(offset: 1)),
        ("c7ff01", .truncated(offset: 0)),
    ])
    func errors(input: String, error: MsgPackError?) {
        let bytes = hex(input)
        if let error {
            #expect(throws: error, "\(input)") { try MsgPackDecoder().decode(bytes) }
        } else {
            #expect(throws: Never.self) { try MsgPackDecoder().decode(bytes) }
        }
    }

    @Test func deepNestingIsRefused() {
        let bytes = [UInt8](repeating: 0x91, count: 200) + [0xc0]
        #expect(throws: MsgPackError.nestingTooDeep(limit: 128)) { try MsgPackDecoder().decode(bytes) }
    }
}

@Suite struct CtyConfigTests {
    /// The `full` config of specvec.txt, built as Nomad's cty encoder would see it.
    static let fullConfig = CtyMsgPack.object([
        "anyval": CtyMsgPack.number(1.5),
        "args": .array([.string("10"), .string("x y")]),
        "command": .string("/bin/sleep"),
        "count": CtyMsgPack.number(3),
        "env_extra": CtyMsgPack.object(["FOO": .string("bar")]),
        "labels": .array([CtyMsgPack.object(["a": .string("1"), "b": .string("two")])]),
        "logging": CtyMsgPack.object(["driver": .string("json")]),
        "mounts": .array([
            CtyMsgPack.object(["source": .string("/a"), "target": .string("/b")]),
            CtyMsgPack.object(["source": .string("/c")]),
        ]),
        "port": .array([
            CtyMsgPack.object(["label": .string("http"), "to": CtyMsgPack.number(8080)]),
            CtyMsgPack.object(["label": .string("db"), "to": .null]),
        ]),
        "privileged": .bool(false),
    ])

    static let minimalConfig = CtyMsgPack.object([
        "anyval": .null, "args": .null, "command": .string("/bin/true"), "count": .null, "env_extra": .null,
        "labels": .null, "logging": .null, "mounts": .null, "port": .array([]), "privileged": .bool(false),
    ])

    @Test(.enabled(if: specVectors != nil, "nomad-wire/specvec.txt not found; cty vector test skipped"))
    func specvecVectors() throws {
        let vectors = try #require(specVectors)
        for (name, config) in [("minimal", Self.minimalConfig), ("full", Self.fullConfig)] {
            let golden = try #require(vectors["MSGPACK_HEX \(name)"], "MSGPACK_HEX \(name) missing")
            #expect(hexString(config.encoded()) == golden, "\(name): our encoding matches go-cty's")
            let decoded = try MsgPackDecoder().decode(hex(golden))
            #expect(hexString(decoded.encoded()) == golden, "\(name): decode and re-encode is exact")
        }
    }

    @Test func readingTheFullConfig() throws {
        let config = try MsgPackDecoder().decode(Self.fullConfig.encoded())
        let attributes = try #require(CtyMsgPack.attributes(config))
        #expect(attributes["command"]?.stringValue == "/bin/sleep")
        #expect(attributes["count"].flatMap(CtyMsgPack.numberValue) == 3)
        #expect(attributes["anyval"].flatMap(CtyMsgPack.numberValue) == 1.5)
        #expect(CtyMsgPack.mergedListOfMaps(attributes["labels"] ?? .null) == ["a": .string("1"), "b": .string("two")])
        #expect(CtyMsgPack.mergedListOfMaps(.null) == [:])
        let ports = try #require(attributes["port"]?.arrayValue)
        #expect(ports.map { $0["to"] } == [.uint(8080), .null])
        #expect(CtyMsgPack.numberValue(.string("12.25")) == 12.25, "cty may send numbers as decimal strings")
    }

    @Test func numbersTakeTheSmallestForm() {
        #expect(hexString(CtyMsgPack.number(8080).encoded()) == "cd1f90")
        #expect(hexString(CtyMsgPack.number(-5).encoded()) == "fb")
        #expect(hexString(CtyMsgPack.number(0.5).encoded()) == "cb3fe0000000000000")
        #expect(hexString(CtyMsgPack.number(1e300).encoded()).hasPrefix("cb"))
    }

    @Test func objectKeysAreSortedBytewise() {
        let object = CtyMsgPack.object(["b": .null, "B": .null, "a": .null, "_": .null])
        guard case .map(let pairs) = object else { return }
        #expect(pairs.map(\.key) == [.string("B"), .string("_"), .string("a"), .string("b")])
    }
}
