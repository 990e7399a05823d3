/// Reads protobuf fields one key at a time.
///
/// Call `nextField()` in a loop; for each field either read its value with the typed method matching its
/// declaration (which checks the wire type) or call `skip()` for unknown fields.
public struct ProtobufReader: Sendable {
    private let bytes: [UInt8]
    private var index: Int
    private let end: Int
    /// The field number and wire type of the field being read.
    public private(set) var field = 0
    public private(set) var wireType = WireType.varint
    private var keyOffset = 0  // where the current field's key starts, for error reports

    /// A reader over a whole message.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        index = 0
        end = bytes.count
    }

    private init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        index = range.lowerBound
        end = range.upperBound
    }

    /// Whether all input was read.
    public var isAtEnd: Bool { index >= end }

    /// Reads the next key; nil at the end of the message.
    public mutating func nextField() throws(ProtobufError) -> Int? {
        guard index < end else { return nil }
        let offset = index
        keyOffset = offset
        let key = try readVarint()
        guard let type = WireType(rawValue: UInt8(key & 7)) else {
            throw .invalidWireType(UInt8(key & 7), offset: offset)
        }
        let number = key >> 3
        guard number > 0 && number < 1 << 29 else { throw .invalidFieldNumber(number, offset: offset) }
        field = Int(number)
        wireType = type
        return field
    }

    /// Reads a raw varint (up to 10 octets).
    public mutating func readVarint() throws(ProtobufError) -> UInt64 {
        let start = index
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 70, by: 7) {
            guard index < end else { throw .truncated(offset: start) }
            let byte = bytes[index]
            index += 1
            if shift == 63 && byte > 1 { throw .malformedVarint(offset: start) }
            value |= UInt64(byte & 0x7f) << UInt64(shift)
            if byte & 0x80 == 0 { return value }
        }
        throw .malformedVarint(offset: start)
    }

    /// Skips the current field's value (unknown fields), including nested groups.
    public mutating func skip() throws(ProtobufError) {
        try skip(wireType, depth: 0)
    }

    private mutating func skip(_ type: WireType, depth: Int) throws(ProtobufError) {
        switch type {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try take(8)
        case .fixed32: _ = try take(4)
        case .lengthDelimited: _ = try takeLengthDelimited()
        case .endGroup: throw .malformedGroup(offset: keyOffset)
        case .startGroup:
            guard depth < 64 else { throw .malformedGroup(offset: index) }
            let group = field
            while true {
                guard try nextField() != nil else { throw .truncated(offset: index) }
                if wireType == .endGroup {
                    guard field == group else { throw .malformedGroup(offset: keyOffset) }
                    return
                }
                try skip(wireType, depth: depth + 1)
            }
        }
    }

    private mutating func expect(_ type: WireType) throws(ProtobufError) {
        guard wireType == type else { throw .wireTypeMismatch(field: field, expected: type, actual: wireType) }
    }

    private mutating func take(_ count: Int) throws(ProtobufError) -> Range<Int> {
        guard count <= end - index else { throw .truncated(offset: index) }
        defer { index += count }
        return index..<index + count
    }

    private mutating func takeLengthDelimited() throws(ProtobufError) -> Range<Int> {
        let start = index
        let length = try readVarint()
        guard length <= UInt64(end - index) else { throw .truncated(offset: start) }
        return try take(Int(length))
    }

    /// uint64 (also uint32 and enums read as unsigned).
    public mutating func readUInt64() throws(ProtobufError) -> UInt64 {
        try expect(.varint)
        return try readVarint()
    }

    /// uint32: the low 32 bits, as Go and C++ read it.
    public mutating func readUInt32() throws(ProtobufError) -> UInt32 { UInt32(truncatingIfNeeded: try readUInt64()) }

    /// int64.
    public mutating func readInt64() throws(ProtobufError) -> Int64 { Int64(bitPattern: try readUInt64()) }

    /// int32 and enums: the low 32 bits (negative values arrive sign-extended to 10 octets).
    public mutating func readInt32() throws(ProtobufError) -> Int32 { Int32(truncatingIfNeeded: try readUInt64()) }

    /// sint64.
    public mutating func readSInt64() throws(ProtobufError) -> Int64 { ZigZag.decode(try readUInt64()) }

    /// sint32.
    public mutating func readSInt32() throws(ProtobufError) -> Int32 { ZigZag.decode(try readUInt32()) }

    /// bool: any non-zero varint is true.
    public mutating func readBool() throws(ProtobufError) -> Bool { try readUInt64() != 0 }

    /// fixed32 / sfixed32 bits.
    public mutating func readFixed32() throws(ProtobufError) -> UInt32 {
        try expect(.fixed32)
        let range = try take(4)
        return range.reversed().reduce(0) { $0 << 8 | UInt32(bytes[$1]) }
    }

    /// fixed64 / sfixed64 bits.
    public mutating func readFixed64() throws(ProtobufError) -> UInt64 {
        try expect(.fixed64)
        let range = try take(8)
        return range.reversed().reduce(0) { $0 << 8 | UInt64(bytes[$1]) }
    }

    /// double.
    public mutating func readDouble() throws(ProtobufError) -> Double { Double(bitPattern: try readFixed64()) }

    /// float.
    public mutating func readFloat() throws(ProtobufError) -> Float { Float(bitPattern: try readFixed32()) }

    /// bytes.
    public mutating func readBytes() throws(ProtobufError) -> [UInt8] {
        try expect(.lengthDelimited)
        return Array(bytes[try takeLengthDelimited()])
    }

    /// string, which proto3 requires to be valid UTF-8.
    public mutating func readString() throws(ProtobufError) -> String {
        let raw = try readBytes()
        guard let text = String(validating: raw, as: UTF8.self) else { throw .invalidUTF8(field: field) }
        return text
    }

    /// A reader over an embedded message, without copying it.
    public mutating func readMessageReader() throws(ProtobufError) -> ProtobufReader {
        try expect(.lengthDelimited)
        return ProtobufReader(bytes, range: try takeLengthDelimited())
    }

    /// An embedded message.
    public mutating func readMessage<M: ProtobufMessage>(_ type: M.Type = M.self) throws(ProtobufError) -> M {
        var nested = try readMessageReader()
        return try M(from: &nested)
    }

    /// A repeated varint field, packed (one length-delimited run) or not (one value per key); parsers must
    /// accept both encodings.
    public mutating func readRepeatedVarint() throws(ProtobufError) -> [UInt64] {
        guard wireType == .lengthDelimited else { return [try readUInt64()] }
        var nested = ProtobufReader(bytes, range: try takeLengthDelimited())
        var values: [UInt64] = []
        while !nested.isAtEnd { values.append(try nested.readVarint()) }
        return values
    }

    /// A `map<string, V>` entry: calls `value` with a reader positioned on field 2 (if present).
    public mutating func readMapEntry<V>(
        defaultValue: V, _ value: (inout ProtobufReader) throws(ProtobufError) -> V
    ) throws(ProtobufError) -> (String, V) {
        var entry = try readMessageReader()
        var key = ""
        var result = defaultValue
        while let number = try entry.nextField() {
            switch number {
            case 1: key = try entry.readString()
            case 2: result = try value(&entry)
            default: try entry.skip()
            }
        }
        return (key, result)
    }
}
