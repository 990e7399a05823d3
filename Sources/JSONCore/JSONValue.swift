/// A parsed JSON document, kept as plain values so decoders can walk it with paths and report
/// every problem at once (Codable stops at the first one and loses the path).
///
/// Integers without a fraction or exponent that fit in 64 bits are kept exact as `.integer`;
/// every other number is a `.double`.
public enum JSONValue: Equatable, Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self {
            return value
        }
        return nil
    }

    /// The bool, when this is a bool (no weak typing: `"true"` is not a bool).
    public var boolValue: Bool? {
        if case .bool(let value) = self {
            return value
        }
        return nil
    }

    /// The number as an exact integer, when it has no fractional part.
    public var int64Value: Int64? {
        switch self {
        case .integer(let value):
            return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.2e18:
            return Int64(value)
        default:
            return nil
        }
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self {
            return value
        }
        return nil
    }

    /// The members, when this is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let value) = self {
            return value
        }
        return nil
    }

    /// True for `null`.
    public var isNull: Bool { self == .null }

    /// The text used for this value inside error messages: scalars as written, containers as
    /// compact JSON with sorted keys.
    public var displayText: String {
        switch self {
        case .string(let value):
            return value
        default:
            return compactJSON
        }
    }

    /// Compact JSON with object keys sorted, so output is stable (STYLE §5.11).
    public var compactJSON: String {
        switch self {
        case .null:
            return "null"
        case .bool(let value):
            return value ? "true" : "false"
        case .integer(let value):
            return String(value)
        case .double(let value):
            return value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .string(let value):
            return JSONValue.quoted(value)
        case .array(let values):
            return "[" + values.map(\.compactJSON).joined(separator: ",") + "]"
        case .object(let members):
            let pairs = members.sorted { $0.key < $1.key }.map { JSONValue.quoted($0.key) + ":" + $0.value.compactJSON }
            return "{" + pairs.joined(separator: ",") + "}"
        }
    }

    /// A compact JSON object with its members in the order given (for files whose key order should
    /// read well and diff cleanly).
    public static func compactObject(_ members: [(String, JSONValue)]) -> String {
        "{" + members.map { quoted($0.0) + ":" + $0.1.compactJSON }.joined(separator: ",") + "}"
    }

    /// A JSON string literal for `text`.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
