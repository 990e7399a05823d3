import HPACK

/// The 24 octets every client connection starts with (RFC 9113 §3.4).
public let http2ConnectionPreface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

/// A sans-IO HTTP/2 server connection (RFC 9113): bytes in, events and bytes out.
///
/// Feed received bytes to `receive`, act on the events, and write `takeOutput()` to the peer after every call
/// (including the send calls). Our SETTINGS are queued at creation, as the server preface. Data is sent within
/// the peer's connection and stream windows and SETTINGS_MAX_FRAME_SIZE; what does not fit waits in a per-stream
/// queue until WINDOW_UPDATE or SETTINGS make room. Received DATA is credited back automatically once half a
/// window is used, so a slow consumer gets no backpressure from this layer.
public struct ServerConnection: Sendable {
    enum Phase: Sendable {
        case awaitingPreface, awaitingSettings, open, closed
    }

    let configuration: ServerConfiguration
    var phase = Phase.awaitingPreface
    var parser: FrameParser
    var decoder: HPACKDecoder
    var encoder: HPACKEncoder
    /// The client's settings (limits on what we send).
    public internal(set) var peerSettings = HTTP2Settings()
    var streams: [UInt32: StreamState] = [:]
    var lastPeerStreamID: UInt32 = 0
    var pendingBlock: PendingBlock?
    /// Octets we may still send on the connection (the client's connection window).
    public internal(set) var connectionSendWindow = 65_535
    var connectionReceiveWindow = 65_535
    var goAwaySent = false
    var output: [UInt8] = []

    /// Creates a connection and queues the server preface (SETTINGS, then the connection WINDOW_UPDATE).
    public init(configuration: ServerConfiguration = ServerConfiguration()) {
        precondition(configuration.initialWindowSize >= 65_535, "initial window below the protocol default")
        self.configuration = configuration
        parser = FrameParser(maxFrameSize: configuration.maxFrameSize)
        decoder = HPACKDecoder(maxTableSize: 4096, maxHeaderListSize: configuration.maxHeaderListSize)
        encoder = HPACKEncoder(maxTableSize: 4096)
        configuration.settingsFrame.serialize(to: &output)
        if configuration.connectionWindowSize > connectionReceiveWindow {
            let increment = configuration.connectionWindowSize - connectionReceiveWindow
            Frame.windowUpdate(streamID: 0, increment: UInt32(increment)).serialize(to: &output)
            connectionReceiveWindow = configuration.connectionWindowSize
        }
    }

    /// Whether the connection failed or finished; write out the remaining output, then close the socket.
    public var isClosed: Bool { phase == .closed }

    /// Whether bytes are waiting to be written.
    public var hasOutput: Bool { !output.isEmpty }

    /// The ids of streams still open in either direction.
    public var activeStreamIDs: [UInt32] { streams.keys.sorted() }

    /// Takes the bytes to write to the peer.
    public mutating func takeOutput() -> [UInt8] {
        defer { output = [] }
        return output
    }

    /// The octets we may still send on `streamID` (the client's stream window), or nil for an unknown stream.
    public func sendWindow(of streamID: UInt32) -> Int? { streams[streamID]?.sendWindow }

    /// Gives `count` octets of a stream's receive window back, once its owner has consumed that
    /// much of the stream's DATA: so a stream whose reader falls behind stops the client after one
    /// window, instead of growing the reader's queue. WINDOW_UPDATE goes out once half a window
    /// is owed; nothing is owed to a stream that is gone or whose client has finished sending.
    public mutating func consumed(_ count: Int, on streamID: UInt32) {
        guard count > 0, var stream = streams[streamID], !stream.remoteClosed else {
            return
        }
        stream.owedCredit += count
        if stream.owedCredit >= configuration.initialWindowSize / 2 {
            Frame.windowUpdate(streamID: streamID, increment: UInt32(stream.owedCredit)).serialize(to: &output)
            stream.receiveWindow += stream.owedCredit
            stream.owedCredit = 0
        }
        streams[streamID] = stream
    }

