import HPACK

extension ServerConnection {
    /// Queues a header block (response headers, or trailers with `endStream`) on an open stream.
    public mutating func sendHeaders(
        _ headers: [HeaderField], on streamID: UInt32, endStream: Bool = false
    ) throws(HTTP2SendError) {
        try enqueue(.headers(headers, endStream: endStream), on: streamID, endStream: endStream)
    }

    /// Queues body bytes; they go out as DATA frames as flow control allows.
    public mutating func sendData(_ bytes: [UInt8], on streamID: UInt32, endStream: Bool = false) throws(HTTP2SendError)
    {
        try enqueue(.data(bytes[...], endStream: endStream), on: streamID, endStream: endStream)
    }

    /// Resets a stream (RST_STREAM), dropping anything still queued on it.
    public mutating func resetStream(_ streamID: UInt32, code: HTTP2ErrorCode) {
        guard phase != .closed, streams.removeValue(forKey: streamID) != nil else { return }
        Frame.rstStream(streamID: streamID, code).serialize(to: &output)
    }

    private mutating func enqueue(
        _ item: StreamState.Outbound, on streamID: UInt32, endStream: Bool
    ) throws(HTTP2SendError) {
        guard phase != .closed else { throw .connectionClosed }
        guard var stream = streams[streamID], !stream.endQueued else { throw .streamNotWritable(streamID) }
        stream.pending.append(item)
        stream.endQueued = endStream
        streams[streamID] = stream
        flush(streamID)
    }

    /// Writes whatever the windows allow, for every stream with queued output.
    mutating func flush() {
        for id in streams.keys.sorted() where !(streams[id]?.pending.isEmpty ?? true) {
            flush(id)
            if connectionSendWindow <= 0 { break }
        }
    }

    private mutating func flush(_ id: UInt32) {
        guard var stream = streams[id] else { return }
        while let item = stream.pending.first {
            switch item {
            case .headers(let headers, let endStream):
                writeHeaders(headers, on: id, endStream: endStream)
                stream.pending.removeFirst()
                stream.localClosed = endStream
            case .data(let bytes, let endStream):
                let allowed = min(stream.sendWindow, connectionSendWindow, peerSettings.maxFrameSize)
                guard allowed > 0 || bytes.isEmpty else {
                    streams[id] = stream
                    return
                }
                let chunk = bytes.prefix(allowed)
                let last = chunk.count == bytes.count
                Frame.data(
                    streamID: id, payload: Array(chunk), endStream: endStream && last, flowControlledLength: chunk.count
                )
                .serialize(to: &output)
                stream.sendWindow -= chunk.count
                connectionSendWindow -= chunk.count
                if last {
                    stream.pending.removeFirst()
                    stream.localClosed = endStream
                } else {
                    stream.pending[0] = .data(bytes.dropFirst(chunk.count), endStream: endStream)
                }
            }
        }
        streams[id] = stream
        closeIfDone(id)
    }

    /// Encodes and writes one header block as HEADERS plus CONTINUATION frames within the peer's frame size.
    private mutating func writeHeaders(_ headers: [HeaderField], on id: UInt32, endStream: Bool) {
        let block = encoder.encode(headers)
        let size = peerSettings.maxFrameSize
        var offset = min(block.count, size)
        Frame.headers(
            streamID: id, fragment: Array(block[0..<offset]), endStream: endStream, endHeaders: offset == block.count,
            priority: nil
        ).serialize(to: &output)
        while offset < block.count {
            let end = min(block.count, offset + size)
            Frame.continuation(streamID: id, fragment: Array(block[offset..<end]), endHeaders: end == block.count)
                .serialize(to: &output)
            offset = end
        }
    }

    /// Forgets a stream once both sides have ended it and nothing is queued.
    mutating func closeIfDone(_ id: UInt32) {
        guard let stream = streams[id], stream.localClosed, stream.remoteClosed, stream.pending.isEmpty else { return }
        streams.removeValue(forKey: id)
    }
}
