import FoundationEssentials
import RktError

/// The part of a CNI ADD result the runtime keeps: the pod's first IPv4 address.
///
/// Plugins answer in the format of the conf's `cniVersion`: `0.1.0`/`0.2.0` put the address in
/// `ip4.ip`, `0.3.0` and later list `ips[]` (with `version` before 1.0.0, without it since).
/// Both are normalised here, so nothing above this type cares which one a conf used.
public struct CNIResult: Equatable, Sendable {
    /// The IPv4 address with prefix length, e.g. `172.16.28.2/24`; nil if the plugin gave none.
    public let ipv4CIDR: String?
    /// The IPv4 gateway (the host side of a ptp link), if reported.
    public let gateway: String?

    public init(ipv4CIDR: String?, gateway: String?) {
        self.ipv4CIDR = ipv4CIDR
        self.gateway = gateway
    }

    /// The address without its prefix length.
    public var ip: String? {
        ipv4CIDR.map { String($0.split(separator: "/")[0]) }
    }

    /// The netmask as a dotted quad, from the prefix length.
    public var mask: String? {
        guard let cidr = ipv4CIDR, let slash = cidr.firstIndex(of: "/"),
            let bits = Int(cidr[cidr.index(after: slash)...])
        else {
            return nil
        }
        return IPv4.mask(prefixLength: bits)
    }

    private struct Wire: Decodable {
        struct Legacy: Decodable {
            let ip: String?
            let gateway: String?
        }

        struct Address: Decodable {
            let version: String?
            let address: String
            let gateway: String?
        }

        let ip4: Legacy?
        let ips: [Address]?
    }

    /// Parses a plugin's stdout in either result format.
    public static func parse(_ bytes: [UInt8]) throws -> CNIResult {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(bytes))
        } catch {
            let text = String(decoding: bytes.prefix(200), as: UTF8.self)
            throw RktError(.internal, "unparsable CNI result \(text): \(error)")
        }
        if let legacy = wire.ip4 {
            return CNIResult(ipv4CIDR: legacy.ip, gateway: legacy.gateway)
        }
        let first = wire.ips?.first { entry in
            entry.version.map { $0 == "4" } ?? IPv4.isIPv4(entry.address)
        }
        return CNIResult(ipv4CIDR: first?.address, gateway: first?.gateway)
    }
}