    /// The octets queued on `streamID` that wait for flow-control credit.
    public func queuedBytes(on streamID: UInt32) -> Int { streams[streamID]?.queuedBytes ?? 0 }

    /// Processes received bytes and reports what happened.
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [HTTP2Event] {
        guard phase != .closed else { return [] }
        parser.append(bytes)
        var events: [HTTP2Event] = []
        do {
            guard try readPreface() else { return events }
            while let frame = try nextFrame(&events) {
                do {
                    try handle(frame, &events)
                } catch {
                    try handleStreamError(error, &events)
                }
            }
        } catch {
            fail(error, &events)
        }
        return events
    }

    /// Sends GOAWAY with the highest stream id we processed; later new streams are ignored.
    public mutating func goAway(_ code: HTTP2ErrorCode = .noError, debug: String = "") {
        guard phase != .closed else { return }
        Frame.goAway(lastStreamID: lastPeerStreamID, code, debug: Array(debug.utf8)).serialize(to: &output)
        goAwaySent = true
    }

    /// Marks the connection closed after its socket went away: queued output is dropped and sends now fail.
    public mutating func markClosed() {
        phase = .closed
        streams = [:]
        output = []
    }

    /// Sends a PING; the ACK arrives as `.pingAck`.
    public mutating func ping(_ opaque: [UInt8]) {
        precondition(opaque.count == 8, "PING carries exactly 8 octets")
        guard phase != .closed else { return }
        Frame.ping(ack: false, opaque: opaque).serialize(to: &output)
    }

    private mutating func readPreface() throws(HTTP2Error) -> Bool {
        guard phase == .awaitingPreface else { return true }
        let received = parser.buffered.prefix(http2ConnectionPreface.count)
        guard received.elementsEqual(http2ConnectionPreface.prefix(received.count)) else {
            throw .connection(.protocolError, "invalid connection preface (not an HTTP/2 client?)")
        }
        guard parser.take(http2ConnectionPreface.count) != nil else { return false }
        phase = .awaitingSettings
        return true
    }

    private mutating func nextFrame(_ events: inout [HTTP2Event]) throws(HTTP2Error) -> Frame? {
        while true {
            do {
                return try parser.next()
            } catch {
                try handleStreamError(error, &events)
            }
        }
    }

    /// Resets the stream for a stream error; rethrows connection errors.
    private mutating func handleStreamError(_ error: HTTP2Error, _ events: inout [HTTP2Event]) throws(HTTP2Error) {
        guard case .stream(let id, let code, _) = error else { throw error }
        Frame.rstStream(streamID: id, code).serialize(to: &output)
        if streams.removeValue(forKey: id) != nil {
            events.append(.streamReset(streamID: id, code: code, byPeer: false))
        }
    }

    private mutating func fail(_ error: HTTP2Error, _ events: inout [HTTP2Event]) {
        let message = Array(error.description.utf8.prefix(256))
        Frame.goAway(lastStreamID: lastPeerStreamID, error.code, debug: message).serialize(to: &output)
        phase = .closed
        streams = [:]
        events.append(.connectionError(error))
    }
}

/// A header block still waiting for CONTINUATION frames.
struct PendingBlock: Sendable {
    var streamID: UInt32
    var block: [UInt8]
    var endStream: Bool
}

/// One stream's state, seen from the server.
struct StreamState: Sendable {
    /// Something the application asked to send, waiting its turn (and, for DATA, flow-control credit).
    enum Outbound: Sendable {
        case headers([HeaderField], endStream: Bool)
        case data(ArraySlice<UInt8>, endStream: Bool)
    }

    var remoteClosed: Bool
    var localClosed = false
    var endQueued = false
    var sendWindow: Int
    var receiveWindow: Int
    /// Octets of DATA consumed by the stream's owner and not yet given back by WINDOW_UPDATE.
    var owedCredit = 0
    var pending: [Outbound] = []

    var queuedBytes: Int {
        pending.reduce(0) { total, item in
            if case .data(let bytes, _) = item { return total + bytes.count }
            return total
        }
    }
}
