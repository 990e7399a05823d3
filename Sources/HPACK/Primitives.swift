/// The HPACK primitive types: prefixed integers and string literals (RFC 7541 §5).
public enum HPACKPrimitive {
    /// The most octets a decoded integer may span after its prefix; enough for any value below 2^56.
    static let maxContinuationOctets = 8

    /// Appends `value` as an integer with an N-bit prefix; `flags` fills the octet's bits above the prefix.
    public static func appendInteger(_ value: Int, prefixBits: Int, flags: UInt8 = 0, to out: inout [UInt8]) {
        precondition((1...8).contains(prefixBits) && value >= 0, "HPACK integer: bad prefix or negative value")
        let limit = (1 << prefixBits) - 1
        guard value >= limit else {
            out.append(flags | UInt8(value))
            return
        }
        out.append(flags | UInt8(limit))
        var rest = value - limit
        while rest >= 128 {
            out.append(UInt8(rest & 0x7f) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }

    /// Reads an integer with an N-bit prefix starting at `index`, and moves `index` past it.
    public static func readInteger(_ bytes: [UInt8], at index: inout Int, prefixBits: Int) throws(HPACKError) -> Int {
        guard index < bytes.count else { throw .truncatedInteger }
        let limit = (1 << prefixBits) - 1
        var value = Int(bytes[index]) & limit
        index += 1
        guard value == limit else { return value }

        var shift = 0
        for _ in 0..<maxContinuationOctets {
            guard index < bytes.count else { throw .truncatedInteger }
            let octet = bytes[index]
            index += 1
            value += Int(octet & 0x7f) << shift
            shift += 7
            if octet & 0x80 == 0 { return value }
        }
        throw .integerOverflow
    }

    /// Appends a string literal, Huffman-coded when `huffman` is true (RFC 7541 §5.2).
    public static func appendString(_ string: some Collection<UInt8>, huffman: Bool, to out: inout [UInt8]) {
        if huffman {
            let coded = Huffman.encode(string)
            appendInteger(coded.count, prefixBits: 7, flags: 0x80, to: &out)
            out.append(contentsOf: coded)
        } else {
            appendInteger(string.count, prefixBits: 7, to: &out)
            out.append(contentsOf: string)
        }
    }

    /// Reads a string literal at `index` (decoding Huffman if flagged), and moves `index` past it.
    ///
    /// `maxLength` bounds the octets on the wire and, for Huffman strings, the decoded length.
    public static func readString(
        _ bytes: [UInt8], at index: inout Int, maxLength: Int
    ) throws(HPACKError) -> [UInt8] {
        guard index < bytes.count else { throw .truncatedInteger }
        let isHuffman = bytes[index] & 0x80 != 0
        let length = try readInteger(bytes, at: &index, prefixBits: 7)
        guard length <= maxLength else { throw .stringTooLong(length: length, limit: maxLength) }
        guard length <= bytes.count - index else {
            throw .truncatedString(declared: length, available: bytes.count - index)
        }
        let raw = bytes[index..<index + length]
        index += length
        guard isHuffman else { return Array(raw) }

        let decoded = try Huffman.decode(raw)
        guard decoded.count <= maxLength else { throw .stringTooLong(length: decoded.count, limit: maxLength) }
        return decoded
    }
}
