/// A value in a flat JSON object: the state files hold nothing else.
public enum FlatValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case bool(Bool)
    case null

    /// The integer, if this is one.
    public var integerValue: Int64? {
        if case .integer(let value) = self {
            return value
        }
        return nil
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let value) = self {
            return value
        }
        return nil
    }

    /// The boolean, if this is one.
    public var boolValue: Bool? {
        if case .bool(let value) = self {
            return value
        }
        return nil
    }
}

/// Writes flat JSON objects (string keys, scalar values) in the order given, one line, with a final newline.
///
/// The executor must not link Foundation, and its files are small and flat, so a few lines replace
/// `JSONEncoder`. Key order is the caller's, which keeps files stable for diffs (STYLE §5.11).
enum FlatJSONEncoder {
    static func encode(_ fields: [(String, FlatValue)]) -> String {
        var out = "{"
        for (index, (key, value)) in fields.enumerated() {
            out += index == 0 ? "" : ","
            out += quote(key) + ":"
            switch value {
            case .string(let text): out += quote(text)
            case .integer(let number): out += String(number)
            case .bool(let flag): out += flag ? "true" : "false"
            case .null: out += "null"
            }
        }
        return out + "}\n"
    }

    static func quote(_ text: String) -> String {
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
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
