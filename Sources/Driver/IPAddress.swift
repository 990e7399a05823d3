import Glibc

/// An IPv4 or IPv6 address parsed from text (no zone, no prefix length), with the address
/// classes the driver needs. IPv4-mapped IPv6 addresses are classified as their IPv4 address.
public struct IPAddress: Equatable, Sendable {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Parses dotted-quad IPv4 or any textual IPv6 form; nil otherwise.
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else {
            return nil
        }
        bytes = withUnsafeBytes(of: &v6) { Array($0) }
    }

    /// The IPv4 bytes, for an IPv4 or IPv4-mapped address.
    var ipv4: [UInt8]? {
        if bytes.count == 4 {
            return bytes
        }
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xFF, 0xFF]
        return Array(bytes.prefix(12)) == mappedPrefix ? Array(bytes.suffix(4)) : nil
    }

    /// Unicast and routable in scope: not unspecified, loopback, multicast, link-local or the
    /// IPv4 broadcast address. Private (RFC 1918, ULA) addresses count as global unicast.
    public var isGlobalUnicast: Bool {
        if let v4 = ipv4 {
            let isUnspecified = v4 == [0, 0, 0, 0]
            let isBroadcast = v4 == [255, 255, 255, 255]
            let isLoopback = v4[0] == 127
            let isMulticast = v4[0] >= 224 && v4[0] <= 239
            let isLinkLocal = v4[0] == 169 && v4[1] == 254
            return !(isUnspecified || isBroadcast || isLoopback || isMulticast || isLinkLocal)
        }
        let isUnspecified = bytes.allSatisfy { $0 == 0 }
        let isLoopback = bytes.dropLast().allSatisfy { $0 == 0 } && bytes[15] == 1
        let isMulticast = bytes[0] == 0xFF
        let isLinkLocal = bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80
        return !(isUnspecified || isLoopback || isMulticast || isLinkLocal)
    }
}
