import Images

/// appc's PodManifest as `rkt prepare` writes it and `rkt cat-manifest` prints it: one entry per
/// app (image reference, the image's app section with command-line overrides applied, mounts),
/// the pod's volumes and port forwards. See rkt-runtime.md §6.1.
public struct PodManifest: Codable, Sendable {
    /// A reference to the image an app runs.
    public struct ImageReference: Codable, Sendable {
        public var name: String
        public var id: String
        public var labels: [NameValue]?

        public init(name: String, id: String, labels: [NameValue]?) {
            (self.name, self.id, self.labels) = (name, id, labels)
        }
    }

    /// A volume bound into one app at a path.
    public struct Mount: Codable, Sendable, Equatable {
        public var volume: String
        public var path: String

        public init(volume: String, path: String) {
            self.volume = volume
            self.path = path
        }
    }

    /// One app of the pod.
    public struct RuntimeApp: Codable, Sendable {
        public var name: String
        public var image: ImageReference
        public var app: App
        public var mounts: [Mount]?

        public init(name: String, image: ImageReference, app: App, mounts: [Mount]?) {
            (self.name, self.image, self.app, self.mounts) = (name, image, app, mounts)
        }
    }

    /// A pod volume: a host directory (`kind=host`) or a fresh directory (`kind=empty`).
    public struct Volume: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        public var source: String?
        public var readOnly: Bool?
        public var recursive: Bool?
        public var mode: String?
        public var uid: Int?
        public var gid: Int?

        public init(
            name: String, kind: String, source: String? = nil, readOnly: Bool? = nil, recursive: Bool? = nil,
            mode: String? = nil, uid: Int? = nil, gid: Int? = nil
        ) {
            (self.name, self.kind, self.source, self.readOnly) = (name, kind, source, readOnly)
            (self.recursive, self.mode, self.uid, self.gid) = (recursive, mode, uid, gid)
        }
    }

    /// A forward of a host port to an app port named in the image.
    public struct ExposedPort: Codable, Sendable, Equatable {
        public var name: String
        public var hostPort: Int
        public var hostIP: String?

        public init(name: String, hostPort: Int, hostIP: String? = nil) {
            (self.name, self.hostPort, self.hostIP) = (name, hostPort, hostIP)
        }
    }

    /// A manifest annotation.
    public struct Annotation: Codable, Sendable, Equatable {
        public var name: String
        public var value: String
    }

    public var acVersion = "1.30.0"
    public var acKind = "PodManifest"
    public var apps: [RuntimeApp]
    public var volumes: [Volume]
    public var isolators: [Isolator]
    public var annotations: [Annotation]
    public var ports: [ExposedPort]
}
