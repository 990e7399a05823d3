/// Splits a byte stream into frames and checks each frame's own layout (RFC 9113 §4, §6).
///
/// Checks that need connection state (stream states, CONTINUATION order, flow control) belong to
/// `ServerConnection`. A thrown `.stream` error has consumed its frame, so parsing can go on.
public struct FrameParser: Sendable {
    /// The largest payload accepted: the SETTINGS_MAX_FRAME_SIZE we advertised.
    public var maxFrameSize: Int
    private var buffer: [UInt8] = []
    private var start = 0  // first unread octet of `buffer`

    /// Creates a parser that accepts payloads up to `maxFrameSize` octets.
    public init(maxFrameSize: Int = 16_384) {
        self.maxFrameSize = maxFrameSize
    }

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The number of received bytes not yet parsed.
    public var bufferedCount: Int { buffer.count - start }

    /// The received bytes not yet parsed.
    public var buffered: ArraySlice<UInt8> { buffer[start...] }

    /// Takes raw bytes off the front (for the connection preface), or nil if fewer are buffered.
    public mutating func take(_ count: Int) -> [UInt8]? {
        guard bufferedCount >= count else { return nil }
        defer { start += count }
        return Array(buffer[start..<start + count])
    }

    /// The next complete frame, or nil when more bytes are needed.
    public mutating func next() throws(HTTP2Error) -> Frame? {
        guard bufferedCount >= FrameHeader.size else { return nil }
        let header = FrameHeader(buffer[start..<start + FrameHeader.size])
        guard header.length <= maxFrameSize else {
            // The frame cannot be skipped reliably without buffering it; treat it as fatal (RFC 9113 §4.2).
            throw .connection(.frameSizeError, "frame of \(header.length) octets exceeds the maximum \(maxFrameSize)")
        }
        guard bufferedCount >= FrameHeader.size + header.length else { return nil }
        let payloadStart = start + FrameHeader.size
        let payload = buffer[payloadStart..<payloadStart + header.length]
        start = payloadStart + header.length
        return try Self.parse(header, payload)
    }

    /// Interprets one frame's payload.
    public static func parse(_ header: FrameHeader, _ payload: ArraySlice<UInt8>) throws(HTTP2Error) -> Frame {
        guard let type = FrameType(rawValue: header.type) else {
            return .unknown(type: header.type, flags: header.flags, streamID: header.streamID, payload: Array(payload))
        }
        let id = header.streamID
        switch type {
        case .data:
            try requireStream(id, "DATA")
            let body = try unpad(header, payload, "DATA")
            return .data(
                streamID: id, payload: Array(body), endStream: header.flags & FrameFlag.endStream != 0,
                flowControlledLength: payload.count)
        case .headers: return try parseHeaders(header, payload)
        case .priority:
            try requireStream(id, "PRIORITY")
            guard payload.count == 5 else { throw .stream(id, .frameSizeError, "PRIORITY payload must be 5 octets") }
            return .priority(streamID: id, PriorityFields(payload))
        case .rstStream:
            try requireStream(id, "RST_STREAM")
            try requireLength(payload, 4, "RST_STREAM")
            return .rstStream(streamID: id, HTTP2ErrorCode(rawValue: readUInt32(payload, at: payload.startIndex)))
        case .settings: return try parseSettings(header, payload)
        case .pushPromise:
            throw .connection(.protocolError, "PUSH_PROMISE received by a server (clients cannot push)")
        case .ping:
            try requireConnection(id, "PING")
            try requireLength(payload, 8, "PING")
            return .ping(ack: header.flags & FrameFlag.ack != 0, opaque: Array(payload))
        case .goAway:
            try requireConnection(id, "GOAWAY")
            guard payload.count >= 8 else { throw .connection(.frameSizeError, "GOAWAY payload shorter than 8 octets") }
            let base = payload.startIndex
            return .goAway(
                lastStreamID: readUInt32(payload, at: base) & 0x7fff_ffff,
                HTTP2ErrorCode(rawValue: readUInt32(payload, at: base + 4)), debug: Array(payload.dropFirst(8)))
        case .windowUpdate:
            try requireLength(payload, 4, "WINDOW_UPDATE")
            let increment = readUInt32(payload, at: payload.startIndex) & 0x7fff_ffff
            guard increment > 0 else {
                let message = "WINDOW_UPDATE with increment 0"
                throw id == 0 ? .connection(.protocolError, message) : .stream(id, .protocolError, message)
            }
            return .windowUpdate(streamID: id, increment: increment)
        case .continuation:
            try requireStream(id, "CONTINUATION")
            return .continuation(
                streamID: id, fragment: Array(payload), endHeaders: header.flags & FrameFlag.endHeaders != 0)
        }
    }

