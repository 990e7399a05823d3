/// The error codes of RFC 9113 §7, carried by RST_STREAM and GOAWAY.
public struct HTTP2ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let noError = HTTP2ErrorCode(rawValue: 0x0)
    public static let protocolError = HTTP2ErrorCode(rawValue: 0x1)
    public static let internalError = HTTP2ErrorCode(rawValue: 0x2)
    public static let flowControlError = HTTP2ErrorCode(rawValue: 0x3)
    public static let settingsTimeout = HTTP2ErrorCode(rawValue: 0x4)
    public static let streamClosed = HTTP2ErrorCode(rawValue: 0x5)
    public static let frameSizeError = HTTP2ErrorCode(rawValue: 0x6)
    public static let refusedStream = HTTP2ErrorCode(rawValue: 0x7)
    public static let cancel = HTTP2ErrorCode(rawValue: 0x8)
    public static let compressionError = HTTP2ErrorCode(rawValue: 0x9)
    public static let connectError = HTTP2ErrorCode(rawValue: 0xa)
    public static let enhanceYourCalm = HTTP2ErrorCode(rawValue: 0xb)
    public static let inadequateSecurity = HTTP2ErrorCode(rawValue: 0xc)
    public static let http11Required = HTTP2ErrorCode(rawValue: 0xd)

    private static let names = [
        "NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
        "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
        "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
    ]

    public var description: String {
        rawValue < Self.names.count ? Self.names[Int(rawValue)] : "UNKNOWN_ERROR(0x\(String(rawValue, radix: 16)))"
    }
}

/// A protocol violation found while reading frames, scoped as RFC 9113 §5.4 requires.
public enum HTTP2Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// The whole connection is unusable: send GOAWAY with `code` and close.
    case connection(HTTP2ErrorCode, String)
    /// Only one stream is affected: send RST_STREAM with `code` on it; the connection continues.
    case stream(UInt32, HTTP2ErrorCode, String)

    /// The error code to put on the wire.
    public var code: HTTP2ErrorCode {
        switch self {
        case .connection(let code, _), .stream(_, let code, _): code
        }
    }

    public var description: String {
        switch self {
        case .connection(let code, let message): "connection error \(code): \(message)"
        case .stream(let id, let code, let message): "stream \(id) error \(code): \(message)"
        }
    }
}
