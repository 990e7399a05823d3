import FoundationEssentials
import Glibc
import RktError
import RktSys

/// Checks an image's detached OpenPGP signature with gpgv against the keys trusted for the
/// image name's prefixes, in rkt's trust layout (`<config>/trustedkeys/{root.d,prefix.d/<p>}`).
public struct SignatureVerifier: Sendable {
    public let configDirectory: String

    public init(configDirectory: String) {
        self.configDirectory = configDirectory
    }

    /// The key files that may sign an image called `imageName`: root keys, then the keys of
    /// every `/`-separated prefix of the name.
    public func trustedKeyFiles(for imageName: String) -> [String] {
        let base = "\(configDirectory)/trustedkeys"
        var directories = ["\(base)/root.d"]
        let components = imageName.split(separator: "/")
        for count in 1...max(components.count, 1) {
            directories.append("\(base)/prefix.d/\(components.prefix(count).joined(separator: "/"))")
        }
        return directories.flatMap { directory in
            ((try? FileSystem.list(directory)) ?? []).map { "\(directory)/\($0)" }.filter(Self.isRegularFile)
        }
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    public func verify(file: String, signature: String, imageName: String) throws {
        guard FileSystem.exists(signature) else {
            throw RktError(
                .notFound,
                "image \"\(imageName)\": no signature at \(signature); sign it, or pass --insecure-options=image to skip verification"
            )
        }
        let keys = trustedKeyFiles(for: imageName)
        guard !keys.isEmpty else {
            throw RktError(
                .notFound,
                "image \"\(imageName)\": no keys are trusted for its prefix; run rkt trust --prefix=\(imageName) KEYFILE"
            )
        }
        let keyring = try makeKeyring(keys)
        defer { unlink(keyring) }
        let output = try Subprocess.run("gpgv", ["--keyring", keyring, signature, file])
        guard output.status.succeeded else {
            throw RktError(
                .invalidArgument,
                "image \"\(imageName)\": signature \(signature) does not verify with the keys trusted for its prefix: \(output.stderrText.trimmed.split(separator: "\n").joined(separator: "; "))"
            )
        }
    }

    /// gpgv wants a binary keyring: dearmor every trusted key into one temporary file.
    private func makeKeyring(_ keyFiles: [String]) throws -> String {
        var keyring: [UInt8] = []
        for file in keyFiles {
            let armored = try FileSystem.read(file)
            let output = try Subprocess.run("gpg", ["--batch", "--dearmor"], input: armored)
            guard output.status.succeeded else {
                throw RktError(
                    .invalidArgument, "trusted key \(file) is not an armored OpenPGP key: \(output.stderrText.trimmed)")
            }
            keyring += output.stdout
        }
        let path = "\(FileSystem.temporaryDirectory)rkt-keyring-\(getpid()).gpg"
        try FileSystem.replace(keyring, to: path, mode: 0o600)
        return path
    }
}
