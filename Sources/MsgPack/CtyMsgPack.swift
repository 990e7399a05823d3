/// Helpers for the go-cty msgpack shape Nomad uses for task and plugin configs (reference §5).
///
/// Objects are maps with every schema attribute present, keys sorted bytewise, absent values as nil;
/// numbers are the smallest integer form when integral (unsigned markers for positives), else float64,
/// else (rarely) a decimal string.
public enum CtyMsgPack {
    /// cty's "unknown value" marker: ext type 0 with one zero octet (`d4 00 00`).
    public static let unknown = MsgPackValue.ext(type: 0, data: [0])

    /// An object: the attributes as a map sorted bytewise by name.
    public static func object(_ attributes: [String: MsgPackValue]) -> MsgPackValue {
        .map(
            attributes.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map {
                MsgPackPair(.string($0.key), $0.value)
            })
    }

    /// A number as cty encodes it: an integer when integral and within Int64, otherwise float64.
    public static func number(_ value: Double) -> MsgPackValue {
        if value.rounded(.towardZero) == value, let integer = Int64(exactly: value) { return .int(integer) }
        return .double(value)
    }

    /// Reads a cty number in any of its encodings: any integer or float marker, or a decimal string.
    public static func numberValue(_ value: MsgPackValue) -> Double? {
        switch value {
        case .int(let integer): Double(integer)
        case .uint(let integer): Double(integer)
        case .float(let float): Double(float)
        case .double(let double): double
        case .string(let text): Double(text)
        default: nil
        }
    }

    /// The attributes of a cty object (map with string keys); nil for any other value. Nil attributes stay `.null`.
    public static func attributes(_ value: MsgPackValue) -> [String: MsgPackValue]? {
        guard case .map(let pairs) = value else { return nil }
        var result: [String: MsgPackValue] = [:]
        for pair in pairs {
            guard case .string(let key) = pair.key else { return nil }
            result[key] = pair.value
        }
        return result
    }

    /// Merges a `list(map(T))` attribute (how Nomad delivers map-valued task attributes) into one map; later
    /// elements win. Nil for anything but an array of string-keyed maps, or `.null` (→ empty).
    public static func mergedListOfMaps(_ value: MsgPackValue) -> [String: MsgPackValue]? {
        if value == .null { return [:] }
        guard let elements = value.arrayValue else { return nil }
        var merged: [String: MsgPackValue] = [:]
        for element in elements {
            guard let map = attributes(element) else { return nil }
            merged.merge(map) { _, new in new }
        }
        return merged
    }
}
