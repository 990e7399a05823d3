import FoundationEssentials
import RktError

/// A CNI network configuration (one `.conf` file) as rkt reads it (reference §3.2).
public struct NetConf: Equatable, Sendable {
    /// The network name, which `--net` refers to.
    public let name: String
    /// The plugin name (`ptp`, `bridge`, ...).
    public let type: String
    /// The CNI spec version the conf asks for; CNI treats a missing version as `0.1.0`.
    public let cniVersion: String
    /// Whether the network masquerades outgoing traffic; decides the forwardable network.
    public let ipMasq: Bool
    /// The file name the conf came from; networks are set up in this order.
    public let fileName: String
    /// Where the conf came from: a file path, or `builtin`.
    public let origin: String
    /// The exact conf bytes handed to the plugin on stdin.
    public let bytes: [UInt8]

    /// The fields we read; everything else is passed through to the plugin untouched.
    private struct Fields: Decodable {
        let name: String?
        let type: String?
        let cniVersion: String?
        let ipMasq: Bool?
    }

    /// Parses conf bytes, requiring a non-empty `name` and `type`.
    public init(bytes: [UInt8], fileName: String, origin: String) throws {
        let fields: Fields
        do {
            fields = try JSONDecoder().decode(Fields.self, from: Data(bytes))
        } catch {
            throw RktError(.invalidArgument, "invalid network configuration \(origin): \(error)")
        }
        guard let name = fields.name, !name.isEmpty, let type = fields.type, !type.isEmpty else {
            throw RktError(
                .invalidArgument, "invalid network configuration \(origin): \"name\" and \"type\" are required")
        }
        self.name = name
        self.type = type
        self.cniVersion = fields.cniVersion ?? "0.1.0"
        self.ipMasq = fields.ipMasq ?? false
        self.fileName = fileName
        self.origin = origin
        self.bytes = bytes
    }
}
