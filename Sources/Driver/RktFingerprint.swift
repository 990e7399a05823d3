/// What running `rkt version` produced.
public enum RktVersionProbe: Equatable, Sendable {
    /// The command succeeded with this stdout.
    case output(String)
    /// The command could not be run or failed; the text describes why.
    case failed(String)
}

/// The driver's health as decided by the fingerprint (0.9 health states and descriptions).
public struct RktHealth: Equatable, Sendable {
    /// Whether the driver can be used.
    public enum State: String, Equatable, Sendable {
        case healthy
        case undetected
    }

    public var state: State
    /// The exact upstream description, e.g. `Driver must run as root`.
    public var description: String
    public var rktVersion: String?
    public var appcVersion: String?

    public init(state: State, description: String, rktVersion: String? = nil, appcVersion: String? = nil) {
        self.state = state
        self.description = description
        self.rktVersion = rktVersion
        self.appcVersion = appcVersion
    }

    /// Node attributes to publish: empty unless healthy.
    public func attributes(volumesEnabled: Bool) -> [String: String] {
        guard state == .healthy, let rktVersion, let appcVersion else {
            return [:]
        }
        var attributes = [
            "driver.rkt": "1", "driver.rkt.version": rktVersion, "driver.rkt.appc.version": appcVersion,
        ]
        if volumesEnabled {
            attributes["driver.rkt.volumes.enabled"] = "1"
        }
        return attributes
    }
}

/// The fingerprint decision as a pure function of the effective uid and `rkt version`'s result.
public enum RktFingerprint {
    /// Decides the health state. The "too old" description keeps upstream's spelling
    /// (`Unsuported`) so that operators' log searches and tests written against it still match.
    public static func evaluate(euid: UInt32, probe: RktVersionProbe) -> RktHealth {
        guard euid == 0 else {
            return RktHealth(state: .undetected, description: "Driver must run as root")
        }
        let text: String
        switch probe {
        case .failed(let reason):
            return RktHealth(state: .undetected, description: "Failed to execute rkt version: \(reason)")
        case .output(let output):
            text = output.trimmingWhitespace()
        }
        guard let rkt = rktVersion(in: text), let appc = appcVersion(in: text),
            let version = RktVersion(rkt)
        else {
            return RktHealth(state: .undetected, description: "Unable to parse rkt version string")
        }
        guard version >= RktVersion.minimum else {
            return RktHealth(state: .undetected, description: "Unsuported rkt version \(rkt)", rktVersion: rkt)
        }
        return RktHealth(state: .healthy, description: "Healthy", rktVersion: rkt, appcVersion: appc)
    }

    /// The rkt version captured by `rkt [vV]ersion[:]? ([0-9][.0-9]+)` (reference §2.3, ASCII
    /// digits), from the first match in `text`.
    public static func rktVersion(in text: String) -> String? {
        text.firstMatch(of: #/rkt [vV]ersion:? ([0-9][.0-9]+)/#).map { String($0.output.1) }
    }

    /// The appc version captured by the same pattern with the `appc ` prefix.
    public static func appcVersion(in text: String) -> String? {
        text.firstMatch(of: #/appc [vV]ersion:? ([0-9][.0-9]+)/#).map { String($0.output.1) }
    }
}

extension String {
    /// The text without leading and trailing whitespace and newlines (no Foundation).
    func trimmingWhitespace() -> String {
        let trimmedFront = drop { $0.isWhitespace }
        return String(trimmedFront.reversed().drop { $0.isWhitespace }.reversed())
    }
}
