import Protobuf

/// `hashicorp.nomad.plugins.shared.structs.Attribute`: one typed node attribute value.
public enum AttributeValue: Equatable, Sendable {
    case string(String)
    case int(Int64)
    case float(Double)
    case bool(Bool)

    func encode(to writer: inout ProtobufWriter) {
        switch self {
        case .float(let value): writer.write(1, double: value)
        case .int(let value): writer.write(2, int64: value)
        case .string(let value): writer.write(3, string: value)
        case .bool(let value): writer.write(4, bool: value)
        }
    }

    static func decode(_ message: ProtobufReader) throws(ProtobufError) -> AttributeValue {
        var reader = message
        var value = AttributeValue.string("")
        while let field = try reader.nextField() {
            switch field {
            case 1: value = .float(try reader.readDouble())
            case 2: value = .int(try reader.readInt64())
            case 3: value = .string(try reader.readString())
            case 4: value = .bool(try reader.readBool())
            default: try reader.skip()
            }
        }
        return value
    }
}

/// `FingerprintResponse`: node attributes and the driver's health.
public struct FingerprintResponse: ProtobufMessage, Equatable {
    /// `HealthState`.
    public enum Health: Int64, Sendable {
        case undetected = 0
        case unhealthy = 1
        case healthy = 2
    }

    public var attributes: [String: AttributeValue] = [:]
    public var health = Health.undetected
    public var healthDescription = ""

    public init(attributes: [String: AttributeValue], health: Health, healthDescription: String) {
        self.attributes = attributes
        self.health = health
        self.healthDescription = healthDescription
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1:
                let (key, value) = try reader.readMapEntry(defaultValue: AttributeValue.string("")) {
                    (entry) throws(ProtobufError) in try AttributeValue.decode(try entry.readMessageReader())
                }
                attributes[key] = value
            case 2: health = Health(rawValue: try reader.readInt64()) ?? .undetected
            case 3: healthDescription = try reader.readString()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
            // The entry's value message is always written: the agent dereferences it.
            writer.writeMapEntry(1, key: key) { entry in entry.writeMessage(2) { value.encode(to: &$0) } }
        }
        writer.write(2, int64IfSet: health.rawValue)
        writer.write(3, stringIfSet: healthDescription)
    }
}

/// `CapabilitiesResponse{capabilities: DriverCapabilities}`.
public struct CapabilitiesResponse: ProtobufMessage, Equatable {
    public var sendSignals = false
    public var exec = false
    /// `FSIsolation`: 0 none, 1 chroot, 2 image.
    public var fsIsolation: Int64 = 0
    /// `NetworkIsolationMode`s: 0 host, 1 group, 2 task, 3 none.
    public var networkIsolationModes: [UInt64] = []
    public var mustCreateNetwork = false
    /// `MountConfigs`: 0 any, 1 none.
    public var mountConfigs: Int64 = 0

    public init(sendSignals: Bool, exec: Bool, fsIsolation: Int64, mountConfigs: Int64) {
        self.sendSignals = sendSignals
        self.exec = exec
        self.fsIsolation = fsIsolation
        self.mountConfigs = mountConfigs
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            guard field == 1 else {
                try reader.skip()
                continue
            }
            var inner = try reader.readMessageReader()
            while let capability = try inner.nextField() {
                switch capability {
                case 1: sendSignals = try inner.readBool()
                case 2: exec = try inner.readBool()
                case 3: fsIsolation = try inner.readInt64()
                case 4: networkIsolationModes += try inner.readRepeatedVarint()
                case 5: mustCreateNetwork = try inner.readBool()
                case 6: mountConfigs = try inner.readInt64()
                default: try inner.skip()
                }
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.writeMessage(1) {
            $0.write(1, boolIfSet: sendSignals)
            $0.write(2, boolIfSet: exec)
            $0.write(3, int64IfSet: fsIsolation)
            $0.write(4, packed: networkIsolationModes)
            $0.write(5, boolIfSet: mustCreateNetwork)
            $0.write(6, int64IfSet: mountConfigs)
        }
    }
}

/// `TaskStatsResponse{stats: TaskStats}` with the aggregate usage only (both required sub-messages present).
public struct TaskStatsResponse: ProtobufMessage, Equatable {
    public var taskID = ""
    public var timestamp = SecondsAndNanos()
    /// CPU: percent of one core, throttled periods and time (ns); `cpuMeasured` lists the fields read.
    public var cpuPercent: Double = 0
    public var throttledPeriods: UInt64 = 0
    public var throttledTime: UInt64 = 0
    /// `CPUUsage.Measured` enum values: 3 throttled periods, 4 throttled time, 5 percent.
    public var cpuMeasured: [UInt64] = []
    /// Memory in bytes by `MemoryUsage` field number (1 rss, 2 cache, 3 max usage, 4 kernel, 5 kernel max,
    /// 7 usage, 8 swap); `memoryMeasured` lists the enum values of the fields read.
    public var memory: [Int: UInt64] = [:]
    public var memoryMeasured: [UInt64] = []

    public init(taskID: String, timestamp: SecondsAndNanos) {
        self.taskID = taskID
        self.timestamp = timestamp
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            guard field == 1 else {
                try reader.skip()
                continue
            }
            var stats = try reader.readMessageReader()
            while let inner = try stats.nextField() {
                switch inner {
                case 1: taskID = try stats.readString()
                case 2: timestamp = try stats.readMessage()
                case 3: try readUsage(try stats.readMessageReader())
                default: try stats.skip()
                }
            }
        }
    }

    private mutating func readUsage(_ usage: ProtobufReader) throws(ProtobufError) {
        var reader = usage
        while let field = try reader.nextField() {
            var inner = try reader.readMessageReader()
            while let number = try inner.nextField() {
                switch (field, number) {
                case (1, 4): throttledPeriods = try inner.readUInt64()
                case (1, 5): throttledTime = try inner.readUInt64()
                case (1, 6): cpuPercent = try inner.readDouble()
                case (1, 7): cpuMeasured += try inner.readRepeatedVarint()
                case (2, 6): memoryMeasured += try inner.readRepeatedVarint()
                case (2, 1...8): memory[number] = try inner.readUInt64()
                default: try inner.skip()
                }
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.writeMessage(1) { stats in
            stats.write(1, stringIfSet: taskID)
            stats.write(2, message: timestamp)
            stats.writeMessage(3) { usage in
                usage.writeMessage(1) {
                    $0.write(4, uint64IfSet: throttledPeriods)
                    $0.write(5, uint64IfSet: throttledTime)
                    $0.write(6, doubleIfSet: cpuPercent)
                    $0.write(7, packed: cpuMeasured)
                }
                usage.writeMessage(2) { out in
                    for (number, value) in memory.sorted(by: { $0.key < $1.key }) where number != 6 {
                        out.write(number, uint64IfSet: value)
                    }
                    out.write(6, packed: memoryMeasured)
                }
            }
        }
    }
}
