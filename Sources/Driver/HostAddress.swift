import Glibc

/// The address the node advertises for host-mode ports: the first global IPv4 address of an
/// interface that is up and not loopback (what Nomad's fingerprinter picks by default).
public enum HostAddress {
    public static func primaryIPv4() -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else {
            return nil
        }
        defer { freeifaddrs(list) }
        var candidates: [(name: String, address: String)] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            let flags = Int32(entry.pointee.ifa_flags)
            guard let socketAddress = entry.pointee.ifa_addr, socketAddress.pointee.sa_family == sa_family_t(AF_INET),
                flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0
            else {
                continue
            }
            let address = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            let name = String(cString: entry.pointee.ifa_name)
            candidates.append((name, dottedQuad(address)))
        }
        let physical = candidates.filter {
            !$0.name.hasPrefix("veth") && !$0.name.hasPrefix("cni") && !$0.name.hasPrefix("docker")
        }
        return (physical.first ?? candidates.first)?.address
    }

    static func dottedQuad(_ address: in_addr) -> String {
        let value = UInt32(bigEndian: address.s_addr)
        return [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xff) }.joined(separator: ".")
    }
}
