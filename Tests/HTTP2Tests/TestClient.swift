import HPACK
import HTTP2

/// A scripted HTTP/2 client for driving a `ServerConnection` without sockets.
struct TestClient {
    var server: ServerConnection
    var encoder = HPACKEncoder()
    var decoder = HPACKDecoder()
    var parser = FrameParser(maxFrameSize: 1 << 24)

    /// A server that has received the preface and an empty SETTINGS, with its own preface already read.
    init(configuration: ServerConfiguration = ServerConfiguration(), settings: [Setting] = []) {
        server = ServerConnection(configuration: configuration)
        _ = server.receive(http2ConnectionPreface + Frame.settings(ack: false, settings).bytes)
        _ = frames()
    }

    /// A server that has seen nothing yet.
    init(fresh configuration: ServerConfiguration) {
        server = ServerConnection(configuration: configuration)
    }

    static let request = [
        HeaderField(":method", "POST"), HeaderField(":scheme", "http"), HeaderField(":path", "/echo.Echo/Say"),
        HeaderField(":authority", "unused"), HeaderField("content-type", "application/grpc"),
        HeaderField("te", "trailers"),
    ]

    /// Sends frames and returns the server's events.
    @discardableResult
    mutating func send(_ frames: Frame...) -> [HTTP2Event] {
        server.receive(frames.flatMap(\.bytes))
    }

    /// Sends raw bytes.
    @discardableResult
    mutating func send(raw bytes: [UInt8]) -> [HTTP2Event] { server.receive(bytes) }

    /// A HEADERS frame carrying `headers` encoded with the client's HPACK context.
    mutating func headers(_ id: UInt32, _ headers: [HeaderField] = request, endStream: Bool = false) -> Frame {
        .headers(streamID: id, fragment: encoder.encode(headers), endStream: endStream, endHeaders: true, priority: nil)
    }

    /// The frames the server wrote since the last call.
    mutating func frames() -> [Frame] {
        parser.append(server.takeOutput())
        var frames: [Frame] = []
        while let frame = try? parser.next() { frames.append(frame) }
        return frames
    }

    /// Decodes a server header block.
    mutating func decode(_ fragment: [UInt8]) -> [HeaderField] {
        (try? decoder.decode(fragment)) ?? []
    }
}

extension [HTTP2Event] {
    /// The connection error reported, if any.
    var connectionError: HTTP2Error? {
        for event in self {
            if case .connectionError(let error) = event { return error }
        }
        return nil
    }
}

extension [Frame] {
    /// The GOAWAY error code written, if any.
    var goAwayCode: HTTP2ErrorCode? {
        for frame in self {
            if case .goAway(_, let code, _) = frame { return code }
        }
        return nil
    }

    /// The RST_STREAM codes written, by stream.
    var resets: [UInt32: HTTP2ErrorCode] {
        var result: [UInt32: HTTP2ErrorCode] = [:]
        for frame in self {
            if case .rstStream(let id, let code) = frame { result[id] = code }
        }
        return result
    }

    /// The DATA payload octets written on `id`.
    func dataBytes(on id: UInt32) -> [UInt8] {
        flatMap { frame -> [UInt8] in
            if case .data(id, let payload, _, _) = frame { return payload }
            return []
        }
    }

    /// The WINDOW_UPDATE increments written on `id`.
    func windowUpdates(on id: UInt32) -> [UInt32] {
        compactMap { frame in
            if case .windowUpdate(id, let increment) = frame { return increment }
            return nil
        }
    }
}
