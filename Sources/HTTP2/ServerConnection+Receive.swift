import HPACK

extension ServerConnection {
    mutating func handle(_ frame: Frame, _ events: inout [HTTP2Event]) throws(HTTP2Error) {
        if let pending = pendingBlock, !frame.continues(pending.streamID) {
            throw .connection(.protocolError, "expected CONTINUATION for stream \(pending.streamID), got \(frame.name)")
        }
        if phase == .awaitingSettings {
            guard case .settings(ack: false, _) = frame else {
                throw .connection(.protocolError, "first frame after the preface must be SETTINGS, got \(frame.name)")
            }
            phase = .open
        }
        switch frame {
        case .data(let id, let payload, let endStream, let length):
            try receiveData(id, payload, endStream: endStream, flowControlledLength: length, &events)
        case .headers(let id, let fragment, let endStream, let endHeaders, _):
            pendingBlock = PendingBlock(streamID: id, block: fragment, endStream: endStream)
            if endHeaders { try finishBlock(&events) }
        case .continuation(let id, let fragment, let endHeaders):
            guard pendingBlock != nil else {
                throw .connection(.protocolError, "CONTINUATION on stream \(id) without HEADERS")
            }
            pendingBlock?.block += fragment
            guard pendingBlock?.block.count ?? 0 <= configuration.maxHeaderListSize else {
                throw .connection(
                    .enhanceYourCalm, "header block on stream \(id) larger than \(configuration.maxHeaderListSize)")
            }
            if endHeaders { try finishBlock(&events) }
        case .priority(let id, let fields):
            guard fields.dependency != id else { throw .stream(id, .protocolError, "stream \(id) depends on itself") }
        case .rstStream(let id, let code):
            guard id <= lastPeerStreamID else { throw .connection(.protocolError, "RST_STREAM on idle stream \(id)") }
            if streams.removeValue(forKey: id) != nil {
                events.append(.streamReset(streamID: id, code: code, byPeer: true))
            }
        case .settings(let ack, let settings):
            try receiveSettings(ack: ack, settings)
        case .ping(let ack, let opaque):
            if ack {
                events.append(.pingAck(opaque: opaque))
            } else {
                Frame.ping(ack: true, opaque: opaque).serialize(to: &output)
            }
        case .goAway(let last, let code, let debug):
            events.append(.goAway(lastStreamID: last, code: code, debug: debug))
        case .windowUpdate(let id, let increment):
            try receiveWindowUpdate(id, Int(increment))
        case .pushPromise, .unknown:
            return  // the parser rejects PUSH_PROMISE; unknown frame types are ignored
        }
    }

    private mutating func receiveData(
        _ id: UInt32, _ payload: [UInt8], endStream: Bool, flowControlledLength length: Int,
        _ events: inout [HTTP2Event]
    ) throws(HTTP2Error) {
        // The connection window counts every DATA frame, even on streams we already closed (RFC 9113 §6.9).
        guard length <= connectionReceiveWindow else {
            throw .connection(
                .flowControlError, "DATA of \(length) octets exceeds the connection window \(connectionReceiveWindow)")
        }
        connectionReceiveWindow -= length
        if connectionReceiveWindow < configuration.connectionWindowSize / 2 {
            let increment = configuration.connectionWindowSize - connectionReceiveWindow
            Frame.windowUpdate(streamID: 0, increment: UInt32(increment)).serialize(to: &output)
            connectionReceiveWindow = configuration.connectionWindowSize
        }
        guard id <= lastPeerStreamID else { throw .connection(.protocolError, "DATA on idle stream \(id)") }
        guard var stream = streams[id], !stream.remoteClosed else {
            throw .stream(id, .streamClosed, "DATA on stream \(id) after its END_STREAM or reset")
        }
        guard length <= stream.receiveWindow else {
            throw .stream(
                id, .flowControlError, "DATA of \(length) octets exceeds stream \(id)'s window \(stream.receiveWindow)")
        }
        stream.receiveWindow -= length
        stream.remoteClosed = endStream
        streams[id] = stream
        consumed(length - payload.count, on: id)  // padding is nobody's to consume
        events.append(.data(streamID: id, bytes: payload, endStream: endStream))
        if endStream { closeIfDone(id) }
    }

    private mutating func finishBlock(_ events: inout [HTTP2Event]) throws(HTTP2Error) {
        guard let pending = pendingBlock else { return }
        pendingBlock = nil
        let headers: [HeaderField]
        do {
            headers = try decoder.decode(pending.block)
        } catch {
            throw .connection(.compressionError, "header block on stream \(pending.streamID): \(error)")
        }
        let id = pending.streamID
        if id > lastPeerStreamID {
            try openStream(id, headers, endStream: pending.endStream, &events)
            return
        }
        guard var stream = streams[id], !stream.remoteClosed else {
            throw .stream(id, .streamClosed, "HEADERS on stream \(id) after its END_STREAM or reset")
        }
        guard pending.endStream else {
            throw .stream(id, .protocolError, "trailers on stream \(id) without END_STREAM")
        }
        guard !headers.contains(where: { $0.name.hasPrefix(":") }) else {
            throw .stream(id, .protocolError, "pseudo-header in trailers on stream \(id)")
        }
        stream.remoteClosed = true
        streams[id] = stream
        events.append(.trailers(streamID: id, headers: headers))
        closeIfDone(id)
    }

