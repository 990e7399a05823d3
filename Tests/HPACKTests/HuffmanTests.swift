import Testing
import WireTestSupport

@testable import HPACK

@Suite struct HuffmanTests {
    /// The string literals of RFC 7541 C.4 and C.6.
    static let examples: [(String, String)] = [
        ("www.example.com", "f1e3c2e5f23a6ba0ab90f4ff"),
        ("no-cache", "a8eb10649cbf"),
        ("custom-key", "25a849e95ba97d7f"),
        ("custom-value", "25a849e95bb8e8b4bf"),
        ("302", "6402"),
        ("307", "640eff"),
        ("private", "aec3771a4b"),
        ("Mon, 21 Oct 2013 20:13:21 GMT", "d07abe941054d444a8200595040b8166e082a62d1bff"),
        ("https://www.example.com", "9d29ad171863c78f0b97c8e9ae82ae43d3"),
        ("gzip", "9bd9ab"),
        (
            "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
            "94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007"
        ),
    ]

    @Test(arguments: examples)
    func rfcExamples(text: String, coded: String) throws {
        #expect(hexString(Huffman.encode(Array(text.utf8))) == coded)
        #expect(Huffman.encodedLength(Array(text.utf8)) == coded.count / 2)
        #expect(try Huffman.decode(hex(coded)) == Array(text.utf8))
    }

    @Test func tableIsACompleteCanonicalCode() {
        #expect(huffmanCodes.count == 257)
        // Kraft sum exactly 1 (in units of 2^-30): no gaps, no overlaps.
        let kraft = huffmanCodes.reduce(0) { $0 + (1 << (30 - Int($1.length))) }
        #expect(kraft == 1 << 30)
        // Canonical: ordered by (length, symbol), each code is the previous plus one, shifted to the new length.
        let order = (0..<257).sorted { (huffmanCodes[$0].length, $0) < (huffmanCodes[$1].length, $1) }
        var expected: UInt32 = 0
        var previousLength: UInt8 = 0
        for symbol in order {
            let entry = huffmanCodes[symbol]
            expected <<= UInt32(entry.length - previousLength)
            #expect(entry.code == expected, "symbol \(symbol)")
            expected += 1
            previousLength = entry.length
        }
        #expect(huffmanCodes[256].code == 0x3fff_ffff && huffmanCodes[256].length == 30, "EOS is 30 ones")
    }

    @Test func everyByteRoundTrips() throws {
        let all = (0...255).map { UInt8($0) }
        #expect(try Huffman.decode(Huffman.encode(all)) == all)
        #expect(try Huffman.decode(Huffman.encode(all.reversed())) == all.reversed())
        #expect(try Huffman.decode([]) == [])
    }

    @Test func paddingMustBeOnesAndShorterThanAByte() {
        // "0" is 00000 (5 bits); padding with zeros instead of ones is invalid.
        #expect(throws: HPACKError.invalidHuffmanPadding) { try Huffman.decode([0b0000_0000]) }
        // A whole octet of ones after a complete symbol is 8 bits of padding: too long.
        #expect(throws: HPACKError.invalidHuffmanPadding) { try Huffman.decode([0b0000_0111, 0xff]) }
        #expect(throws: HPACKError.invalidHuffmanPadding) { try Huffman.decode([0xff]) }
        // A truncated symbol that is not a prefix of EOS: 11111110 is the first octet of a 10-bit code.
        #expect(throws: HPACKError.invalidHuffmanPadding) { try Huffman.decode([0xfe]) }
    }

    @Test func eosIsRejected() {
        // 30 ones (EOS) followed by two padding ones.
        #expect(throws: HPACKError.huffmanEOS) { try Huffman.decode([0xff, 0xff, 0xff, 0xff]) }
        // A valid symbol, then EOS.
        #expect(throws: HPACKError.huffmanEOS) { try Huffman.decode([0x07, 0xff, 0xff, 0xff, 0xff]) }
    }
}
