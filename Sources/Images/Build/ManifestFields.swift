import RktError

/// The handful of values a user gives on a command line to describe an image, turned into a
/// validated `ImageManifest` by `makeManifest()`.
///
/// String forms: environment "NAME=VALUE"; ports "name:protocol:port" or "name:protocol:port:count";
/// mount points "name:/path" or "name:/path:ro".
public struct ManifestFields: Sendable, Equatable {
    /// AC Identifier of the image.
    public var name: String
    /// Labels such as version, os, arch.
    public var labels: [String: String]
    /// The app's argv; when empty (and no user/group) the manifest has no app section.
    public var exec: [String]
    /// The app's user (name, number or path); defaults to "0".
    public var user: String
    /// The app's group (name, number or path); defaults to "0".
    public var group: String
    /// The app's working directory; empty means "/".
    public var workingDirectory: String
    /// "NAME=VALUE" strings.
    public var environment: [String]
    /// "name:protocol:port[:count]" strings.
    public var ports: [String]
    /// "name:/path[:ro]" strings.
    public var mountPoints: [String]

    /// Fields for an image called `name`; everything else is optional.
    public init(
        name: String, labels: [String: String] = [:], exec: [String] = [], user: String = "0", group: String = "0",
        workingDirectory: String = "", environment: [String] = [], ports: [String] = [], mountPoints: [String] = []
    ) {
        self.name = name
        self.labels = labels
        self.exec = exec
        self.user = user
        self.group = group
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.ports = ports
        self.mountPoints = mountPoints
    }

    /// Parses the string forms and returns a manifest that has passed `validate()`.
    public func makeManifest() throws -> ImageManifest {
        let sortedLabels = labels.sorted { $0.key < $1.key }.map { NameValue(name: $0.key, value: $0.value) }
        var manifest = ImageManifest(name: name, labels: sortedLabels)
        let hasApp =
            !exec.isEmpty || !environment.isEmpty || !ports.isEmpty || !mountPoints.isEmpty
            || !workingDirectory.isEmpty
        if hasApp {
            manifest.app = App(
                exec: exec, user: user, group: group, workingDirectory: workingDirectory,
                environment: try environment.map(Self.parseEnvironment),
                mountPoints: try mountPoints.map(Self.parseMount),
                ports: try ports.map(Self.parsePort))
        }
        try manifest.validate()
        return manifest
    }

    /// "NAME=VALUE" (the value may contain "=").
    static func parseEnvironment(_ text: String) throws -> NameValue {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw RktError(.invalidArgument, "environment \"\(text)\" must look like NAME=VALUE")
        }
        return NameValue(name: String(text[..<equals]), value: String(text[text.index(after: equals)...]))
    }

    /// "name:protocol:port" or "name:protocol:port:count".
    static func parsePort(_ text: String) throws -> PortSpec {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 || parts.count == 4, let port = Int(parts[2]) else {
            throw RktError(
                .invalidArgument, "port \"\(text)\" must look like name:protocol:port (e.g. http:tcp:8080)")
        }
        var count = 1
        if parts.count == 4 {
            guard let parsed = Int(parts[3]) else {
                throw RktError(.invalidArgument, "port \"\(text)\": count \"\(parts[3])\" is not a number")
            }
            count = parsed
        }
        return PortSpec(name: parts[0], protocol: parts[1], port: port, count: count)
    }

    /// "name:/path" or "name:/path:ro".
    static func parseMount(_ text: String) throws -> MountPoint {
        var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var readOnly = false
        if parts.count == 3 && (parts[2] == "ro" || parts[2] == "rw") {
            readOnly = parts.removeLast() == "ro"
        }
        guard parts.count == 2 else {
            throw RktError(.invalidArgument, "mount point \"\(text)\" must look like name:/path or name:/path:ro")
        }
        return MountPoint(name: parts[0], path: parts[1], readOnly: readOnly)
    }
}
