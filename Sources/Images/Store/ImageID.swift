import RktError

/// An appc image ID: "sha512-" and the 128 lower-case hex digits of the SHA-512 of the uncompressed
/// tar. rkt's store key is the same string cut to 64 hex digits.
public struct ImageID: Hashable, Sendable, CustomStringConvertible {
    /// The 128 hex digits.
    public let hex: String

    /// The algorithm prefix of every ID.
    public static let prefix = "sha512-"

    /// Parses a full ID ("sha512-" + 128 hex digits); nil for anything else.
    public init?(_ text: String) {
        guard let digits = Self.hexPart(text), digits.count == 128 else {
            return nil
        }
        hex = digits
    }

    /// The ID of a digest given as hex.
    init(digestHex: String) {
        hex = digestHex
    }

    /// "sha512-" + 128 hex digits.
    public var full: String { Self.prefix + hex }

    /// "sha512-" + the first 64 hex digits: the key images are stored under.
    public var storeKey: String { Self.prefix + hex.prefix(64) }

    public var description: String { full }

    /// The hex digits of "sha512-<1...128 lower-case hex digits>", or nil.
    static func hexPart(_ text: String) -> String? {
        guard text.hasPrefix(prefix) else {
            return nil
        }
        let digits = String(text.dropFirst(prefix.count))
        let isHex = digits.utf8.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        }
        guard isHex, (1...128).contains(digits.count) else {
            return nil
        }
        return digits
    }

    /// Whether `text` is a usable lookup prefix: "sha512-" and at least two hex digits.
    static func isLookupPrefix(_ text: String) -> Bool {
        (hexPart(text)?.count ?? 0) >= 2
    }
}
