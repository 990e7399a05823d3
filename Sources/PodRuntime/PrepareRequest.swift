import FoundationEssentials
import Glibc
import RktError
import RktSys

/// Everything `rkt prepare` (and the prepare half of `rkt run`) was asked for, parsed from the
/// command line. One app per pod: this runtime does not run multi-app pods.
public struct PrepareRequest: Sendable {
    /// A parsed `--volume=NAME,kind=host,source=/abs[,readOnly=BOOL][,recursive=BOOL]`.
    public typealias Volume = PodManifest.Volume

    /// A parsed `--port=NAME:[HOSTIP:]HOSTPORT`.
    public typealias Port = PodManifest.ExposedPort

    public var image: String
    public var volumes: [Volume] = []
    public var mounts: [PodManifest.Mount] = []
    public var environment: [(name: String, value: String)] = []
    public var exec: String?
    public var args: [String]?
    public var memory: String?
    public var cpu: String?
    public var ports: [Port] = []
    public var user: String?
    public var group: String?
    public var workingDirectory: String?
    public var appName: String?
    public var noOverlay = false
    public var insecure = InsecureOptions()

    public init(image: String) {
        self.image = image
    }

    /// Parses a `--volume` value (rkt's `name,key=value,...` syntax).
    public static func parseVolume(_ text: String) throws -> Volume {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var volume = Volume(name: parts[0], kind: "")
        guard isACName(volume.name) else {
            throw RktError(
                .invalidArgument,
                "--volume=\(text): volume name \"\(volume.name)\" must be lower-case letters, digits and dashes")
        }
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else {
                throw RktError(.invalidArgument, "--volume=\(text): \"\(part)\" is not key=value")
            }
            switch pair[0] {
            case "kind": volume.kind = pair[1]
            case "source": volume.source = pair[1].percentDecoded ?? pair[1]
            case "readOnly": volume.readOnly = try parseBool(pair[1], flag: "--volume readOnly")
            case "recursive": volume.recursive = try parseBool(pair[1], flag: "--volume recursive")
            case "mode": volume.mode = pair[1]
            case "uid": volume.uid = Int(pair[1])
            case "gid": volume.gid = Int(pair[1])
            default: throw RktError(.invalidArgument, "--volume=\(text): unknown key \"\(pair[0])\"")
            }
        }
        switch volume.kind {
        case "host":
            guard let source = volume.source, source.hasPrefix("/") else {
                throw RktError(.invalidArgument, "--volume=\(text): kind=host needs an absolute source=/path")
            }
        case "empty":
            volume.mode = volume.mode ?? "0755"
            volume.uid = volume.uid ?? 0
            volume.gid = volume.gid ?? 0
        default:
            throw RktError(.invalidArgument, "--volume=\(text): kind must be \"host\" or \"empty\"")
        }
        return volume
    }

    /// Parses a `--mount=volume=NAME,target=/path` value.
    public static func parseMount(_ text: String) throws -> PodManifest.Mount {
        var fields: [String: String] = [:]
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0] == "volume" || pair[0] == "target" else {
                throw RktError(.invalidArgument, "--mount=\(text): expected volume=NAME,target=/path")
            }
            fields[pair[0]] = pair[1]
        }
        guard let volume = fields["volume"], let target = fields["target"], target.hasPrefix("/") else {
            throw RktError(.invalidArgument, "--mount=\(text): expected volume=NAME,target=/absolute/path")
        }
        return PodManifest.Mount(volume: volume, path: target)
    }

    /// Parses a `--port` value: `NAME:HOSTPORT` or `NAME:HOSTIP:HOSTPORT`.
    public static func parsePort(_ text: String) throws -> Port {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, let hostPort = Int(parts[parts.count - 1]),
            (1...65535).contains(hostPort)
        else {
            throw RktError(
                .invalidArgument, "--port=\(text): expected NAME:HOSTPORT or NAME:HOSTIP:HOSTPORT (port 1-65535)")
        }
        return Port(name: parts[0], hostPort: hostPort, hostIP: parts.count == 3 ? parts[1] : nil)
    }

    /// Parses a `--set-env` value `NAME=VALUE`.
    public static func parseEnv(_ text: String, flag: String) throws -> (name: String, value: String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw RktError(.invalidArgument, "\(flag)=\(text): expected NAME=VALUE")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    static func parseBool(_ text: String, flag: String) throws -> Bool {
        switch text.lowercased() {
        case "true", "1", "t": return true
        case "false", "0", "f": return false
        default: throw RktError(.invalidArgument, "\(flag): \"\(text)\" is not a boolean (true or false)")
        }
    }
}

/// Whether `name` is an appc AC Name: lower-case alphanumerics separated by single dashes.
public func isACName(_ name: String) -> Bool {
    guard !name.isEmpty, !name.hasPrefix("-"), !name.hasSuffix("-"), !name.contains("--") else {
        return false
    }
    return name.allSatisfy { ($0.isASCII && $0.isLowercase) || $0.isNumber || $0 == "-" }
}

/// The parsed global `--insecure-options` list (rkt-runtime.md §1.1).
public struct InsecureOptions: Sendable, Equatable {
    public var image = false
    public var tls = false
    public var http = false
    public var pubkey = false
    public var capabilities = false
    public var paths = false
    public var seccomp = false

    public init() {}

    public init(parsing text: String) throws {
        for item in text.split(separator: ",").map({ String($0).trimmed }) {
            switch item {
            case "none", "ondisk": break
            case "image": image = true
            case "tls": tls = true
            case "http": http = true
            case "pubkey": pubkey = true
            case "capabilities": capabilities = true
            case "paths": paths = true
            case "seccomp": seccomp = true
            case "all-fetch": (image, tls, http, pubkey) = (true, true, true, true)
            case "all-run": (capabilities, paths, seccomp) = (true, true, true)
            case "all": self = InsecureOptions(all: true)
            default:
                throw RktError(
                    .invalidArgument,
                    "--insecure-options: unknown option \"\(item)\" (valid: none, image, tls, ondisk, http, pubkey, capabilities, paths, seccomp, all-fetch, all-run, all)"
                )
            }
        }
    }

    private init(all: Bool) {
        (image, tls, http, pubkey, capabilities, paths, seccomp) = (all, all, all, all, all, all, all)
    }
}
