import FoundationEssentials
import JSONCore

/// JSON encoding with stable key order (STYLE §5.11): everything we persist, print or compare.
public enum JSON {
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    public static func encodeString<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        String(decoding: try encode(value, pretty: pretty), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        do {
            return try decoder.decode(type, from: Data(bytes))
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            // JSONDecoder says only that the text is not JSON; the shared parser says where.
            do {
                _ = try JSONValue.parse(bytes)
            } catch {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(error)"))
            }
            throw DecodingError.dataCorrupted(context)
        }
    }
}
