import Testing
import WireTestSupport

@testable import HPACK

/// One header block of an RFC 7541 Appendix C sequence, with the dynamic table expected after it.
struct ExampleStep: Sendable {
    let block: String
    let headers: [HeaderField]
    let table: [HeaderField]  // newest first
    let tableSize: Int
}

/// RFC 7541 Appendix C, one connection per sequence.
enum RFCExamples {
    static let requests: [[HeaderField]] = [
        fields([(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com")]),
        fields([
            (":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "www.example.com"),
            ("cache-control", "no-cache"),
        ]),
        fields([
            (":method", "GET"), (":scheme", "https"), (":path", "/index.html"), (":authority", "www.example.com"),
            ("custom-key", "custom-value"),
        ]),
    ]
    static let requestTables: [([HeaderField], Int)] = [
        (fields([(":authority", "www.example.com")]), 57),
        (fields([("cache-control", "no-cache"), (":authority", "www.example.com")]), 110),
        (
            fields([("custom-key", "custom-value"), ("cache-control", "no-cache"), (":authority", "www.example.com")]),
            164
        ),
    ]

    static let date1 = "Mon, 21 Oct 2013 20:13:21 GMT"
    static let date2 = "Mon, 21 Oct 2013 20:13:22 GMT"
    static let cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"
    static let location = "https://www.example.com"
    static let responses: [[HeaderField]] = [
        fields([(":status", "302"), ("cache-control", "private"), ("date", date1), ("location", location)]),
        fields([(":status", "307"), ("cache-control", "private"), ("date", date1), ("location", location)]),
        fields([
            (":status", "200"), ("cache-control", "private"), ("date", date2), ("location", location),
            ("content-encoding", "gzip"), ("set-cookie", cookie),
        ]),
    ]
    static let responseTables: [([HeaderField], Int)] = [
        (fields([("location", location), ("date", date1), ("cache-control", "private"), (":status", "302")]), 222),
        (fields([(":status", "307"), ("location", location), ("date", date1), ("cache-control", "private")]), 222),
        (fields([("set-cookie", cookie), ("content-encoding", "gzip"), ("date", date2)]), 215),
    ]

    static func steps(_ blocks: [String], _ headers: [[HeaderField]], _ tables: [([HeaderField], Int)]) -> [ExampleStep]
    {
        (0..<blocks.count).map {
            ExampleStep(block: blocks[$0], headers: headers[$0], table: tables[$0].0, tableSize: tables[$0].1)
        }
    }

    /// C.3: requests without Huffman coding.
    static let c3 = steps(
        [
            "828684410f7777772e6578616d706c652e636f6d",
            "828684be58086e6f2d6361636865",
            "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565",
        ], requests, requestTables)
    /// C.4: the same requests with Huffman coding.
    static let c4 = steps(
        [
            "828684418cf1e3c2e5f23a6ba0ab90f4ff",
            "828684be5886a8eb10649cbf",
            "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf",
        ], requests, requestTables)
    /// C.5: responses without Huffman coding, table size 256 (evictions).
    static let c5 = steps(
        [
            "4803333032580770726976617465611d4d6f6e2c203231204f637420323031332032303a31333a323120474d54"
                + "6e1768747470733a2f2f7777772e6578616d706c652e636f6d",
            "4803333037c1c0bf",
            "88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a69707738666f6f3d"
                + "4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167653d333630303b207665"
                + "7273696f6e3d31",
        ], responses, responseTables)
    /// C.6: the same responses with Huffman coding.
    static let c6 = steps(
        [
            "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97"
                + "c8e9ae82ae43d3",
            "4883640effc1c0bf",
            "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad94e7821dd7f2e6c7b335dfdf"
                + "cd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007",
        ], responses, responseTables)
}

@Suite struct RFCExampleTests {
    /// C.2.1–C.2.4: single representations, each on a fresh table.
    @Test func singleRepresentations() throws {
        var decoder = HPACKDecoder()
        #expect(
            try decoder.decode(hex("400a637573746f6d2d6b65790d637573746f6d2d686561646572"))
                == [HeaderField("custom-key", "custom-header")])
        #expect(decoder.table.entries == [HeaderField("custom-key", "custom-header")])
        #expect(decoder.table.size == 55)

        decoder = HPACKDecoder()
        #expect(try decoder.decode(hex("040c2f73616d706c652f70617468")) == [HeaderField(":path", "/sample/path")])
        #expect(decoder.table.count == 0)

        decoder = HPACKDecoder()
        let secret = try decoder.decode(hex("100870617373776f726406736563726574"))
        #expect(secret == [HeaderField("password", "secret", neverIndex: true)])
        #expect(secret.first?.neverIndex == true)
        #expect(decoder.table.count == 0)

        decoder = HPACKDecoder()
        #expect(try decoder.decode([0x82]) == [HeaderField(":method", "GET")])
        #expect(decoder.table.count == 0)
    }

    @Test(arguments: [("C.3", 4096), ("C.4", 4096), ("C.5", 256), ("C.6", 256)])
    func decodeSequence(name: String, tableSize: Int) throws {
        var decoder = HPACKDecoder(maxTableSize: tableSize)
        for (number, step) in Self.sequence(name).enumerated() {
            #expect(try decoder.decode(hex(step.block)) == step.headers, "\(name) block \(number + 1)")
            #expect(decoder.table.entries == step.table, "\(name) table after block \(number + 1)")
            #expect(decoder.table.size == step.tableSize, "\(name) table size after block \(number + 1)")
        }
    }

    @Test(arguments: [("C.3", 4096), ("C.4", 4096), ("C.5", 256), ("C.6", 256)])
    func encodeSequence(name: String, tableSize: Int) {
        let huffman = name == "C.4" || name == "C.6"
        var encoder = HPACKEncoder(maxTableSize: tableSize, huffman: huffman ? .always : .never)
        for (number, step) in Self.sequence(name).enumerated() {
            #expect(hexString(encoder.encode(step.headers)) == step.block, "\(name) block \(number + 1)")
            #expect(encoder.table.entries == step.table, "\(name) table after block \(number + 1)")
            #expect(encoder.table.size == step.tableSize)
        }
    }

    static func sequence(_ name: String) -> [ExampleStep] {
        switch name {
        case "C.3": RFCExamples.c3
        case "C.4": RFCExamples.c4
        case "C.5": RFCExamples.c5
        default: RFCExamples.c6
        }
    }
}
