import JSONCore

/// Reads typed fields out of one JSON object, recording every problem with its path instead of
/// stopping at the first one. Absent and `null` fields both read as "not set".
public struct ObjectReader {
    public let fields: [String: JSONValue]
    public let path: [String]
    public private(set) var issues: [SpecIssue] = []

    public init(_ fields: [String: JSONValue], path: [String]) {
        self.fields = fields
        self.path = path
    }

    /// Records an issue at this object's path.
    public mutating func report(_ message: String) {
        issues.append(SpecIssue(path: path, message))
    }

    /// Records issues found deeper inside this object.
    public mutating func absorb(_ more: [SpecIssue]) {
        issues.append(contentsOf: more)
    }

    /// Reports each key outside `allowed` as `"<key>" is an invalid field`, in sorted order.
    public mutating func rejectUnknown(allowed: Set<String>) {
        for key in fields.keys.sorted() where !allowed.contains(key) {
            report("\"\(key)\" is an invalid field")
        }
    }

    /// The raw value, or nil when absent or null.
    public func value(_ key: String) -> JSONValue? {
        guard let value = fields[key], !value.isNull else {
            return nil
        }
        return value
    }

    /// Records a type mismatch in the helper/fields wording.
    public mutating func mismatch(_ key: String, _ value: JSONValue, _ type: String) {
        report("field \"\(key)\" with input \"\(value.displayText)\" doesn't seem to be of type \(type)")
    }

    public mutating func string(_ key: String) -> String? {
        guard let value = value(key) else {
            return nil
        }
        guard let text = value.stringValue else {
            mismatch(key, value, "string")
            return nil
        }
        return text
    }

    public mutating func bool(_ key: String) -> Bool? {
        guard let value = value(key) else {
            return nil
        }
        guard let flag = value.boolValue else {
            mismatch(key, value, "bool")
            return nil
        }
        return flag
    }

    public mutating func int64(_ key: String) -> Int64? {
        guard let value = value(key) else {
            return nil
        }
        guard let number = value.int64Value else {
            mismatch(key, value, "int")
            return nil
        }
        return number
    }

    public mutating func int(_ key: String) -> Int? {
        int64(key).flatMap { Int(exactly: $0) }
    }

    /// An array whose elements must all be strings.
    public mutating func strings(_ key: String) -> [String]? {
        guard let value = value(key) else {
            return nil
        }
        guard let elements = value.arrayValue else {
            mismatch(key, value, "array")
            return nil
        }
        var result: [String] = []
        for element in elements {
            guard let text = element.stringValue else {
                mismatch(key, element, "string")
                continue
            }
            result.append(text)
        }
        return result
    }

    /// An object whose values must all be strings.
    public mutating func stringMap(_ key: String) -> [String: String]? {
        guard let value = value(key) else {
            return nil
        }
        guard let members = value.objectValue else {
            mismatch(key, value, "map")
            return nil
        }
        var result: [String: String] = [:]
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            guard let text = member.stringValue else {
                mismatch("\(key).\(name)", member, "string")
                continue
            }
            result[name] = text
        }
        return result
    }

    /// A nested object.
    public mutating func object(_ key: String) -> [String: JSONValue]? {
        guard let value = value(key) else {
            return nil
        }
        guard let members = value.objectValue else {
            mismatch(key, value, "map")
            return nil
        }
        return members
    }

    /// An array of objects, with their indexes; non-object elements are reported and skipped.
    public mutating func objects(_ key: String) -> [(index: Int, fields: [String: JSONValue])] {
        guard let value = value(key) else {
            return []
        }
        guard let elements = value.arrayValue else {
            mismatch(key, value, "array")
            return []
        }
        var result: [(index: Int, fields: [String: JSONValue])] = []
        for (index, element) in elements.enumerated() {
            guard let members = element.objectValue else {
                mismatch("\(key)[\(index)]", element, "map")
                continue
            }
            result.append((index, members))
        }
        return result
    }
}
