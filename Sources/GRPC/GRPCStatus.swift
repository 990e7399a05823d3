/// The gRPC status codes (grpc/doc/statuscodes.md).
public enum GRPCStatusCode: Int, Sendable, CaseIterable {
    case ok = 0
    case cancelled = 1
    case unknown = 2
    case invalidArgument = 3
    case deadlineExceeded = 4
    case notFound = 5
    case alreadyExists = 6
    case permissionDenied = 7
    case resourceExhausted = 8
    case failedPrecondition = 9
    case aborted = 10
    case outOfRange = 11
    case unimplemented = 12
    case `internal` = 13
    case unavailable = 14
    case dataLoss = 15
    case unauthenticated = 16
}

/// A call's outcome as sent in the `grpc-status` / `grpc-message` trailers. Handlers throw it to fail a call.
public struct GRPCStatus: Error, Equatable, Sendable, CustomStringConvertible {
    public var code: GRPCStatusCode
    public var message: String
    /// Extra trailers, e.g. `grpc-status-details-bin` (already base64, as the value is sent).
    public var trailers: [(String, String)]

    public init(_ code: GRPCStatusCode, _ message: String = "", trailers: [(String, String)] = []) {
        self.code = code
        self.message = message
        self.trailers = trailers
    }

    public static let ok = GRPCStatus(.ok)

    public static func == (lhs: GRPCStatus, rhs: GRPCStatus) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
            && lhs.trailers.map { [$0.0, $0.1] } == rhs.trailers.map { [$0.0, $0.1] }
    }

    public var description: String { "gRPC status \(code.rawValue) (\(code)): \(message)" }
}

/// The `grpc-message` encoding: UTF-8, with every octet outside 0x20–0x7E and `%` itself written as `%XX`.
public enum GRPCMessageEncoding {
    public static func encode(_ message: String) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in message.utf8 {
            if byte >= 0x20 && byte <= 0x7e && byte != UInt8(ascii: "%") {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), digits[Int(byte >> 4)], digits[Int(byte & 0xf)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` sequences; malformed ones are kept as they are (the spec asks receivers to be lenient).
    public static func decode(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = Character(UnicodeScalar(bytes[index + 1])).hexDigitValue,
                let low = Character(UnicodeScalar(bytes[index + 2])).hexDigitValue
            {
                out.append(UInt8(high << 4 | low))
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
