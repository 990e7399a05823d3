/// One network a pod joined, as persisted in `<pod>/net-info.json` and reported by `rkt status`
/// (reference §3.5). `ip` and `mask` are written as JSON `null` when the plugin gave no IPv4.
public struct NetInfo: Codable, Equatable, Sendable {
    /// The network name.
    public let netName: String
    /// The path of the conf copy inside the pod directory (used again for CNI DEL).
    public let netConf: String
    /// The plugin executable that was run.
    public let pluginPath: String
    /// The interface name inside the pod (`eth0`, `eth1`, ...).
    public let ifName: String
    /// The pod's IPv4 address on this network, without prefix length.
    public var ip: String?
    /// `CNI_ARGS` used for this network.
    public let args: String
    /// The IPv4 netmask as a dotted quad.
    public var mask: String?

    private enum CodingKeys: String, CodingKey {
        case netName, netConf, pluginPath, ifName, ip, args, mask
    }

    public init(
        netName: String, netConf: String, pluginPath: String, ifName: String, ip: String? = nil, args: String = "",
        mask: String? = nil
    ) {
        self.netName = netName
        self.netConf = netConf
        self.pluginPath = pluginPath
        self.ifName = ifName
        self.ip = ip
        self.args = args
        self.mask = mask
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        netName = try container.decode(String.self, forKey: .netName)
        netConf = try container.decode(String.self, forKey: .netConf)
        pluginPath = try container.decode(String.self, forKey: .pluginPath)
        ifName = try container.decode(String.self, forKey: .ifName)
        ip = try container.decodeIfPresent(String.self, forKey: .ip)
        args = try container.decodeIfPresent(String.self, forKey: .args) ?? ""
        mask = try container.decodeIfPresent(String.self, forKey: .mask)
    }

    /// Encodes every key, including `null` for a missing address, as rkt did.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(netName, forKey: .netName)
        try container.encode(netConf, forKey: .netConf)
        try container.encode(pluginPath, forKey: .pluginPath)
        try container.encode(ifName, forKey: .ifName)
        try container.encode(ip, forKey: .ip)
        try container.encode(args, forKey: .args)
        try container.encode(mask, forKey: .mask)
    }
}
