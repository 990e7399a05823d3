/// Codable for values embedded in Codable documents (an appc isolator's `value`, which the
/// runtime keeps as-is): objects, arrays and scalars, integers kept apart from other numbers.
extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        if let container = try? decoder.unkeyedContainer() {
            self = .array(try Self.decodeArray(container))
            return
        }
        if let container = try? decoder.container(keyedBy: AnyKey.self) {
            var object: [String: JSONValue] = [:]
            for key in container.allKeys {
                object[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
            }
            self = .object(object)
            return
        }
        self = try Self.decodeScalar(try decoder.singleValueContainer())
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values {
                try container.encode(value)
            }
        case .object(let members):
            var container = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in members {
                try container.encode(value, forKey: AnyKey(key))
            }
        default:
            try encodeScalar(encoder.singleValueContainer())
        }
    }

    private static func decodeArray(_ container: any UnkeyedDecodingContainer) throws -> [JSONValue] {
        var container = container
        var values: [JSONValue] = []
        while !container.isAtEnd {
            values.append(try container.decode(JSONValue.self))
        }
        return values
    }

    /// Tries the scalar types from the most to the least specific.
    private static func decodeScalar(_ container: any SingleValueDecodingContainer) throws -> JSONValue {
        if container.decodeNil() {
            return .null
        }
        if let value = try? container.decode(Bool.self) {
            return .bool(value)
        }
        if let value = try? container.decode(Int64.self) {
            return .integer(value)
        }
        if let value = try? container.decode(Double.self) {
            return .double(value)
        }
        return .string(try container.decode(String.self))
    }

    private func encodeScalar(_ container: any SingleValueEncodingContainer) throws {
        var container = container
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array, .object: break
        }
    }
}

/// A coding key for arbitrary object member names.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(_ string: String) {
        stringValue = string
    }

    init?(stringValue: String) {
        self.stringValue = stringValue
    }

    init?(intValue: Int) {
        return nil
    }
}
