/// Small IPv4 text helpers.
enum IPv4 {
    /// The dotted-quad netmask for a prefix length (clamped to 0...32).
    static func mask(prefixLength: Int) -> String {
        let bits = max(0, min(32, prefixLength))
        let value: UInt32 = bits == 0 ? 0 : UInt32.max << UInt32(32 - bits)
        return [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xff) }.joined(separator: ".")
    }

    /// Whether `text` (optionally with `/len`) looks like an IPv4 address rather than IPv6.
    static func isIPv4(_ text: String) -> Bool {
        let address = text.split(separator: "/").first ?? ""
        let parts = address.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }
}
