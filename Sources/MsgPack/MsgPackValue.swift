/// A MessagePack value (the msgpack spec's type system).
///
/// Integers keep the family of their wire marker: `.uint` for positive fixint and `cc`–`cf`, `.int` for negative
/// fixint and `d0`–`d3`. The encoder always picks the smallest marker and writes non-negative `.int` values with the
/// unsigned markers, as go-cty and vmihailenco/msgpack do. Use `integerValue` to compare across the two families.
public indirect enum MsgPackValue: Equatable, Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case float(Float)
    case double(Double)
    case string(String)
    case binary([UInt8])
    case array([MsgPackValue])
    /// Key/value pairs in wire order (msgpack maps are ordered on the wire; keys may be any value).
    case map([MsgPackPair])
    case ext(type: Int8, data: [UInt8])

    /// The value as a signed integer, for either integer family, if it fits.
    public var integerValue: Int64? {
        switch self {
        case .int(let value): value
        case .uint(let value): Int64(exactly: value)
        default: nil
        }
    }

    /// The string, for `.string`.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements, for `.array`.
    public var arrayValue: [MsgPackValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The value under a string key, for `.map` (the first match).
    public subscript(key: String) -> MsgPackValue? {
        guard case .map(let pairs) = self else { return nil }
        return pairs.first { $0.key == .string(key) }?.value
    }
}

/// One map entry.
public struct MsgPackPair: Equatable, Hashable, Sendable {
    public var key: MsgPackValue
    public var value: MsgPackValue

    public init(_ key: MsgPackValue, _ value: MsgPackValue) {
        self.key = key
        self.value = value
    }
}

/// Why bytes could not be decoded as MessagePack.
public enum MsgPackError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended inside the value that starts at `offset`.
    case truncated(offset: Int)
    /// The reserved marker 0xc1.
    case invalidMarker(UInt8, offset: Int)
    /// A str value that is not valid UTF-8.
    case invalidUTF8(offset: Int)
    /// Arrays and maps nested deeper than the decoder allows.
    case nestingTooDeep(limit: Int)
    /// Bytes left after the single top-level value.
    case trailingBytes(offset: Int)

    public var description: String {
        switch self {
        case .truncated(let offset): "msgpack input truncated in the value at offset \(offset)"
        case .invalidMarker(let marker, let offset):
            "invalid msgpack marker 0x\(String(marker, radix: 16)) at offset \(offset)"
        case .invalidUTF8(let offset): "msgpack str at offset \(offset) is not valid UTF-8"
        case .nestingTooDeep(let limit): "msgpack nesting deeper than \(limit)"
        case .trailingBytes(let offset): "unexpected bytes after the msgpack value, at offset \(offset)"
        }
    }
}
