import FoundationEssentials
import PodRuntime
import RktError
import RktSys

extension RktCommandLine {
    static let trustCommand = Command(
        name: "trust", summary: "Trust a key for image verification",
        flags: ["prefix": .value, "root": .bool, "skip-fingerprint-review": .bool, "insecure-allow-http": .bool],
        supervises: false
    ) { invocation in
        let flags = Dictionary(try invocation.flags(), uniquingKeysWith: { _, b in b })
        let keys = try invocation.positionals()
        let root = try parseBool(flags["root"] ?? "false", flag: "root")
        let scope = try trustScope(prefix: flags["prefix"], root: root, haveKeys: !keys.isEmpty)
        let store = TrustStore(configDirectory: invocation.globals.localConfig)
        guard !keys.isEmpty else {
            return try trustWithoutKeyFile(store, scope: scope, invocation: &invocation)
        }
        guard try parseBool(flags["skip-fingerprint-review"] ?? "false", flag: "skip-fingerprint-review") else {
            throw RktError(
                .invalidArgument,
                "unable to ask user to review fingerprint due to lack of tty; pass --skip-fingerprint-review")
        }
        for keyFile in keys {
            let (path, key) = try store.add(keyFile: keyFile, scope: scope)
            var text = "pubkey: prefix: \"\(flags["prefix"] ?? "")\"\nkey: \"\(keyFile)\"\n"
            text += "gpg key fingerprint is: \(TrustStore.displayFingerprint(key.fingerprint))\n"
            text += key.identities.map { "\t\($0)\n" }.joined()
            text += "Trusting \"\(keyFile)\" for prefix \"\(flags["prefix"] ?? "")\" without fingerprint review.\n"
            text +=
                scope == .root
                ? "Added root key at \"\(path)\"\n"
                : "Added key for prefix \"\(flags["prefix"] ?? "")\" at \"\(path)\"\n"
            Console.error(text)
        }
        return 0
    }

    private static func trustScope(prefix: String?, root: Bool, haveKeys: Bool) throws -> TrustStore.Scope {
        switch (prefix, root) {
        case (.some, true):
            throw RktError(.invalidArgument, "--prefix and --root are mutually exclusive")
        case (.some(let prefix), false):
            guard !prefix.contains("://") else {
                throw RktError(
                    .invalidArgument,
                    "--prefix must not contain a URL scheme, omit \(prefix.components(separatedBy: "://")[0])://")
            }
            return .prefix(prefix)
        case (.none, true):
            return .root
        case (.none, false):
            throw RktError(
                .invalidArgument,
                haveKeys
                    ? "aborting due to implicit unbounded trust; use --prefix or --root"
                    : "--prefix or --root is required")
        }
    }

    /// Without a key file rkt discovers keys over HTTPS; no host but this one may be reached
    /// here, so this succeeds only when keys for the prefix were already trusted by the operator.
    private static func trustWithoutKeyFile(
        _ store: TrustStore, scope: TrustStore.Scope, invocation: inout Invocation
    ) throws -> Int32 {
        let existing = store.keys(for: scope)
        guard !existing.isEmpty else {
            throw RktError(
                .unsupported,
                "no key file given and key discovery over HTTPS is not supported; trust a key file first: rkt trust --prefix=PREFIX --skip-fingerprint-review KEY.asc"
            )
        }
        Console.error("prefix already trusted (\(existing.count) key(s) in \(store.directory(for: scope)))\n")
        return 0
    }
}
