/// Appends protobuf fields: each call writes one key (field number + wire type) and its value.
///
/// Writers do not omit default values; proto3 messages decide that themselves (see the `…IfSet` helpers).
public struct ProtobufWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// Appends a raw varint (no key).
    public mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends a field key.
    public mutating func appendKey(_ field: Int, _ type: WireType) {
        precondition(field > 0 && field < 1 << 29, "protobuf field number out of range")
        appendVarint(UInt64(field) << 3 | UInt64(type.rawValue))
    }

    /// uint64 / uint32 / enum-as-unsigned.
    public mutating func write(_ field: Int, uint64 value: UInt64) {
        appendKey(field, .varint)
        appendVarint(value)
    }

    /// int64, and int32 / enums, which are sign-extended: a negative value takes 10 octets.
    public mutating func write(_ field: Int, int64 value: Int64) { write(field, uint64: UInt64(bitPattern: value)) }

    /// sint64 (ZigZag).
    public mutating func write(_ field: Int, sint64 value: Int64) { write(field, uint64: ZigZag.encode(value)) }

    /// bool.
    public mutating func write(_ field: Int, bool value: Bool) { write(field, uint64: value ? 1 : 0) }

    /// fixed32 / sfixed32 / float bits, little-endian.
    public mutating func write(_ field: Int, fixed32 value: UInt32) {
        appendKey(field, .fixed32)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    /// fixed64 / sfixed64 / double bits, little-endian.
    public mutating func write(_ field: Int, fixed64 value: UInt64) {
        appendKey(field, .fixed64)
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// double.
    public mutating func write(_ field: Int, double value: Double) { write(field, fixed64: value.bitPattern) }

    /// float.
    public mutating func write(_ field: Int, float value: Float) { write(field, fixed32: value.bitPattern) }

    /// bytes.
    public mutating func write(_ field: Int, bytes value: some Collection<UInt8>) {
        appendKey(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// string.
    public mutating func write(_ field: Int, string value: String) { write(field, bytes: Array(value.utf8)) }

    /// An embedded message (always written, even when empty: presence matters for messages).
    public mutating func write(_ field: Int, message value: some ProtobufMessage) {
        write(field, bytes: value.serialized())
    }

    /// An embedded message built in place.
    public mutating func writeMessage(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        build(&nested)
        write(field, bytes: nested.bytes)
    }

    /// A packed repeated varint field (proto3's default for repeated scalars); nothing when empty.
    public mutating func write(_ field: Int, packed values: [UInt64]) {
        guard !values.isEmpty else { return }
        var nested = ProtobufWriter()
        for value in values { nested.appendVarint(value) }
        write(field, bytes: nested.bytes)
    }

    /// A map entry: `{1: key, 2: value}` as an embedded message.
    public mutating func writeMapEntry(_ field: Int, key: String, _ value: (inout ProtobufWriter) -> Void) {
        writeMessage(field) { entry in
            entry.write(1, string: key)
            value(&entry)
        }
    }

    // Proto3 helpers that skip default values.

    /// A string, unless empty.
    public mutating func write(_ field: Int, stringIfSet value: String) {
        if !value.isEmpty { write(field, string: value) }
    }

    /// Bytes, unless empty.
    public mutating func write(_ field: Int, bytesIfSet value: [UInt8]) {
        if !value.isEmpty { write(field, bytes: value) }
    }

    /// An int64 / int32 / enum, unless zero.
    public mutating func write(_ field: Int, int64IfSet value: Int64) {
        if value != 0 { write(field, int64: value) }
    }

    /// A uint64 / uint32, unless zero.
    public mutating func write(_ field: Int, uint64IfSet value: UInt64) {
        if value != 0 { write(field, uint64: value) }
    }

    /// A bool, unless false.
    public mutating func write(_ field: Int, boolIfSet value: Bool) {
        if value { write(field, bool: true) }
    }

    /// A double, unless zero.
    public mutating func write(_ field: Int, doubleIfSet value: Double) {
        if value != 0 { write(field, double: value) }
    }
}
