/// The network a driver reports for a task: the pod's IP and the container ports of the task's
/// port labels. rkt never asks for auto-advertising, so `autoAdvertise` stays false for it.
public struct DriverNetwork: Equatable, Hashable, Sendable, Codable {
    public var ip: String
    /// Port label → port number inside the pod.
    public var portMap: [String: Int]
    public var autoAdvertise: Bool

    public init(ip: String, portMap: [String: Int] = [:], autoAdvertise: Bool = false) {
        self.ip = ip
        self.portMap = portMap
        self.autoAdvertise = autoAdvertise
    }

    enum CodingKeys: String, CodingKey {
        case ip = "IP"
        case portMap = "PortMap"
        case autoAdvertise = "AutoAdvertise"
    }

    /// Missing `PortMap`/`AutoAdvertise` decode as empty/false (a default value alone would not
    /// make the key optional, STYLE §5.12).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ip = try container.decode(String.self, forKey: .ip)
        portMap = try container.decodeIfPresent([String: Int].self, forKey: .portMap) ?? [:]
        autoAdvertise = try container.decodeIfPresent(Bool.self, forKey: .autoAdvertise) ?? false
    }

    /// Whether `auto` services should use this network; false for no network.
    public static func advertises(_ network: DriverNetwork?) -> Bool {
        network?.autoAdvertise ?? false
    }
}
