import FoundationEssentials
import Glibc
import RktError

/// A pod's identity: an RFC 4122 random UUID, stored and printed in canonical lower-case form.
public struct PodUUID: Hashable, Sendable, CustomStringConvertible {
    public let canonical: String

    /// A new random UUID.
    public init() {
        canonical = UUID().uuidString.lowercased()
    }

    /// Parses a full UUID with or without dashes.
    public init(parsing text: String) throws {
        let hex = text.lowercased().filter { $0 != "-" }
        guard hex.count == 32, hex.allSatisfy(\.isHexDigit) else {
            throw RktError(.invalidArgument, "invalid pod UUID \"\(text)\": expected 32 hex digits")
        }
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(Array(hex)[range])
        }
        canonical = parts.joined(separator: "-")
    }

    /// The first 8 hex digits, as rkt shows them in tables and chain names.
    public var short: String { String(canonical.prefix(8)) }

    /// The UUID without dashes (rkt's machine-id).
    public var compact: String { canonical.filter { $0 != "-" } }

    /// The runc container ID of the pod's single app.
    public var containerID: String { "rkt-\(canonical)" }

    public var description: String { canonical }
}

extension PodUUID {
    /// A fixed UUID for tests; traps on malformed input.
    public init(canonicalForTests text: String) {
        guard let parsed = try? PodUUID(parsing: text) else {
            preconditionFailure("invalid test UUID \(text)")
        }
        self = parsed
    }
}
