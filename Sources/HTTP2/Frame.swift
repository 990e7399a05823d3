/// The frame types of RFC 9113 §6.
public enum FrameType: UInt8, Sendable {
    case data = 0x0
    case headers = 0x1
    case priority = 0x2
    case rstStream = 0x3
    case settings = 0x4
    case pushPromise = 0x5
    case ping = 0x6
    case goAway = 0x7
    case windowUpdate = 0x8
    case continuation = 0x9
}

/// Frame flag bits (their meaning depends on the frame type).
public enum FrameFlag {
    public static let endStream: UInt8 = 0x1
    public static let ack: UInt8 = 0x1
    public static let endHeaders: UInt8 = 0x4
    public static let padded: UInt8 = 0x8
    public static let priority: UInt8 = 0x20
}

/// The 9-octet frame header (RFC 9113 §4.1).
public struct FrameHeader: Equatable, Sendable {
    /// The header's size on the wire.
    public static let size = 9

    public var length: Int
    public var type: UInt8
    public var flags: UInt8
    public var streamID: UInt32

    public init(length: Int, type: UInt8, flags: UInt8, streamID: UInt32) {
        self.length = length
        self.type = type
        self.flags = flags
        self.streamID = streamID
    }

    /// Reads a header from the first 9 octets of `bytes`; the reserved bit of the stream id is ignored.
    public init(_ bytes: ArraySlice<UInt8>) {
        let base = bytes.startIndex
        length = Int(bytes[base]) << 16 | Int(bytes[base + 1]) << 8 | Int(bytes[base + 2])
        type = bytes[base + 3]
        flags = bytes[base + 4]
        streamID = readUInt32(bytes, at: base + 5) & 0x7fff_ffff
    }

    /// Appends the 9 octets.
    public func append(to out: inout [UInt8]) {
        out.append(contentsOf: [
            UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff), type, flags,
        ])
        appendUInt32(streamID, to: &out)
    }
}

/// The PRIORITY fields, as carried by PRIORITY frames and HEADERS with the PRIORITY flag (deprecated, RFC 9113 §5.3.2).
public struct PriorityFields: Equatable, Sendable {
    public var exclusive: Bool
    public var dependency: UInt32
    public var weight: UInt8

    public init(exclusive: Bool, dependency: UInt32, weight: UInt8) {
        self.exclusive = exclusive
        self.dependency = dependency
        self.weight = weight
    }
}

/// A parsed frame. Padding is stripped on input; output frames carry none.
public enum Frame: Equatable, Sendable {
    /// DATA. `flowControlledLength` is the whole payload, padding included, which counts against the windows.
    case data(streamID: UInt32, payload: [UInt8], endStream: Bool, flowControlledLength: Int)
    /// HEADERS: the first fragment of a field block.
    case headers(streamID: UInt32, fragment: [UInt8], endStream: Bool, endHeaders: Bool, priority: PriorityFields?)
    case priority(streamID: UInt32, PriorityFields)
    case rstStream(streamID: UInt32, HTTP2ErrorCode)
    case settings(ack: Bool, [Setting])
    case pushPromise(streamID: UInt32, promisedStreamID: UInt32, fragment: [UInt8], endHeaders: Bool)
    case ping(ack: Bool, opaque: [UInt8])
    case goAway(lastStreamID: UInt32, HTTP2ErrorCode, debug: [UInt8])
    case windowUpdate(streamID: UInt32, increment: UInt32)
    case continuation(streamID: UInt32, fragment: [UInt8], endHeaders: Bool)
    /// A frame of an unknown type, to be ignored (RFC 9113 §4.1, §5.5).
    case unknown(type: UInt8, flags: UInt8, streamID: UInt32, payload: [UInt8])

    /// The stream the frame belongs to (0 for connection-level frames).
    public var streamID: UInt32 {
        switch self {
        case .data(let id, _, _, _), .headers(let id, _, _, _, _), .priority(let id, _), .rstStream(let id, _),
            .pushPromise(let id, _, _, _), .windowUpdate(let id, _), .continuation(let id, _, _),
            .unknown(_, _, let id, _):
            id
        case .settings, .ping, .goAway: 0
        }
    }
}

func readUInt32(_ bytes: ArraySlice<UInt8>, at index: Int) -> UInt32 {
    UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8
        | UInt32(bytes[index + 3])
}

func appendUInt32(_ value: UInt32, to out: inout [UInt8]) {
    out.append(contentsOf: [
        UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff),
    ])
}
