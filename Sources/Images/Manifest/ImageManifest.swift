import RktError
import RktSys

/// An appc image manifest (spec 0.8.11): the `manifest` file at the top of every ACI.
///
/// Decoding is lenient about missing keys (they take empty defaults) so that `validate()` can report
/// every problem by field name instead of failing on the first absent key.
public struct ImageManifest: Codable, Sendable, Equatable {
    /// Always "ImageManifest".
    public var acKind: String
    /// Spec version the image was written against (semver, e.g. "0.8.11").
    public var acVersion: String
    /// AC Identifier, e.g. "example.com/app".
    public var name: String
    /// Labels such as version, os and arch.
    public var labels: [NameValue]
    /// How to run the image; absent for library images.
    public var app: App?
    /// Images to lay down beneath this one.
    public var dependencies: [Dependency]
    /// If non-empty, only these absolute paths survive rendering.
    public var pathWhitelist: [String]
    /// Free-form annotations (created, authors, homepage, ...).
    public var annotations: [NameValue]

    /// The spec version written by default.
    public static let currentACVersion = "0.8.11"

    /// A manifest; `acKind` and `acVersion` get their usual values.
    public init(
        name: String, labels: [NameValue] = [], app: App? = nil, dependencies: [Dependency] = [],
        pathWhitelist: [String] = [], annotations: [NameValue] = [],
        acKind: String = "ImageManifest", acVersion: String = ImageManifest.currentACVersion
    ) {
        self.acKind = acKind
        self.acVersion = acVersion
        self.name = name
        self.labels = labels
        self.app = app
        self.dependencies = dependencies
        self.pathWhitelist = pathWhitelist
        self.annotations = annotations
    }

    /// Decodes manifest JSON; syntax errors become an operator-readable error.
    public static func decode(_ bytes: [UInt8], source: String = "manifest") throws -> ImageManifest {
        do {
            return try JSON.decode(ImageManifest.self, from: bytes)
        } catch {
            throw RktError(.invalidArgument, "\(source) is not a valid image manifest: \(describeDecodingError(error))")
        }
    }

    /// Stable JSON (sorted keys) for writing into an archive or the store.
    public func encoded(pretty: Bool = false) throws -> [UInt8] {
        try JSON.encode(self, pretty: pretty)
    }

    /// The value of label `name` ("version", "os", "arch", ...).
    public func label(_ name: String) -> String? {
        labels.first { $0.name == name }?.value
    }

    /// The value of annotation `name`.
    public func annotation(_ name: String) -> String? {
        annotations.first { $0.name == name }?.value
    }

    /// The app port declared with `name`, if the image has an app with such a port.
    public func port(named name: String) -> PortSpec? {
        app?.port(named: name)
    }

    enum CodingKeys: String, CodingKey {
        case acKind, acVersion, name, labels, app, dependencies, pathWhitelist, annotations
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        acKind = try container.decodeIfPresent(String.self, forKey: .acKind) ?? ""
        acVersion = try container.decodeIfPresent(String.self, forKey: .acVersion) ?? ""
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        labels = try container.decodeIfPresent([NameValue].self, forKey: .labels) ?? []
        app = try container.decodeIfPresent(App.self, forKey: .app)
        dependencies = try container.decodeIfPresent([Dependency].self, forKey: .dependencies) ?? []
        pathWhitelist = try container.decodeIfPresent([String].self, forKey: .pathWhitelist) ?? []
        annotations = try container.decodeIfPresent([NameValue].self, forKey: .annotations) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(acKind, forKey: .acKind)
        try container.encode(acVersion, forKey: .acVersion)
        try container.encode(name, forKey: .name)
        if !labels.isEmpty {
            try container.encode(labels, forKey: .labels)
        }
        try container.encodeIfPresent(app, forKey: .app)
        if !dependencies.isEmpty {
            try container.encode(dependencies, forKey: .dependencies)
        }
        if !pathWhitelist.isEmpty {
            try container.encode(pathWhitelist, forKey: .pathWhitelist)
        }
        if !annotations.isEmpty {
            try container.encode(annotations, forKey: .annotations)
        }
    }
}
