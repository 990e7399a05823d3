/// One header field: a lowercase name and its value.
public struct HeaderField: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The field name (HTTP/2 requires lowercase).
    public var name: String
    /// The field value.
    public var value: String
    /// Whether this field must never enter a compression table, here or at any intermediary
    /// (RFC 7541 §6.2.3). The decoder sets it for never-indexed literals; the encoder honours it.
    public var neverIndex: Bool

    /// Creates a field; `neverIndex` marks values such as credentials that must not be compressed.
    public init(_ name: String, _ value: String, neverIndex: Bool = false) {
        self.name = name
        self.value = value
        self.neverIndex = neverIndex
    }

    /// The size the field occupies in a dynamic table: name and value octets plus 32 (RFC 7541 §4.1).
    public var tableSize: Int { name.utf8.count + value.utf8.count + 32 }

    public var description: String { "\(name): \(value)" }
}
