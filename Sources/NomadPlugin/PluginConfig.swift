import Driver
import MsgPack
import RktError

/// The agent's plugin config block, decoded from cty msgpack (reference §5).
public struct PluginConfig: Equatable, Sendable {
    public var volumesEnabled: Bool?
    public var dataDirectory: String?
    public var rktPath: String?
    public var rktDirectory: String?

    public init(
        volumesEnabled: Bool? = nil, dataDirectory: String? = nil, rktPath: String? = nil, rktDirectory: String? = nil
    ) {
        self.volumesEnabled = volumesEnabled
        self.dataDirectory = dataDirectory
        self.rktPath = rktPath
        self.rktDirectory = rktDirectory
    }

    /// Decodes `msgpack_config`; empty bytes mean "no config block".
    public static func decode(_ bytes: [UInt8]) throws(RktError) -> PluginConfig {
        guard !bytes.isEmpty else { return PluginConfig() }
        let value: MsgPackValue
        do {
            value = try MsgPackDecoder().decode(bytes)
        } catch {
            throw RktError(.invalidArgument, "plugin config is not valid msgpack: \(error)")
        }
        guard let attributes = CtyMsgPack.attributes(value) else {
            throw RktError(.invalidArgument, "plugin config must be an object")
        }
        var config = PluginConfig()
        switch attributes["volumes_enabled"] ?? .null {
        case .null: break
        case .bool(let enabled): config.volumesEnabled = enabled
        default: throw RktError(.invalidArgument, "plugin config: volumes_enabled must be a bool")
        }
        config.dataDirectory = try path(attributes, "data_dir")
        config.rktPath = try path(attributes, "rkt")
        config.rktDirectory = try path(attributes, "rkt_dir")
        return config
    }

    private static func path(_ attributes: [String: MsgPackValue], _ key: String) throws(RktError) -> String? {
        switch attributes[key] ?? .null {
        case .null: return nil
        case .string(let text) where text.hasPrefix("/"): return text
        case .string(""): return nil
        default: throw RktError(.invalidArgument, "plugin config: \(key) must be an absolute path")
        }
    }

    /// `base` with the values this config sets.
    public func applied(to base: DriverSettings) -> DriverSettings {
        var settings = base
        settings.volumesEnabled = volumesEnabled ?? settings.volumesEnabled
        settings.dataDirectory = dataDirectory ?? settings.dataDirectory
        settings.rktPath = rktPath ?? settings.rktPath
        settings.rktDataDirectory = rktDirectory ?? settings.rktDataDirectory
        return settings
    }
}
