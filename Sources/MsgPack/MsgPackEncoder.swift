extension MsgPackValue {
    /// The value's MessagePack encoding, always with the smallest marker that holds it.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        encode(to: &out)
        return out
    }

    /// Appends the value's MessagePack encoding.
    public func encode(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(0xc0)
        case .bool(let value): out.append(value ? 0xc3 : 0xc2)
        case .uint(let value): Self.appendUnsigned(value, to: &out)
        case .int(let value):
            if value >= 0 { Self.appendUnsigned(UInt64(value), to: &out) } else { Self.appendNegative(value, to: &out) }
        case .float(let value):
            out.append(0xca)
            Self.appendBigEndian(UInt64(value.bitPattern), octets: 4, to: &out)
        case .double(let value):
            out.append(0xcb)
            Self.appendBigEndian(value.bitPattern, octets: 8, to: &out)
        case .string(let value):
            let bytes = Array(value.utf8)
            if bytes.count < 32 {
                out.append(0xa0 | UInt8(bytes.count))
            } else {
                Self.appendLength(bytes.count, markers: (0xd9, 0xda, 0xdb), to: &out)
            }
            out += bytes
        case .binary(let bytes):
            Self.appendLength(bytes.count, markers: (0xc4, 0xc5, 0xc6), to: &out)
            out += bytes
        case .array(let values):
            Self.appendCount(values.count, fix: 0x90, markers: (0xdc, 0xdd), to: &out)
            for value in values { value.encode(to: &out) }
        case .map(let pairs):
            Self.appendCount(pairs.count, fix: 0x80, markers: (0xde, 0xdf), to: &out)
            for pair in pairs {
                pair.key.encode(to: &out)
                pair.value.encode(to: &out)
            }
        case .ext(let type, let data): Self.appendExt(type, data, to: &out)
        }
    }

    private static func appendUnsigned(_ value: UInt64, to out: inout [UInt8]) {
        switch value {
        case 0...0x7f: out.append(UInt8(value))
        case 0...0xff: out += [0xcc, UInt8(value)]
        case 0...0xffff:
            out.append(0xcd)
            appendBigEndian(value, octets: 2, to: &out)
        case 0...0xffff_ffff:
            out.append(0xce)
            appendBigEndian(value, octets: 4, to: &out)
        default:
            out.append(0xcf)
            appendBigEndian(value, octets: 8, to: &out)
        }
    }

    private static func appendNegative(_ value: Int64, to out: inout [UInt8]) {
        let bits = UInt64(bitPattern: value)
        switch value {
        case -32..<0: out.append(UInt8(truncatingIfNeeded: value))
        case Int64(Int8.min)..<0: out += [0xd0, UInt8(truncatingIfNeeded: value)]
        case Int64(Int16.min)..<0:
            out.append(0xd1)
            appendBigEndian(bits, octets: 2, to: &out)
        case Int64(Int32.min)..<0:
            out.append(0xd2)
            appendBigEndian(bits, octets: 4, to: &out)
        default:
            out.append(0xd3)
            appendBigEndian(bits, octets: 8, to: &out)
        }
    }

    private static func appendExt(_ type: Int8, _ data: [UInt8], to out: inout [UInt8]) {
        let fixed: [Int: UInt8] = [1: 0xd4, 2: 0xd5, 4: 0xd6, 8: 0xd7, 16: 0xd8]
        if let marker = fixed[data.count] {
            out.append(marker)
        } else {
            appendLength(data.count, markers: (0xc7, 0xc8, 0xc9), to: &out)
        }
        out.append(UInt8(bitPattern: type))
        out += data
    }

    /// A length with 8-, 16- and 32-bit forms (str8/16/32, bin8/16/32, ext8/16/32).
    private static func appendLength(_ count: Int, markers: (UInt8, UInt8, UInt8), to out: inout [UInt8]) {
        if count <= 0xff {
            out += [markers.0, UInt8(count)]
        } else if count <= 0xffff {
            out.append(markers.1)
            appendBigEndian(UInt64(count), octets: 2, to: &out)
        } else {
            out.append(markers.2)
            appendBigEndian(UInt64(count), octets: 4, to: &out)
        }
    }

    /// An element count with a fix form (below 16) and 16- and 32-bit forms (arrays and maps).
    private static func appendCount(_ count: Int, fix: UInt8, markers: (UInt8, UInt8), to out: inout [UInt8]) {
        if count < 16 {
            out.append(fix | UInt8(count))
        } else if count <= 0xffff {
            out.append(markers.0)
            appendBigEndian(UInt64(count), octets: 2, to: &out)
        } else {
            out.append(markers.1)
            appendBigEndian(UInt64(count), octets: 4, to: &out)
        }
    }

    static func appendBigEndian(_ value: UInt64, octets: Int, to out: inout [UInt8]) {
        for index in stride(from: octets - 1, through: 0, by: -1) {
            out.append(UInt8(truncatingIfNeeded: value >> UInt64(index * 8)))
        }
    }
}
