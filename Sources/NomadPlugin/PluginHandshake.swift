import FoundationEssentials
import RktSys

/// go-plugin's process contract with Nomad (reference §1): the magic cookie that marks a launch by the
/// host, the protocol versions, and the one handshake line on stdout.
public enum PluginHandshake {
    public static let cookieKey = "NOMAD_PLUGIN_MAGIC_COOKIE"
    public static let cookieValue = "e4327c2e01eabfd75a8a67adb114fb34a757d57eee7728d857a8cec6e91a7255"
    /// go-plugin's core protocol version.
    public static let coreVersion = 1
    /// Nomad's plugin (app) protocol version.
    public static let appVersion = 2

    /// What the environment says about how we were started.
    public enum Launch: Equatable, Sendable {
        /// No cookie: an ordinary command line.
        case commandLine
        /// Started by a Nomad agent.
        case host
        /// A cookie with the wrong value: refuse, with this text for stderr.
        case wrongCookie(String)
    }

    public static func launch(_ environment: [String: String]) -> Launch {
        guard let cookie = environment[cookieKey] else { return .commandLine }
        guard cookie == cookieValue else {
            return .wrongCookie(
                "This binary is a Nomad driver plugin, but \(cookieKey) does not carry Nomad's value. "
                    + "Run it through a Nomad agent, or run `rkt-driver plugin` directly.")
        }
        return .host
    }

    /// Nil when the host accepts our app protocol version (or did not say), else why not.
    public static func versionProblem(_ environment: [String: String]) -> String? {
        guard let list = environment["PLUGIN_PROTOCOL_VERSIONS"], !list.isEmpty else { return nil }
        let versions = list.split(separator: ",").map { String($0).trimmed }
        guard versions.contains(String(appVersion)) else {
            return "the host speaks plugin protocol versions \(list); this plugin speaks \(appVersion)"
        }
        return nil
    }

    /// A fresh socket path in `PLUGIN_UNIX_SOCKET_DIR`, else `TMPDIR`, else /tmp.
    public static func socketPath(_ environment: [String: String]) -> String {
        let directory =
            [environment["PLUGIN_UNIX_SOCKET_DIR"], environment["TMPDIR"]]
            .compactMap { $0 }.first { !$0.isEmpty } ?? "/tmp"
        let trimmed = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        return "\(trimmed)/plugin\(UInt64.random(in: 100_000_000...999_999_999_999))"
    }

    /// `CORE|APP|NETWORK|ADDRESS|PROTOCOL|` plus a newline (the certificate field stays empty: no AutoMTLS).
    public static func line(socketPath: String) -> String {
        "\(coreVersion)|\(appVersion)|unix|\(socketPath)|grpc|\n"
    }
}
