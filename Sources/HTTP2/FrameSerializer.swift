extension Frame {
    /// Appends the frame's wire form. The caller keeps payloads within the peer's SETTINGS_MAX_FRAME_SIZE.
    public func serialize(to out: inout [UInt8]) {
        var payload: [UInt8] = []
        let (type, flags) = typeAndFlags(payload: &payload)
        FrameHeader(length: payload.count, type: type, flags: flags, streamID: streamID).append(to: &out)
        out.append(contentsOf: payload)
    }

    /// The frame's wire form.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        serialize(to: &out)
        return out
    }

    private func typeAndFlags(payload: inout [UInt8]) -> (UInt8, UInt8) {
        switch self {
        case .data(_, let data, let endStream, _):
            payload = data
            return (FrameType.data.rawValue, endStream ? FrameFlag.endStream : 0)
        case .headers(_, let fragment, let endStream, let endHeaders, let priority):
            var flags = (endStream ? FrameFlag.endStream : 0) | (endHeaders ? FrameFlag.endHeaders : 0)
            if let priority {
                flags |= FrameFlag.priority
                priority.append(to: &payload)
            }
            payload += fragment
            return (FrameType.headers.rawValue, flags)
        case .priority(_, let priority):
            priority.append(to: &payload)
            return (FrameType.priority.rawValue, 0)
        case .rstStream(_, let code):
            appendUInt32(code.rawValue, to: &payload)
            return (FrameType.rstStream.rawValue, 0)
        case .settings(let ack, let settings):
            for setting in settings {
                payload += [UInt8(setting.id.rawValue >> 8), UInt8(setting.id.rawValue & 0xff)]
                appendUInt32(setting.value, to: &payload)
            }
            return (FrameType.settings.rawValue, ack ? FrameFlag.ack : 0)
        case .pushPromise(_, let promised, let fragment, let endHeaders):
            appendUInt32(promised, to: &payload)
            payload += fragment
            return (FrameType.pushPromise.rawValue, endHeaders ? FrameFlag.endHeaders : 0)
        case .ping(let ack, let opaque):
            payload = opaque
            return (FrameType.ping.rawValue, ack ? FrameFlag.ack : 0)
        case .goAway(let lastStreamID, let code, let debug):
            appendUInt32(lastStreamID, to: &payload)
            appendUInt32(code.rawValue, to: &payload)
            payload += debug
            return (FrameType.goAway.rawValue, 0)
        case .windowUpdate(_, let increment):
            appendUInt32(increment, to: &payload)
            return (FrameType.windowUpdate.rawValue, 0)
        case .continuation(_, let fragment, let endHeaders):
            payload = fragment
            return (FrameType.continuation.rawValue, endHeaders ? FrameFlag.endHeaders : 0)
        case .unknown(let type, let flags, _, let data):
            payload = data
            return (type, flags)
        }
    }
}

extension PriorityFields {
    func append(to out: inout [UInt8]) {
        appendUInt32(dependency | (exclusive ? 0x8000_0000 : 0), to: &out)
        out.append(weight)
    }
}
