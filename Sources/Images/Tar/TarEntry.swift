/// One member of a tar archive, after pax and GNU long-name records have been applied.
public struct TarEntry: Sendable, Equatable {
    /// What kind of file the entry describes.
    public enum Kind: Sendable, Equatable {
        case regular
        case hardLink
        case symbolicLink
        case characterDevice
        case blockDevice
        case directory
        case fifo

        /// The ustar type flag byte for this kind.
        var typeFlag: UInt8 {
            switch self {
            case .regular: UInt8(ascii: "0")
            case .hardLink: UInt8(ascii: "1")
            case .symbolicLink: UInt8(ascii: "2")
            case .characterDevice: UInt8(ascii: "3")
            case .blockDevice: UInt8(ascii: "4")
            case .directory: UInt8(ascii: "5")
            case .fifo: UInt8(ascii: "6")
            }
        }

        /// The kind for a ustar type flag, or nil for flags that are not file kinds.
        init?(typeFlag: UInt8) {
            switch typeFlag {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): self = .regular
            case UInt8(ascii: "1"): self = .hardLink
            case UInt8(ascii: "2"): self = .symbolicLink
            case UInt8(ascii: "3"): self = .characterDevice
            case UInt8(ascii: "4"): self = .blockDevice
            case UInt8(ascii: "5"): self = .directory
            case UInt8(ascii: "6"): self = .fifo
            default: return nil
            }
        }
    }

    /// The member name as stored (directories usually end with "/").
    public var path: String
    /// The kind of file.
    public var kind: Kind
    /// Permission bits including setuid/setgid/sticky (07777).
    public var mode: UInt32
    /// Owner user ID.
    public var uid: Int
    /// Owner group ID.
    public var gid: Int
    /// Owner user name, informational only.
    public var userName: String
    /// Owner group name, informational only.
    public var groupName: String
    /// Modification time, seconds since the epoch.
    public var modificationTime: Int64
    /// Size of the data that follows the header (regular files only; zero for everything else).
    public var size: Int64
    /// Symlink target, or the archive path a hard link points to.
    public var linkTarget: String
    /// Device major number (character and block devices).
    public var deviceMajor: UInt32
    /// Device minor number (character and block devices).
    public var deviceMinor: UInt32

    /// An entry with common defaults: owned by root, mode 0644 (0755 for directories), time zero.
    public init(
        path: String, kind: Kind, mode: UInt32? = nil, uid: Int = 0, gid: Int = 0, size: Int64 = 0,
        modificationTime: Int64 = 0, linkTarget: String = "", deviceMajor: UInt32 = 0, deviceMinor: UInt32 = 0
    ) {
        self.path = path
        self.kind = kind
        self.mode = mode ?? (kind == .directory ? 0o755 : 0o644)
        self.uid = uid
        self.gid = gid
        self.userName = ""
        self.groupName = ""
        self.modificationTime = modificationTime
        self.size = size
        self.linkTarget = linkTarget
        self.deviceMajor = deviceMajor
        self.deviceMinor = deviceMinor
    }
}
