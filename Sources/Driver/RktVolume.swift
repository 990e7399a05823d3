import RktError

/// A user volume from the `volumes` option: `host_path:container_path[:readOnly]`.
public struct RktVolume: Equatable, Sendable {
    public var source: String
    public var target: String
    public var readOnly: Bool

    public init(source: String, target: String, readOnly: Bool = false) {
        self.source = source
        self.target = target
        self.readOnly = readOnly
    }

    /// Splits `raw` on `:`. Two parts mount read-write; three parts mount read-only when the
    /// third is exactly `readOnly`, and otherwise read-write with a warning. Paths are passed
    /// through unchanged (relative paths are not resolved, as upstream).
    public static func parse(_ raw: String) throws(RktError) -> (volume: RktVolume, warning: String?) {
        let parts = raw.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 2:
            return (RktVolume(source: parts[0], target: parts[1]), nil)
        case 3 where parts[2] == "readOnly":
            return (RktVolume(source: parts[0], target: parts[1], readOnly: true), nil)
        case 3:
            let warning = "unknown rkt volume mode \"\(parts[2])\" in \"\(raw)\"; mounting it read-write"
            return (RktVolume(source: parts[0], target: parts[1]), warning)
        default:
            throw RktError(.invalidArgument, "invalid rkt volume: \"\(raw)\"")
        }
    }

    /// The volumes gate. This driver's client option is `volumes_enabled`, so the 0.9 wording is
    /// used: `volumes_enabled is false; cannot use rkt volumes: ["a:b" "c:d"]`.
    public static func checkEnabled(_ volumes: [String], enabled: Bool) throws(RktError) {
        guard !enabled, !volumes.isEmpty else {
            return
        }
        let list = volumes.map { "\"\($0)\"" }.joined(separator: " ")
        throw RktError(.invalidArgument, "volumes_enabled is false; cannot use rkt volumes: [\(list)]")
    }
}
