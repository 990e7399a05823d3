import Testing
import WireTestSupport

@testable import HPACK

@Suite struct DecoderTests {
    @Test func indexZeroIsAnError() {
        var decoder = HPACKDecoder()
        #expect(throws: HPACKError.zeroIndex) { try decoder.decode([0x80]) }
    }

    @Test func indexPastTheTablesIsAnError() {
        var decoder = HPACKDecoder()
        #expect(throws: HPACKError.invalidIndex(62, tableLength: 61)) { try decoder.decode([0xbe]) }
        // A literal whose name index is out of range.
        #expect(throws: HPACKError.invalidIndex(70, tableLength: 61)) { try decoder.decode([0x7f, 0x07, 0x00]) }
    }

    @Test func sizeUpdateAboveTheSettingsLimitIsAnError() {
        var decoder = HPACKDecoder(maxTableSize: 256)
        // 001 11111 + (257 - 31 = 226 = e2 01)
        #expect(throws: HPACKError.tableSizeAboveLimit(requested: 257, limit: 256)) {
            try decoder.decode([0x3f, 0xe2, 0x01])
        }
    }

    @Test func sizeUpdateAfterAFieldIsAnError() {
        var decoder = HPACKDecoder()
        #expect(throws: HPACKError.misplacedSizeUpdate) { try decoder.decode([0x82, 0x20]) }
    }

    @Test func sizeUpdatesEvictAndMayRepeatAtTheStart() throws {
        var decoder = HPACKDecoder()
        _ = try decoder.decode(hex("400a637573746f6d2d6b65790d637573746f6d2d686561646572"))
        #expect(decoder.table.count == 1)
        // Two updates (0, then 4096) before a field: the first empties the table.
        let block: [UInt8] = [0x20, 0x3f, 0xe1, 0x1f, 0x82]
        #expect(try decoder.decode(block) == [HeaderField(":method", "GET")])
        #expect(decoder.table.count == 0)
        #expect(decoder.table.maxSize == 4096)
    }

    @Test func lowerSettingsLimitShrinksTheTable() throws {
        var decoder = HPACKDecoder()
        _ = try decoder.decode(hex("400a637573746f6d2d6b65790d637573746f6d2d686561646572"))
        decoder.setMaxTableSizeLimit(0)
        #expect(decoder.table.count == 0)
        #expect(throws: HPACKError.tableSizeAboveLimit(requested: 1, limit: 0)) { try decoder.decode([0x21]) }
    }

    @Test func anEntryLargerThanTheTableEmptiesIt() throws {
        var decoder = HPACKDecoder(maxTableSize: 60)
        _ = try decoder.decode(hex("400a637573746f6d2d6b65790d637573746f6d2d686561646572"))  // 55 octets
        #expect(decoder.table.count == 1)
        // custom-key: custom-value-xx is 10 + 15 + 32 = 57 (fits alone after eviction)
        let value = Array("custom-value-xx".utf8)
        let block: [UInt8] = [0x40, 0x0a] + Array("custom-key".utf8) + [UInt8(value.count)] + value
        _ = try decoder.decode(block)
        #expect(decoder.table.entries == [HeaderField("custom-key", "custom-value-xx")])
        // 65 octets: larger than the table, which ends up empty (not an error).
        let big = [UInt8](repeating: 0x61, count: 23)
        _ = try decoder.decode([0x40, 0x0a] + Array("custom-key".utf8) + [UInt8(big.count)] + big)
        #expect(decoder.table.count == 0)
        #expect(decoder.table.size == 0)
    }

    @Test func truncatedBlocks() {
        var decoder = HPACKDecoder()
        #expect(throws: HPACKError.truncatedInteger) { try decoder.decode([0xff]) }
        #expect(throws: HPACKError.truncatedInteger) { try decoder.decode([0x40]) }
        #expect(throws: HPACKError.truncatedInteger) { try decoder.decode([0x40, 0x01, 0x61]) }
        #expect(throws: HPACKError.truncatedString(declared: 10, available: 2)) {
            try decoder.decode([0x00, 0x0a, 0x61, 0x62])
        }
    }

    @Test func invalidHuffmanInALiteral() {
        var decoder = HPACKDecoder()
        #expect(throws: HPACKError.invalidHuffmanPadding) { try decoder.decode([0x00, 0x81, 0x00, 0x00]) }
        #expect(throws: HPACKError.huffmanEOS) { try decoder.decode([0x00, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00]) }
    }

    @Test func oversizedStringAndHeaderList() {
        var decoder = HPACKDecoder(maxStringLength: 8)
        #expect(throws: HPACKError.stringTooLong(length: 15, limit: 8)) {
            try decoder.decode(hex("410f7777772e6578616d706c652e636f6d"))
        }
        decoder = HPACKDecoder(maxHeaderListSize: 100)
        #expect(throws: HPACKError.headerListTooLarge(limit: 100)) { try decoder.decode([0x82, 0x82, 0x82, 0x82]) }
    }

    @Test func neverIndexedFieldsStayOutOfTheEncoderTable() {
        var encoder = HPACKEncoder()
        let block = encoder.encode([HeaderField("password", "secret", neverIndex: true)])
        #expect(hexString(block) == "100870617373776f726406736563726574" || block.first == 0x10)
        #expect(encoder.table.count == 0)
        var decoder = HPACKDecoder()
        #expect((try? decoder.decode(block))?.first?.neverIndex == true)
    }

    @Test func encoderAnnouncesTableSizeChanges() throws {
        var encoder = HPACKEncoder()
        encoder.setMaxTableSize(0)
        encoder.setMaxTableSize(100)
        let block = encoder.encode([HeaderField(":method", "GET")])
        #expect(hexString(block) == "203f4582")  // size 0, then size 100, then index 2
        var decoder = HPACKDecoder()
        #expect(try decoder.decode(block) == [HeaderField(":method", "GET")])
        #expect(decoder.table.maxSize == 100)
        #expect(hexString(encoder.encode([HeaderField(":method", "GET")])) == "82")
    }

    @Test func withoutIndexingPolicyNeverTouchesTheTable() throws {
        var encoder = HPACKEncoder(indexing: .none)
        let headers = fields([(":status", "200"), ("content-type", "application/grpc"), ("grpc-status", "0")])
        let block = encoder.encode(headers)
        #expect(encoder.table.count == 0)
        var decoder = HPACKDecoder()
        #expect(try decoder.decode(block) == headers)
        #expect(decoder.table.count == 0)
    }

    @Test func randomFieldsRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        var encoder = HPACKEncoder(maxTableSize: 512)
        var decoder = HPACKDecoder(maxTableSize: 512)
        for _ in 0..<200 {
            let headers = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                HeaderField(
                    "x-\(Int.random(in: 0..<20, using: &generator))",
                    String(repeating: "v", count: Int.random(in: 0..<80, using: &generator)))
            }
            #expect(try decoder.decode(encoder.encode(headers)) == headers)
            #expect(decoder.table.entries == encoder.table.entries)
        }
    }
}
