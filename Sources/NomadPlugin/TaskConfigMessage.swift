import Protobuf

/// `TaskConfig` (driver.proto): the task Nomad asks the driver to start. Only the fields the rkt driver uses
/// are decoded; `raw` keeps the exact bytes so handles can echo the message unchanged.
public struct TaskConfigMessage: ProtobufMessage, Equatable {
    public var id = ""
    public var name = ""
    public var msgpackDriverConfig: [UInt8] = []
    public var env: [String: String] = [:]
    public var resources = TaskResourcesMessage()
    public var user = ""
    public var allocDir = ""
    public var stdoutPath = ""
    public var stderrPath = ""
    public var taskGroupName = ""
    public var jobName = ""
    public var allocID = ""
    /// The message as it arrived (or as `encode` last produced it).
    public var raw: [UInt8] = []

    public init(id: String = "", name: String = "") {
        self.id = id
        self.name = name
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: id = try reader.readString()
            case 2: name = try reader.readString()
            case 3: msgpackDriverConfig = try reader.readBytes()
            case 4:
                let (key, value) = try reader.readMapEntry(defaultValue: "") { (entry) throws(ProtobufError) in
                    try entry.readString()
                }
                env[key] = value
            case 6: resources = try reader.readMessage()
            case 9: user = try reader.readString()
            case 10: allocDir = try reader.readString()
            case 11: stdoutPath = try reader.readString()
            case 12: stderrPath = try reader.readString()
            case 13: taskGroupName = try reader.readString()
            case 14: jobName = try reader.readString()
            case 15: allocID = try reader.readString()
            default: try reader.skip()
            }
        }
    }

    /// Decodes `bytes` and keeps them as `raw`.
    public static func decodeKeepingRaw(_ bytes: [UInt8]) throws(ProtobufError) -> TaskConfigMessage {
        var message = try TaskConfigMessage(serialized: bytes)
        message.raw = bytes
        return message
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, stringIfSet: id)
        writer.write(2, stringIfSet: name)
        writer.write(3, bytesIfSet: msgpackDriverConfig)
        for (key, value) in env.sorted(by: { $0.key < $1.key }) {
            writer.writeMapEntry(4, key: key) { $0.write(2, string: value) }
        }
        writer.write(6, message: resources)
        writer.write(9, stringIfSet: user)
        writer.write(10, stringIfSet: allocDir)
        writer.write(11, stringIfSet: stdoutPath)
        writer.write(12, stringIfSet: stderrPath)
        writer.write(13, stringIfSet: taskGroupName)
        writer.write(14, stringIfSet: jobName)
        writer.write(15, stringIfSet: allocID)
    }
}

/// `Resources`: the allocated CPU, memory and networks, and the group's port mappings.
public struct TaskResourcesMessage: ProtobufMessage, Equatable {
    /// `allocated_resources.cpu.cpu_shares` (MHz).
    public var cpuShares: Int64 = 0
    /// `allocated_resources.memory.memory_mb`.
    public var memoryMB: Int64 = 0
    public var networks: [NetworkResourceMessage] = []
    /// `ports`: group network port mappings.
    public var ports: [PortMappingMessage] = []

    public init() {}

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: try readAllocated(try reader.readMessageReader())
            case 3: ports.append(try reader.readMessage())
            default: try reader.skip()
            }
        }
    }

    private mutating func readAllocated(_ allocated: ProtobufReader) throws(ProtobufError) {
        var reader = allocated
        while let field = try reader.nextField() {
            switch field {
            case 1: cpuShares = try Self.firstInt64(try reader.readMessageReader(), field: 1)
            case 2: memoryMB = try Self.firstInt64(try reader.readMessageReader(), field: 2)
            case 5: networks.append(try reader.readMessage())
            default: try reader.skip()
            }
        }
    }

    private static func firstInt64(_ message: ProtobufReader, field wanted: Int) throws(ProtobufError) -> Int64 {
        var reader = message
        var value: Int64 = 0
        while let field = try reader.nextField() {
            if field == wanted { value = try reader.readInt64() } else { try reader.skip() }
        }
        return value
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.writeMessage(1) { allocated in
            allocated.writeMessage(1) { $0.write(1, int64IfSet: cpuShares) }
            allocated.writeMessage(2) { $0.write(2, int64IfSet: memoryMB) }
            for network in networks { allocated.write(5, message: network) }
        }
        for port in ports { writer.write(3, message: port) }
    }
}

/// `NetworkResource`: a task-level network with its reserved and dynamic ports.
public struct NetworkResourceMessage: ProtobufMessage, Equatable {
    public var device = ""
    public var cidr = ""
    public var ip = ""
    public var mbits: Int32 = 0
    public var reservedPorts: [(label: String, value: Int32)] = []
    public var dynamicPorts: [(label: String, value: Int32)] = []

    public init(ip: String = "") {
        self.ip = ip
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.serialized() == rhs.serialized() }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: device = try reader.readString()
            case 2: cidr = try reader.readString()
            case 3: ip = try reader.readString()
            case 4: mbits = try reader.readInt32()
            case 5: reservedPorts.append(try Self.readPort(try reader.readMessageReader()))
            case 6: dynamicPorts.append(try Self.readPort(try reader.readMessageReader()))
            default: try reader.skip()
            }
        }
    }

    private static func readPort(_ message: ProtobufReader) throws(ProtobufError) -> (label: String, value: Int32) {
        var reader = message
        var port = (label: "", value: Int32(0))
        while let field = try reader.nextField() {
            switch field {
            case 1: port.label = try reader.readString()
            case 2: port.value = try reader.readInt32()
            default: try reader.skip()
            }
        }
        return port
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, stringIfSet: device)
        writer.write(2, stringIfSet: cidr)
        writer.write(3, stringIfSet: ip)
        writer.write(4, int64IfSet: Int64(mbits))
        for (field, ports) in [(5, reservedPorts), (6, dynamicPorts)] {
            for port in ports {
                writer.writeMessage(field) {
                    $0.write(1, stringIfSet: port.label)
                    $0.write(2, int64IfSet: Int64(port.value))
                }
            }
        }
    }
}

/// `PortMapping`: a group network port (`value` on the host, `to` inside the task).
public struct PortMappingMessage: ProtobufMessage, Equatable {
    public var label = ""
    public var value: Int32 = 0
    public var to: Int32 = 0
    public var hostIP = ""

    public init(label: String, value: Int32, to: Int32 = 0, hostIP: String = "") {
        self.label = label
        self.value = value
        self.to = to
        self.hostIP = hostIP
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: label = try reader.readString()
            case 2: value = try reader.readInt32()
            case 3: to = try reader.readInt32()
            case 4: hostIP = try reader.readString()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, stringIfSet: label)
        writer.write(2, int64IfSet: Int64(value))
        writer.write(3, int64IfSet: Int64(to))
        writer.write(4, stringIfSet: hostIP)
    }
}
