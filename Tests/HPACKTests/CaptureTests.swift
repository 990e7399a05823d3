import Testing
import WireTestSupport

@testable import HPACK

/// One captured HEADERS frame: its connection and direction, its raw block, and the fields Go decoded.
struct CapturedBlock {
    let stream: String  // "conn 1 C>S", one HPACK context per connection and direction
    let raw: [UInt8]
    let headers: [HeaderField]
}

/// Reads the HEADERS frames of the nomad-wire captures (`fields=[...]` followed by a `raw:` line).
func capturedBlocks(in file: String) -> [CapturedBlock] {
    guard let directory = nomadWireDirectory, let text = readFile(directory + "/captures/" + file) else { return [] }
    var blocks: [CapturedBlock] = []
    var pending: (String, [HeaderField])?
    for line in text.split(separator: "\n") {
        if let range = line.firstRange(of: " HEADERS sid="), let fieldsStart = line.firstRange(of: "fields=[") {
            let prefix = line[..<range.lowerBound].split(separator: " ").suffix(3).joined(separator: " ")
            let list = line[fieldsStart.upperBound...].prefix { $0 != "]" }
            let headers = list.split(separator: "\"").filter { $0 != " " }.map { item in
                let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return HeaderField(String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }
            pending = (prefix, headers)
        } else if let rawStart = line.firstRange(of: "raw: "), let frame = pending {
            let raw = hex(String(line[rawStart.upperBound...]))
            blocks.append(CapturedBlock(stream: frame.0, raw: raw, headers: frame.1))
            pending = nil
        }
    }
    return blocks
}

@Suite(.enabled(if: nomadWireDirectory != nil, "nomad-wire reference directory not found; capture tests skipped"))
struct CaptureTests {
    static let files = (1...6).map { "plugin-process-\($0).log" }

    @Test(arguments: files)
    func decodesEveryCapturedBlockInOrder(file: String) throws {
        let blocks = capturedBlocks(in: file)
        #expect(!blocks.isEmpty, "no HEADERS frames found in \(file)")
        var decoders: [String: HPACKDecoder] = [:]
        for block in blocks {
            var decoder = decoders[block.stream] ?? HPACKDecoder()
            #expect(try decoder.decode(block.raw) == block.headers, "\(file) \(block.stream)")
            decoders[block.stream] = decoder
        }
    }

    /// Our encoder, with Go's choices (Huffman when shorter, incremental indexing), reproduces the Go server's
    /// response blocks byte for byte. For the client's blocks the only allowed difference is the static name
    /// index of `:path` (Go picks 5, `/index.html`; we pick the first match, 4, as RFC 7541 Appendix C does),
    /// so those must have the same length and decode identically on a peer's table.
    @Test(arguments: files)
    func encoderMatchesGo(file: String) throws {
        var encoders: [String: HPACKEncoder] = [:]
        var decoders: [String: HPACKDecoder] = [:]
        for block in capturedBlocks(in: file) {
            var encoder = encoders[block.stream] ?? HPACKEncoder()
            var decoder = decoders[block.stream] ?? HPACKDecoder()
            let ours = encoder.encode(block.headers)
            if block.stream.hasSuffix("S>C") {
                #expect(hexString(ours) == hexString(block.raw), "\(file) \(block.stream)")
            } else {
                #expect(ours.count == block.raw.count, "\(file) \(block.stream)")
            }
            #expect(try decoder.decode(ours) == block.headers)
            encoders[block.stream] = encoder
            decoders[block.stream] = decoder
        }
    }

    /// The blocks quoted in the protocol reference (§12.3), on one connection.
    @Test func referenceDocumentBlocks() throws {
        var client = HPACKDecoder()
        let first = try client.decode(
            hex(
                "838645a96271a27310f656bd47a4722f5d16cc6a90bc634157aec3a4ebdd1a0bae8b66354c6ba2d98d564aa53f4185b6ab"
                    + "50593f5f8b1d75d0620d263d4c4d65647a8a9acac8b4c7602b89d5c340027465864d833505b11f"))
        let common = fields([
            (":method", "POST"), (":scheme", "http"), (":authority", "unused"), ("content-type", "application/grpc"),
            ("user-agent", "grpc-go/1.27.1"), ("te", "trailers"),
        ])
        let path = HeaderField(":path", "/hashicorp.nomad.plugins.base.proto.BasePlugin/PluginInfo")
        #expect(first == Array(common[0..<2]) + [path] + Array(common[2...]))
        let second = try client.decode(hex("8386459762ba2d98d52f8b6ebbd76c3f52d8c6e48ec4ee4d851d3fc2c1c0bf"))
        #expect(
            second == Array(common[0..<2]) + [HeaderField(":path", "/plugin.GRPCBroker/StartStream")] + common[2...])

        var server = HPACKDecoder()
        #expect(
            try server.decode(hex("885f8b1d75d0620d263d4c4d6564"))
                == fields([(":status", "200"), ("content-type", "application/grpc")]))
        let trailers = fields([("grpc-status", "0"), ("grpc-message", "")])
        #expect(try server.decode(hex("40889acac8b21234da8f013040899acac8b5254207317f00")) == trailers)
        #expect(try server.decode(hex("88c0")) == fields([(":status", "200"), ("content-type", "application/grpc")]))
        #expect(try server.decode(hex("bfbe")) == trailers)
    }
}
