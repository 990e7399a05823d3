/// One SETTINGS parameter identifier (RFC 9113 §6.5.2).
public struct SettingID: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let headerTableSize = SettingID(rawValue: 0x1)
    public static let enablePush = SettingID(rawValue: 0x2)
    public static let maxConcurrentStreams = SettingID(rawValue: 0x3)
    public static let initialWindowSize = SettingID(rawValue: 0x4)
    public static let maxFrameSize = SettingID(rawValue: 0x5)
    public static let maxHeaderListSize = SettingID(rawValue: 0x6)
}

/// One SETTINGS parameter: identifier and value.
public struct Setting: Equatable, Sendable {
    public var id: SettingID
    public var value: UInt32

    public init(_ id: SettingID, _ value: UInt32) {
        self.id = id
        self.value = value
    }
}

/// The protocol limits for one direction of a connection, starting at the RFC 9113 defaults.
public struct HTTP2Settings: Equatable, Sendable {
    /// The largest legal flow-control window.
    public static let maxWindowSize = Int(Int32.max)
    /// The smallest and largest legal SETTINGS_MAX_FRAME_SIZE.
    public static let frameSizeRange = 16_384...16_777_215

    public var headerTableSize = 4096
    public var enablePush = true
    public var maxConcurrentStreams = Int.max
    public var initialWindowSize = 65_535
    public var maxFrameSize = 16_384
    public var maxHeaderListSize = Int.max

    public init() {}

    /// Applies received parameters in order, validating each (RFC 9113 §6.5.2); unknown identifiers are ignored.
    public mutating func apply(_ settings: [Setting]) throws(HTTP2Error) {
        for setting in settings {
            let value = Int(setting.value)
            switch setting.id {
            case .headerTableSize: headerTableSize = value
            case .enablePush:
                guard value <= 1 else { throw .connection(.protocolError, "SETTINGS_ENABLE_PUSH must be 0 or 1") }
                enablePush = value == 1
            case .maxConcurrentStreams: maxConcurrentStreams = value
            case .initialWindowSize:
                guard value <= Self.maxWindowSize else {
                    throw .connection(.flowControlError, "SETTINGS_INITIAL_WINDOW_SIZE \(value) above 2^31-1")
                }
                initialWindowSize = value
            case .maxFrameSize:
                guard Self.frameSizeRange.contains(value) else {
                    throw .connection(.protocolError, "SETTINGS_MAX_FRAME_SIZE \(value) outside 16384...16777215")
                }
                maxFrameSize = value
            case .maxHeaderListSize: maxHeaderListSize = value
            default: continue
            }
        }
    }
}
