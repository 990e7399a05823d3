import Testing
import WireTestSupport

@testable import HPACK

@Suite struct PrimitiveTests {
    /// RFC 7541 C.1.1–C.1.3.
    @Test(arguments: [(10, 5, "0a"), (1337, 5, "1f9a0a"), (42, 8, "2a"), (31, 5, "1f00"), (0, 1, "00")])
    func integerExamples(value: Int, prefix: Int, expected: String) throws {
        var out: [UInt8] = []
        HPACKPrimitive.appendInteger(value, prefixBits: prefix, to: &out)
        #expect(hexString(out) == expected)

        var index = 0
        #expect(try HPACKPrimitive.readInteger(out, at: &index, prefixBits: prefix) == value)
        #expect(index == out.count)
    }

    @Test func integerIgnoresFlagBitsAboveThePrefix() throws {
        var index = 0
        #expect(try HPACKPrimitive.readInteger([0xff, 0x9a, 0x0a, 0x02], at: &index, prefixBits: 5) == 1337)
        #expect(index == 3)
    }

    @Test func truncatedIntegers() {
        var index = 0
        #expect(throws: HPACKError.truncatedInteger) {
            try HPACKPrimitive.readInteger([0x1f], at: &index, prefixBits: 5)
        }
        index = 0
        #expect(throws: HPACKError.truncatedInteger) {
            try HPACKPrimitive.readInteger([0x1f, 0x9a], at: &index, prefixBits: 5)
        }
        index = 0
        #expect(throws: HPACKError.truncatedInteger) { try HPACKPrimitive.readInteger([], at: &index, prefixBits: 7) }
    }

    @Test func overlongIntegerIsRejected() {
        var index = 0
        let bytes: [UInt8] = [0xff] + [UInt8](repeating: 0x80, count: 20)
        #expect(throws: HPACKError.integerOverflow) { try HPACKPrimitive.readInteger(bytes, at: &index, prefixBits: 8) }
    }

    @Test func largeIntegersRoundTrip() throws {
        for value in [127, 128, 255, 16_383, 1 << 20, (1 << 50) + 7] {
            var out: [UInt8] = []
            HPACKPrimitive.appendInteger(value, prefixBits: 7, flags: 0x80, to: &out)
            var index = 0
            #expect(try HPACKPrimitive.readInteger(out, at: &index, prefixBits: 7) == value)
        }
    }

    @Test func stringLiterals() throws {
        var out: [UInt8] = []
        HPACKPrimitive.appendString(Array("custom-key".utf8), huffman: false, to: &out)
        #expect(hexString(out) == "0a637573746f6d2d6b6579")
        out = []
        HPACKPrimitive.appendString(Array("custom-key".utf8), huffman: true, to: &out)
        #expect(hexString(out) == "8825a849e95ba97d7f")
        var index = 0
        #expect(try HPACKPrimitive.readString(out, at: &index, maxLength: 100) == Array("custom-key".utf8))
    }

    @Test func truncatedAndOversizedStrings() {
        var index = 0
        #expect(throws: HPACKError.truncatedString(declared: 10, available: 3)) {
            try HPACKPrimitive.readString([0x0a, 0x61, 0x62, 0x63], at: &index, maxLength: 100)
        }
        index = 0
        #expect(throws: HPACKError.stringTooLong(length: 10, limit: 4)) {
            try HPACKPrimitive.readString([0x0a] + [UInt8](repeating: 0x61, count: 10), at: &index, maxLength: 4)
        }
        // A Huffman string whose decoded form (not its 9 wire octets) breaks the limit.
        index = 0
        #expect(throws: HPACKError.stringTooLong(length: 10, limit: 9)) {
            try HPACKPrimitive.readString(hex("8825a849e95ba97d7f"), at: &index, maxLength: 9)
        }
    }
}
