/// The protobuf wire types (the low three bits of a field key).
public enum WireType: UInt8, Sendable, CustomStringConvertible {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5

    public var description: String {
        switch self {
        case .varint: "varint"
        case .fixed64: "fixed64"
        case .lengthDelimited: "length-delimited"
        case .startGroup: "start-group"
        case .endGroup: "end-group"
        case .fixed32: "fixed32"
        }
    }
}

/// Why a message could not be decoded.
public enum ProtobufError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended inside a value that started at `offset`.
    case truncated(offset: Int)
    /// A varint longer than 10 octets, or a 10th octet above 1.
    case malformedVarint(offset: Int)
    /// A key with wire type 6 or 7.
    case invalidWireType(UInt8, offset: Int)
    /// A key with field number 0 (or above 2^29-1).
    case invalidFieldNumber(UInt64, offset: Int)
    /// A known field arrived with a different wire type than its declared type needs.
    case wireTypeMismatch(field: Int, expected: WireType, actual: WireType)
    /// A string field is not valid UTF-8.
    case invalidUTF8(field: Int)
    /// An end-group without its start-group, or groups nested too deep.
    case malformedGroup(offset: Int)

    public var description: String {
        switch self {
        case .truncated(let offset): "protobuf input truncated in the value at offset \(offset)"
        case .malformedVarint(let offset): "malformed varint at offset \(offset)"
        case .invalidWireType(let type, let offset): "invalid wire type \(type) at offset \(offset)"
        case .invalidFieldNumber(let number, let offset): "invalid field number \(number) at offset \(offset)"
        case .wireTypeMismatch(let field, let expected, let actual):
            "field \(field) has wire type \(actual), expected \(expected)"
        case .invalidUTF8(let field): "field \(field) is not valid UTF-8"
        case .malformedGroup(let offset): "malformed group at offset \(offset)"
        }
    }
}

/// ZigZag mapping of signed integers (sint32/sint64), so small negative numbers stay short.
public enum ZigZag {
    public static func encode(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
    public static func decode(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }
    public static func encode(_ value: Int32) -> UInt32 { UInt32(bitPattern: (value << 1) ^ (value >> 31)) }
    public static func decode(_ value: UInt32) -> Int32 {
        Int32(bitPattern: value >> 1) ^ -Int32(bitPattern: value & 1)
    }
}

/// A message type written by hand against `ProtobufReader` and `ProtobufWriter`.
public protocol ProtobufMessage: Sendable {
    /// Decodes the message, skipping fields it does not know.
    init(from reader: inout ProtobufReader) throws(ProtobufError)
    /// Appends the message's fields (proto3: fields at their default value are usually left out).
    func encode(to writer: inout ProtobufWriter)
}

extension ProtobufMessage {
    /// Decodes a complete serialized message.
    public init(serialized bytes: [UInt8]) throws(ProtobufError) {
        var reader = ProtobufReader(bytes)
        try self.init(from: &reader)
    }

    /// The message's serialized form.
    public func serialized() -> [UInt8] {
        var writer = ProtobufWriter()
        encode(to: &writer)
        return writer.bytes
    }
}
