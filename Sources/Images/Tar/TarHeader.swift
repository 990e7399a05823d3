/// The 512-byte ustar header block: field offsets, number encodings and the checksum.
///
/// Layout (POSIX.1-1988 ustar): name 0..<100, mode 100, uid 108, gid 116, size 124, mtime 136,
/// checksum 148..<156, type flag 156, linkname 157..<257, "ustar" magic 257, version 263, uname 265,
/// gname 297, devmajor 329, devminor 337, prefix 345..<500.
enum TarHeader {
    static let blockSize = 512

    enum Field {
        static let name = 0..<100
        static let mode = 100..<108
        static let uid = 108..<116
        static let gid = 116..<124
        static let size = 124..<136
        static let mtime = 136..<148
        static let checksum = 148..<156
        static let typeFlag = 156
        static let linkName = 157..<257
        static let magic = 257..<263
        static let version = 263..<265
        static let userName = 265..<297
        static let groupName = 297..<329
        static let deviceMajor = 329..<337
        static let deviceMinor = 337..<345
        static let prefix = 345..<500
    }

    /// Whether the block is all zeros (the end-of-archive marker is two of them).
    static func isZero(_ block: [UInt8]) -> Bool {
        block.allSatisfy { $0 == 0 }
    }

    /// The sum of all header bytes with the checksum field counted as spaces, unsigned and signed
    /// (some historic tars summed signed chars; both are accepted on read).
    static func checksums(_ block: [UInt8]) -> (unsigned: Int, signed: Int) {
        var unsigned = 0
        var signed = 0
        for (index, byte) in block.enumerated() {
            let value = Field.checksum.contains(index) ? UInt8(ascii: " ") : byte
            unsigned += Int(value)
            signed += Int(Int8(bitPattern: value))
        }
        return (unsigned, signed)
    }

    /// A NUL-terminated string field.
    static func string(_ block: [UInt8], _ range: Range<Int>) -> String {
        let field = block[range]
        let end = field.firstIndex(of: 0) ?? field.endIndex
        return String(decoding: field[field.startIndex..<end], as: UTF8.self)
    }

    /// A numeric field: octal digits (space/NUL padded), or GNU base-256 when the top bit is set.
    /// Returns nil for anything malformed.
    static func number(_ block: [UInt8], _ range: Range<Int>) -> Int64? {
        let field = Array(block[range])
        guard let first = field.first else {
            return nil
        }
        if first & 0x80 != 0 {
            return base256(field)
        }

        var value: Int64 = 0
        var seenDigit = false
        for byte in field {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                let (shifted, overflow) = value.multipliedReportingOverflow(by: 8)
                guard !overflow else {
                    return nil
                }
                value = shifted + Int64(byte - UInt8(ascii: "0"))
                seenDigit = true
            case UInt8(ascii: " "), 0:
                if seenDigit {
                    return value
                }
            default:
                return nil
            }
        }
        return value
    }

    /// GNU's big-endian binary form for values that do not fit in octal (positive values only).
    private static func base256(_ field: [UInt8]) -> Int64? {
        guard field[0] == 0x80 else {
            return nil
        }
        var value: Int64 = 0
        for byte in field.dropFirst() {
            guard value <= Int64.max >> 8 else {
                return nil
            }
            value = value << 8 | Int64(byte)
        }
        return value
    }

    /// Writes `value` as zero-padded octal with a trailing NUL; returns false if it does not fit.
    static func putOctal(_ value: Int64, _ block: inout [UInt8], _ range: Range<Int>) -> Bool {
        let digits = Array(String(value, radix: 8).utf8)
        guard value >= 0, digits.count <= range.count - 1 else {
            return false
        }
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: range.count - 1 - digits.count) + digits
        block.replaceSubrange(range.lowerBound..<(range.upperBound - 1), with: padded)
        block[range.upperBound - 1] = 0
        return true
    }

    /// Writes a string field; returns false if it does not fit (a full-length field needs no NUL).
    static func putString(_ text: String, _ block: inout [UInt8], _ range: Range<Int>) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count <= range.count else {
            return false
        }
        block.replaceSubrange(range.lowerBound..<(range.lowerBound + bytes.count), with: bytes)
        return true
    }

    /// Stores the checksum of a finished header: six octal digits, NUL, space.
    static func sealChecksum(_ block: inout [UInt8]) {
        let sum = checksums(block).unsigned
        let digits = Array(String(sum, radix: 8).utf8)
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: max(0, 6 - digits.count)) + digits
        block.replaceSubrange(Field.checksum, with: padded + [0, UInt8(ascii: " ")])
    }
}
