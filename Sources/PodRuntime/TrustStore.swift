import FoundationEssentials
import Glibc
import RktError
import RktSys

/// rkt's trusted-key store: armored OpenPGP public keys under
/// `<config>/trustedkeys/prefix.d/<prefix>/<fingerprint>` or `<config>/trustedkeys/root.d/<fingerprint>`,
/// the file name being the key's 40-hex fingerprint in lower case (rkt-runtime.md §1.4, §5.5).
public struct TrustStore: Sendable {
    /// What a key was trusted for.
    public enum Scope: Sendable, Equatable {
        case prefix(String)
        case root
    }

    /// A key as gpg describes it.
    public struct KeyInfo: Sendable, Equatable {
        public let fingerprint: String
        public let identities: [String]
    }

    public let configDirectory: String

    public init(configDirectory: String) {
        self.configDirectory = configDirectory
    }

    public func directory(for scope: Scope) -> String {
        switch scope {
        case .prefix(let prefix): "\(configDirectory)/trustedkeys/prefix.d/\(prefix)"
        case .root: "\(configDirectory)/trustedkeys/root.d"
        }
    }

    /// Stores an armored key for `scope`; returns where it went and what it is.
    public func add(keyFile: String, scope: Scope) throws -> (path: String, key: KeyInfo) {
        let armored = try FileSystem.read(keyFile)
        let key = try Self.inspect(armored, source: keyFile)
        let directory = directory(for: scope)
        try FileSystem.makeDirectories(directory, mode: 0o755)
        let path = "\(directory)/\(key.fingerprint)"
        try FileSystem.replace(armored, to: path, mode: 0o644)
        return (path, key)
    }

    /// The keys already trusted for exactly `scope`.
    public func keys(for scope: Scope) -> [String] {
        ((try? FileSystem.list(directory(for: scope))) ?? []).map { "\(directory(for: scope))/\($0)" }
    }

    /// Reads an armored public key with gpg (in a throw-away home, so the user's keyring is
    /// never touched): its fingerprint and user IDs.
    public static func inspect(_ armored: [UInt8], source: String) throws -> KeyInfo {
        let home = "\(FileSystem.temporaryDirectory)rkt-gpg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileSystem.makeDirectories(home, mode: 0o700)
        defer { try? FileSystem.removeTree(home) }
        let output = try Subprocess.run(
            "gpg", ["--homedir", home, "--batch", "--with-colons", "--import-options", "show-only", "--import"],
            input: armored)
        let records = output.stdoutText.split(separator: "\n").map {
            $0.split(separator: ":", omittingEmptySubsequences: false)
        }
        guard output.status.succeeded, let fingerprint = records.first(where: { $0.first == "fpr" && $0.count > 9 })?[9]
        else {
            throw RktError(
                .invalidArgument, "\(source) is not an ASCII-armored OpenPGP public key: \(output.stderrText.trimmed)")
        }
        let identities = records.filter { $0.first == "uid" && $0.count > 9 }.map { String($0[9]) }
        return KeyInfo(fingerprint: fingerprint.lowercased(), identities: identities)
    }

    /// The fingerprint as rkt printed it: upper-case pairs of 4, a double space in the middle.
    public static func displayFingerprint(_ fingerprint: String) -> String {
        let upper = Array(fingerprint.uppercased())
        let groups = stride(from: 0, to: upper.count, by: 4).map { String(upper[$0..<min($0 + 4, upper.count)]) }
        let half = groups.count / 2
        return groups[..<half].joined(separator: " ") + "  " + groups[half...].joined(separator: " ")
    }
}
