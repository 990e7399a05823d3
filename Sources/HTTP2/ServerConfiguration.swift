import HPACK

/// What a server connection advertises and enforces.
public struct ServerConfiguration: Sendable {
    /// SETTINGS_MAX_FRAME_SIZE: the largest frame payload we accept.
    public var maxFrameSize = 16_384
    /// SETTINGS_INITIAL_WINDOW_SIZE: each stream's receive window. At least 65 535, so that data the
    /// client sends before it sees our SETTINGS never exceeds the window we enforce.
    public var initialWindowSize = 1 << 20
    /// The connection receive window we keep open (raised from 65 535 by a WINDOW_UPDATE at start).
    public var connectionWindowSize = 1 << 20
    /// SETTINGS_MAX_CONCURRENT_STREAMS: streams beyond it are refused with REFUSED_STREAM.
    public var maxConcurrentStreams = 1000
    /// SETTINGS_HEADER_TABLE_SIZE: the HPACK table size the client's encoder may use.
    public var headerTableSize = 4096
    /// SETTINGS_MAX_HEADER_LIST_SIZE, also the cap on one accumulated header block.
    public var maxHeaderListSize = 1 << 18
    /// The largest HPACK table our encoder uses, whatever the client allows.
    public var encoderTableSize = 4096

    public init() {}

    /// The SETTINGS frame sent as the server connection preface.
    var settingsFrame: Frame {
        var settings = [
            Setting(.maxConcurrentStreams, UInt32(maxConcurrentStreams)),
            Setting(.initialWindowSize, UInt32(initialWindowSize)),
            Setting(.maxFrameSize, UInt32(maxFrameSize)),
            Setting(.maxHeaderListSize, UInt32(maxHeaderListSize)),
        ]
        if headerTableSize != 4096 { settings.insert(Setting(.headerTableSize, UInt32(headerTableSize)), at: 0) }
        return .settings(ack: false, settings)
    }
}

/// What a server connection reports to its owner after reading bytes.
public enum HTTP2Event: Equatable, Sendable {
    /// A client opened a stream with a valid request header block.
    case request(streamID: UInt32, headers: [HeaderField], endStream: Bool)
    /// Request body bytes (padding removed). The connection window is replenished by the connection;
    /// the stream's only as the owner reports the bytes consumed (`consumed(_:on:)`).
    case data(streamID: UInt32, bytes: [UInt8], endStream: Bool)
    /// The request's trailers (a second header block, which ends the client's side).
    case trailers(streamID: UInt32, headers: [HeaderField])
    /// The stream is gone: reset by the peer (`byPeer`), or by us after a stream error; stop producing for it.
    case streamReset(streamID: UInt32, code: HTTP2ErrorCode, byPeer: Bool)
    /// The client sent GOAWAY: no new streams will come; existing ones up to `lastStreamID` may finish.
    case goAway(lastStreamID: UInt32, code: HTTP2ErrorCode, debug: [UInt8])
    /// The client acknowledged one of our PINGs.
    case pingAck(opaque: [UInt8])
    /// A connection error: GOAWAY is in the output; flush it and close the socket.
    case connectionError(HTTP2Error)
}

/// Why a send call was refused. Not a protocol error: the stream or connection is simply gone.
public enum HTTP2SendError: Error, Equatable, Sendable {
    /// The stream is unknown, was reset, or already has END_STREAM queued.
    case streamNotWritable(UInt32)
    /// The connection has failed or closed.
    case connectionClosed
}
