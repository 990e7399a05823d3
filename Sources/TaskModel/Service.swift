/// A service registration for a task.
public struct Service: Equatable, Sendable {
    /// The values `address_mode` may take on a service.
    public static let addressModes = ["auto", "host", "driver"]

    public var name: String
    public var portLabel: String
    public var tags: [String]
    /// `auto` (default), `host` or `driver`.
    public var addressMode: String
    public var checks: [ServiceCheck]

    public init(
        name: String, portLabel: String = "", tags: [String] = [], addressMode: String = "auto",
        checks: [ServiceCheck] = []
    ) {
        self.name = name
        self.portLabel = portLabel
        self.tags = tags
        self.addressMode = addressMode
        self.checks = checks
    }
}

/// A health check of a service. Interval and timeout arrive as integer nanoseconds.
public struct ServiceCheck: Equatable, Sendable {
    public var name: String
    /// `http`, `tcp`, `grpc` or `script`.
    public var type: String
    public var portLabel: String
    public var path: String
    public var interval: Duration
    public var timeout: Duration
    /// `""` (host), `host` or `driver`; checks do not inherit the service's mode.
    public var addressMode: String
    public var command: String
    public var args: [String]

    public init(
        name: String, type: String, portLabel: String = "", path: String = "", interval: Duration = .seconds(10),
        timeout: Duration = .seconds(2), addressMode: String = "", command: String = "", args: [String] = []
    ) {
        self.name = name
        self.type = type
        self.portLabel = portLabel
        self.path = path
        self.interval = interval
        self.timeout = timeout
        self.addressMode = addressMode
        self.command = command
        self.args = args
    }

    /// Whether this check type needs a port to probe.
    public var requiresPort: Bool { ["http", "tcp", "grpc"].contains(type) }
}
