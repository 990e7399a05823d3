/// The gRPC length-prefixed message framing: a compressed-flag octet, a 4-octet big-endian length, the message.
public enum GRPCFraming {
    /// The prefix size.
    public static let prefixSize = 5

    /// Frames one uncompressed message.
    public static func frame(_ message: [UInt8]) -> [UInt8] {
        let length = UInt32(message.count)
        return [0, UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)]
            + message
    }
}

/// Reassembles length-prefixed messages from DATA payloads, which may split or join them anywhere.
public struct GRPCMessageReader: Sendable {
    /// The largest message accepted (gRPC's customary default is 4 MiB).
    public var maxMessageSize: Int
    private var buffer: [UInt8] = []

    public init(maxMessageSize: Int = 4 << 20) {
        self.maxMessageSize = maxMessageSize
    }

    /// Whether a partial message is buffered (an error if the stream ends now).
    public var hasPartialMessage: Bool { !buffer.isEmpty }

    /// Adds bytes and returns the messages they complete.
    public mutating func append(_ bytes: [UInt8]) throws(GRPCStatus) -> [[UInt8]] {
        buffer += bytes
        var messages: [[UInt8]] = []
        var start = 0
        while buffer.count - start >= GRPCFraming.prefixSize {
            let flag = buffer[start]
            guard flag == 0 else {
                throw GRPCStatus(
                    flag == 1 ? .unimplemented : .internal,
                    flag == 1
                        ? "compressed gRPC messages are not supported (no grpc-encoding is accepted)"
                        : "invalid gRPC message flag \(flag)")
            }
            let length = buffer[start + 1..<start + 5].reduce(0) { $0 << 8 | Int($1) }
            guard length <= maxMessageSize else {
                throw GRPCStatus(
                    .resourceExhausted, "gRPC message of \(length) bytes exceeds the limit of \(maxMessageSize)")
            }
            guard buffer.count - start - GRPCFraming.prefixSize >= length else { break }
            let body = start + GRPCFraming.prefixSize
            messages.append(Array(buffer[body..<body + length]))
            start = body + length
        }
        buffer.removeFirst(start)
        return messages
    }
}