    private mutating func openStream(
        _ id: UInt32, _ headers: [HeaderField], endStream: Bool, _ events: inout [HTTP2Event]
    ) throws(HTTP2Error) {
        guard id % 2 == 1 else { throw .connection(.protocolError, "client opened stream \(id), an even (server) id") }
        lastPeerStreamID = id
        guard !goAwaySent else { return }  // streams above the GOAWAY's last id are ignored
        guard streams.count < configuration.maxConcurrentStreams else {
            throw .stream(id, .refusedStream, "more than \(configuration.maxConcurrentStreams) concurrent streams")
        }
        if let problem = RequestValidation.problem(in: headers) { throw .stream(id, .protocolError, problem) }
        streams[id] = StreamState(
            remoteClosed: endStream, sendWindow: peerSettings.initialWindowSize,
            receiveWindow: configuration.initialWindowSize)
        events.append(.request(streamID: id, headers: headers, endStream: endStream))
    }

    private mutating func receiveSettings(ack: Bool, _ settings: [Setting]) throws(HTTP2Error) {
        if ack {
            decoder.setMaxTableSizeLimit(configuration.headerTableSize)
            return
        }
        let oldWindow = peerSettings.initialWindowSize
        try peerSettings.apply(settings)
        let delta = peerSettings.initialWindowSize - oldWindow
        if delta != 0 {
            for id in streams.keys {
                let window = (streams[id]?.sendWindow ?? 0) + delta
                guard window <= HTTP2Settings.maxWindowSize else {
                    throw .connection(.flowControlError, "SETTINGS_INITIAL_WINDOW_SIZE overflows stream \(id)'s window")
                }
                streams[id]?.sendWindow = window
            }
        }
        let tableSize = min(peerSettings.headerTableSize, configuration.encoderTableSize)
        if tableSize != encoder.table.maxSize { encoder.setMaxTableSize(tableSize) }
        Frame.settings(ack: true, []).serialize(to: &output)
        flush()
    }

    private mutating func receiveWindowUpdate(_ id: UInt32, _ increment: Int) throws(HTTP2Error) {
        if id == 0 {
            guard connectionSendWindow + increment <= HTTP2Settings.maxWindowSize else {
                throw .connection(.flowControlError, "WINDOW_UPDATE overflows the connection window")
            }
            connectionSendWindow += increment
        } else if id > lastPeerStreamID {
            throw .connection(.protocolError, "WINDOW_UPDATE on idle stream \(id)")
        } else if let window = streams[id]?.sendWindow {
            guard window + increment <= HTTP2Settings.maxWindowSize else {
                throw .stream(id, .flowControlError, "WINDOW_UPDATE overflows stream \(id)'s window")
            }
            streams[id]?.sendWindow = window + increment
        }
        flush()
    }
}

extension Frame {
    /// Whether this frame may follow an unfinished header block on `streamID`.
    func continues(_ streamID: UInt32) -> Bool {
        if case .continuation(let id, _, _) = self { return id == streamID }
        return false
    }

    /// The frame type's name, for error messages.
    var name: String {
        switch self {
        case .data: "DATA"
        case .headers: "HEADERS"
        case .priority: "PRIORITY"
        case .rstStream: "RST_STREAM"
        case .settings(let ack, _): ack ? "SETTINGS ACK" : "SETTINGS"
        case .pushPromise: "PUSH_PROMISE"
        case .ping: "PING"
        case .goAway: "GOAWAY"
        case .windowUpdate: "WINDOW_UPDATE"
        case .continuation: "CONTINUATION"
        case .unknown(let type, _, _, _): "frame type 0x\(String(type, radix: 16))"
        }
    }
}

/// Checks a request header block (RFC 9113 §8.2, §8.3.1).
enum RequestValidation {
    static let pseudoHeaders: Set = [":method", ":scheme", ":path", ":authority"]
    static let connectionSpecific: Set = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade",
    ]

    /// A description of the first problem, or nil for a well-formed request.
    static func problem(in headers: [HeaderField]) -> String? {
        var seen: Set<String> = []
        var regularSeen = false
        for field in headers {
            if field.name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5a }) {
                return "uppercase header name \(field.name)"
            }
            if field.name.hasPrefix(":") {
                guard pseudoHeaders.contains(field.name) else { return "unknown pseudo-header \(field.name)" }
                guard !regularSeen else { return "pseudo-header \(field.name) after a regular header" }
                guard seen.insert(field.name).inserted else { return "duplicate pseudo-header \(field.name)" }
            } else {
                regularSeen = true
                if connectionSpecific.contains(field.name) { return "connection-specific header \(field.name)" }
                if field.name == "te" && field.value != "trailers" { return "te header other than \"trailers\"" }
            }
        }
        for required in [":method", ":scheme", ":path"] where !seen.contains(required) {
            return "missing \(required)"
        }
        return nil
    }
}
