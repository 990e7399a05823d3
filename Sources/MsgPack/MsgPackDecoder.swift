/// Decodes MessagePack bytes into `MsgPackValue`s, accepting every format of the spec.
public struct MsgPackDecoder: Sendable {
    /// The deepest array/map nesting accepted.
    public var maxDepth = 128

    public init() {}

    /// Decodes exactly one value spanning all of `bytes`.
    public func decode(_ bytes: [UInt8]) throws(MsgPackError) -> MsgPackValue {
        var cursor = Cursor(bytes: bytes)
        let value = try read(&cursor, depth: 0)
        guard cursor.index == bytes.count else { throw .trailingBytes(offset: cursor.index) }
        return value
    }

    struct Cursor {
        let bytes: [UInt8]
        var index = 0

        /// Takes `count` octets of the value that started at `start`.
        mutating func take(_ count: Int, start: Int) throws(MsgPackError) -> ArraySlice<UInt8> {
            guard count <= bytes.count - index else { throw .truncated(offset: start) }
            defer { index += count }
            return bytes[index..<index + count]
        }

        mutating func integer(_ octets: Int, start: Int) throws(MsgPackError) -> UInt64 {
            try take(octets, start: start).reduce(0) { $0 << 8 | UInt64($1) }
        }
    }

    private func read(_ cursor: inout Cursor, depth: Int) throws(MsgPackError) -> MsgPackValue {
        let start = cursor.index
        let marker = try cursor.take(1, start: start).first ?? 0
        switch marker {
        case 0x00...0x7f: return .uint(UInt64(marker))
        case 0x80...0x8f: return try readMap(Int(marker & 0x0f), &cursor, start: start, depth: depth)
        case 0x90...0x9f: return try readArray(Int(marker & 0x0f), &cursor, start: start, depth: depth)
        case 0xa0...0xbf: return try readString(Int(marker & 0x1f), &cursor, start: start)
        case 0xe0...0xff: return .int(Int64(Int8(bitPattern: marker)))
        case 0xc0: return .null
        case 0xc2: return .bool(false)
        case 0xc3: return .bool(true)
        case 0xc4, 0xc5, 0xc6:
            let length = Int(try cursor.integer(1 << Int(marker - 0xc4), start: start))
            return .binary(Array(try cursor.take(length, start: start)))
        case 0xc7, 0xc8, 0xc9:
            let length = Int(try cursor.integer(1 << Int(marker - 0xc7), start: start))
            return try readExt(length, &cursor, start: start)
        case 0xca: return .float(Float(bitPattern: UInt32(try cursor.integer(4, start: start))))
        case 0xcb: return .double(Double(bitPattern: try cursor.integer(8, start: start)))
        case 0xcc...0xcf: return .uint(try cursor.integer(1 << Int(marker - 0xcc), start: start))
        case 0xd0...0xd3:
            let octets = 1 << Int(marker - 0xd0)
            let raw = try cursor.integer(octets, start: start)
            let shift = UInt64(64 - octets * 8)
            return .int(Int64(bitPattern: raw << shift) >> Int64(shift))  // sign-extend
        case 0xd4...0xd8: return try readExt(1 << Int(marker - 0xd4), &cursor, start: start)
        case 0xd9, 0xda, 0xdb:
            let length = Int(try cursor.integer(1 << Int(marker - 0xd9), start: start))
            return try readString(length, &cursor, start: start)
        case 0xdc, 0xdd:
            let count = Int(try cursor.integer(marker == 0xdc ? 2 : 4, start: start))
            return try readArray(count, &cursor, start: start, depth: depth)
        case 0xde, 0xdf:
            let count = Int(try cursor.integer(marker == 0xde ? 2 : 4, start: start))
            return try readMap(count, &cursor, start: start, depth: depth)
        default: throw .invalidMarker(marker, offset: start)
        }
    }

    private func readString(_ length: Int, _ cursor: inout Cursor, start: Int) throws(MsgPackError) -> MsgPackValue {
        let bytes = try cursor.take(length, start: start)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8(offset: start) }
        return .string(text)
    }

    private func readExt(_ length: Int, _ cursor: inout Cursor, start: Int) throws(MsgPackError) -> MsgPackValue {
        let type = Int8(bitPattern: try cursor.take(1, start: start).first ?? 0)
        return .ext(type: type, data: Array(try cursor.take(length, start: start)))
    }

    private func readArray(
        _ count: Int, _ cursor: inout Cursor, start: Int, depth: Int
    ) throws(MsgPackError) -> MsgPackValue {
        guard depth < maxDepth else { throw .nestingTooDeep(limit: maxDepth) }
        // Every element takes at least one octet: a count beyond the input is truncation, not an allocation.
        guard count <= cursor.bytes.count - cursor.index else { throw .truncated(offset: start) }
        var values: [MsgPackValue] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(&cursor, depth: depth + 1)) }
        return .array(values)
    }

    private func readMap(
        _ count: Int, _ cursor: inout Cursor, start: Int, depth: Int
    ) throws(MsgPackError) -> MsgPackValue {
        guard depth < maxDepth else { throw .nestingTooDeep(limit: maxDepth) }
        guard count <= (cursor.bytes.count - cursor.index) / 2 else { throw .truncated(offset: start) }
        var pairs: [MsgPackPair] = []
        pairs.reserveCapacity(count)
        for _ in 0..<count {
            let key = try read(&cursor, depth: depth + 1)
            pairs.append(MsgPackPair(key, try read(&cursor, depth: depth + 1)))
        }
        return .map(pairs)
    }
}
