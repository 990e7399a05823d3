import Protobuf

/// `PluginInfoResponse` (base.proto): what kind of plugin this is and which API versions it speaks.
public struct PluginInfoResponse: ProtobufMessage, Equatable {
    /// `PluginType`: 2 = driver.
    public var type: Int64 = 2
    public var pluginAPIVersions: [String] = []
    public var pluginVersion = ""
    public var name = ""

    public init(type: Int64 = 2, pluginAPIVersions: [String], pluginVersion: String, name: String) {
        self.type = type
        self.pluginAPIVersions = pluginAPIVersions
        self.pluginVersion = pluginVersion
        self.name = name
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: type = try reader.readInt64()
            case 2: pluginAPIVersions.append(try reader.readString())
            case 3: pluginVersion = try reader.readString()
            case 4: name = try reader.readString()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, int64IfSet: type)
        for version in pluginAPIVersions { writer.write(2, string: version) }
        writer.write(3, stringIfSet: pluginVersion)
        writer.write(4, stringIfSet: name)
    }
}

/// `ConfigSchemaResponse` and `TaskConfigSchemaResponse`: one optional spec in field 1.
public struct SchemaResponse: ProtobufMessage, Equatable {
    public var spec: HCLSpec?

    public init(spec: HCLSpec?) {
        self.spec = spec
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            if field == 1 { spec = try reader.readMessage() } else { try reader.skip() }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        if let spec { writer.write(1, message: spec) }
    }
}

/// `SetConfigRequest`: the agent's `plugin { config {} }` block in cty msgpack, plus agent settings.
public struct SetConfigRequest: ProtobufMessage, Equatable {
    public var msgpackConfig: [UInt8] = []
    /// `nomad_config.driver.{ClientMaxPort, ClientMinPort}`, when the agent sent it (absent on validation).
    public var clientPortRange: ClosedRange<UInt32>?
    public var hasNomadConfig = false
    public var pluginAPIVersion = ""

    public init(msgpackConfig: [UInt8] = [], pluginAPIVersion: String = "") {
        self.msgpackConfig = msgpackConfig
        self.pluginAPIVersion = pluginAPIVersion
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: msgpackConfig = try reader.readBytes()
            case 2:
                hasNomadConfig = true
                clientPortRange = try Self.readPortRange(try reader.readMessageReader())
            case 3: pluginAPIVersion = try reader.readString()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, bytesIfSet: msgpackConfig)
        if hasNomadConfig {
            writer.writeMessage(2) { nomad in
                nomad.writeMessage(1) {
                    $0.write(1, uint64IfSet: UInt64(clientPortRange?.upperBound ?? 0))
                    $0.write(2, uint64IfSet: UInt64(clientPortRange?.lowerBound ?? 0))
                }
            }
        }
        writer.write(3, stringIfSet: pluginAPIVersion)
    }

    private static func readPortRange(_ nomadConfig: ProtobufReader) throws(ProtobufError) -> ClosedRange<UInt32>? {
        var nomad = nomadConfig
        var (maxPort, minPort) = (UInt32(0), UInt32(0))
        while let field = try nomad.nextField() {
            guard field == 1 else {
                try nomad.skip()
                continue
            }
            var driver = try nomad.readMessageReader()
            while let inner = try driver.nextField() {
                switch inner {
                case 1: maxPort = try driver.readUInt32()
                case 2: minPort = try driver.readUInt32()
                default: try driver.skip()
                }
            }
        }
        return minPort <= maxPort && maxPort > 0 ? minPort...maxPort : nil
    }
}

/// `grpc.health.v1.HealthCheckResponse`: `status` 1 = SERVING.
public struct HealthCheckResponse: ProtobufMessage, Equatable {
    public var status: Int64 = 1

    public init(status: Int64 = 1) {
        self.status = status
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            if field == 1 { status = try reader.readInt64() } else { try reader.skip() }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, int64IfSet: status)
    }
}
