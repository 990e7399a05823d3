import JSONCore

/// A `{"name": ..., "value": ...}` pair: image labels, annotations and environment variables.
public struct NameValue: Codable, Sendable, Equatable {
    /// The name (an AC Identifier for labels and annotations).
    public var name: String
    /// The value.
    public var value: String

    /// A pair.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        value = try container.decodeIfPresent(String.self, forKey: .value) ?? ""
    }
}

/// A command run around the app's life (`pre-start` or `post-stop`).
public struct EventHandler: Codable, Sendable, Equatable {
    /// `pre-start` or `post-stop`.
    public var name: String
    /// The argv to run.
    public var exec: [String]

    /// A handler.
    public init(name: String, exec: [String]) {
        self.name = name
        self.exec = exec
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        exec = try container.decodeIfPresent([String].self, forKey: .exec) ?? []
    }
}

/// A resource or security restriction; its value is kept as raw JSON for the runtime to interpret.
public struct Isolator: Codable, Sendable, Equatable {
    /// The isolator's AC Identifier, e.g. `resource/memory` or `os/linux/capabilities-retain-set`.
    public var name: String
    /// The isolator-specific JSON value.
    public var value: JSONValue

    /// An isolator.
    public init(name: String, value: JSONValue) {
        self.name = name
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        value = try container.decodeIfPresent(JSONValue.self, forKey: .value) ?? .null
    }
}

/// A place in the app's filesystem where a volume is expected to be mounted.
public struct MountPoint: Codable, Sendable, Equatable {
    /// AC Name the pod's volumes refer to.
    public var name: String
    /// Absolute path inside the app.
    public var path: String
    /// Whether the mount should be read-only.
    public var readOnly: Bool

    /// A mount point.
    public init(name: String, path: String, readOnly: Bool = false) {
        self.name = name
        self.path = path
        self.readOnly = readOnly
    }

    enum CodingKeys: String, CodingKey {
        case name, path, readOnly
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        path = try container.decodeIfPresent(String.self, forKey: .path) ?? ""
        readOnly = try container.decodeIfPresent(Bool.self, forKey: .readOnly) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(path, forKey: .path)
        if readOnly {
            try container.encode(readOnly, forKey: .readOnly)
        }
    }
}

/// A port (or range of `count` ports) the app listens on.
public struct PortSpec: Codable, Sendable, Equatable {
    /// AC Name that `--port NAME:HOSTPORT` refers to.
    public var name: String
    /// `tcp`, `udp`, ...
    public var `protocol`: String
    /// The first port, 1...65535.
    public var port: Int
    /// How many consecutive ports, starting at `port` (default 1).
    public var count: Int
    /// Whether the app expects the listening socket to be passed in (systemd socket activation).
    public var socketActivated: Bool

    /// A port specification.
    public init(name: String, protocol: String, port: Int, count: Int = 1, socketActivated: Bool = false) {
        self.name = name
        self.protocol = `protocol`
        self.port = port
        self.count = count
        self.socketActivated = socketActivated
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        `protocol` = try container.decodeIfPresent(String.self, forKey: .protocol) ?? ""
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? 0
        count = try container.decodeIfPresent(Int.self, forKey: .count) ?? 1
        socketActivated = try container.decodeIfPresent(Bool.self, forKey: .socketActivated) ?? false
    }

    /// The ports covered, `port ..< port + count`.
    public var range: Range<Int> {
        port..<(port + max(count, 1))
    }
}

/// Another image whose rootfs is laid down beneath this one.
public struct Dependency: Codable, Sendable, Equatable {
    /// AC Identifier of the dependency.
    public var imageName: String
    /// Exact image ID it must have (`sha512-...`), if pinned.
    public var imageID: String?
    /// Labels it must carry.
    public var labels: [NameValue]?
    /// Expected size in bytes, if given.
    public var size: UInt64?

    /// A dependency.
    public init(imageName: String, imageID: String? = nil, labels: [NameValue]? = nil, size: UInt64? = nil) {
        self.imageName = imageName
        self.imageID = imageID
        self.labels = labels
        self.size = size
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        imageName = try container.decodeIfPresent(String.self, forKey: .imageName) ?? ""
        imageID = try container.decodeIfPresent(String.self, forKey: .imageID)
        labels = try container.decodeIfPresent([NameValue].self, forKey: .labels)
        size = try container.decodeIfPresent(UInt64.self, forKey: .size)
    }
}