    private static func parseHeaders(_ header: FrameHeader, _ payload: ArraySlice<UInt8>) throws(HTTP2Error) -> Frame {
        let id = header.streamID
        try requireStream(id, "HEADERS")
        var body = try unpad(header, payload, "HEADERS")
        var priority: PriorityFields?
        if header.flags & FrameFlag.priority != 0 {
            guard body.count >= 5 else {
                throw .connection(.frameSizeError, "HEADERS too short for its PRIORITY fields")
            }
            priority = PriorityFields(body.prefix(5))
            body = body.dropFirst(5)
        }
        return .headers(
            streamID: id, fragment: Array(body), endStream: header.flags & FrameFlag.endStream != 0,
            endHeaders: header.flags & FrameFlag.endHeaders != 0, priority: priority)
    }

    private static func parseSettings(_ header: FrameHeader, _ payload: ArraySlice<UInt8>) throws(HTTP2Error) -> Frame {
        try requireConnection(header.streamID, "SETTINGS")
        let ack = header.flags & FrameFlag.ack != 0
        if ack && !payload.isEmpty { throw .connection(.frameSizeError, "SETTINGS ACK with a payload") }
        guard payload.count % 6 == 0 else { throw .connection(.frameSizeError, "SETTINGS payload not a multiple of 6") }
        var settings: [Setting] = []
        var index = payload.startIndex
        while index < payload.endIndex {
            let id = UInt16(payload[index]) << 8 | UInt16(payload[index + 1])
            settings.append(Setting(SettingID(rawValue: id), readUInt32(payload, at: index + 2)))
            index += 6
        }
        return .settings(ack: ack, settings)
    }

    /// Strips padding (RFC 9113 §6.1): a length octet, then the padding at the end.
    private static func unpad(
        _ header: FrameHeader, _ payload: ArraySlice<UInt8>, _ name: String
    ) throws(HTTP2Error) -> ArraySlice<UInt8> {
        guard header.flags & FrameFlag.padded != 0 else { return payload }
        guard let padLength = payload.first.map(Int.init), padLength < payload.count else {
            throw .connection(.protocolError, "\(name) padding is not shorter than the payload")
        }
        return payload.dropFirst().dropLast(padLength)
    }

    private static func requireStream(_ id: UInt32, _ name: String) throws(HTTP2Error) {
        guard id != 0 else { throw .connection(.protocolError, "\(name) on stream 0") }
    }

    private static func requireConnection(_ id: UInt32, _ name: String) throws(HTTP2Error) {
        guard id == 0 else { throw .connection(.protocolError, "\(name) on stream \(id), must be stream 0") }
    }

    private static func requireLength(_ payload: ArraySlice<UInt8>, _ length: Int, _ name: String) throws(HTTP2Error) {
        guard payload.count == length else {
            throw .connection(.frameSizeError, "\(name) payload is \(payload.count) octets, must be \(length)")
        }
    }
}

extension PriorityFields {
    init(_ bytes: ArraySlice<UInt8>) {
        let word = readUInt32(bytes, at: bytes.startIndex)
        self.init(
            exclusive: word & 0x8000_0000 != 0, dependency: word & 0x7fff_ffff, weight: bytes[bytes.startIndex + 4])
    }
}
