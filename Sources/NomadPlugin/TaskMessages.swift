import Protobuf

/// `TaskHandle`: what Nomad persists for a started task and hands back in `RecoverTask`.
public struct TaskHandleMessage: ProtobufMessage, Equatable {
    /// The driver-state schema version (0 is reserved for pre-0.9 handles).
    public var version: Int32 = 1
    /// The `TaskConfig` message bytes, echoed.
    public var config: [UInt8] = []
    /// `TaskState`: 0 unknown, 1 running, 2 exited.
    public var state: Int64 = 0
    public var driverState: [UInt8] = []

    public init(version: Int32 = 1, config: [UInt8], state: Int64, driverState: [UInt8]) {
        self.version = version
        self.config = config
        self.state = state
        self.driverState = driverState
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: version = try reader.readInt32()
            case 2: config = try reader.readBytes()
            case 3: state = try reader.readInt64()
            case 4: driverState = try reader.readBytes()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, int64IfSet: Int64(version))
        writer.write(2, bytes: config)
        writer.write(3, int64IfSet: state)
        writer.write(4, bytesIfSet: driverState)
    }
}

/// `NetworkOverride`: the task's own address and the container ports of its port labels.
public struct NetworkOverrideMessage: ProtobufMessage, Equatable {
    public var portMap: [String: Int32] = [:]
    public var addr = ""
    public var autoAdvertise = false

    public init(portMap: [String: Int32] = [:], addr: String = "", autoAdvertise: Bool = false) {
        self.portMap = portMap
        self.addr = addr
        self.autoAdvertise = autoAdvertise
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1:
                let (key, value) = try reader.readMapEntry(defaultValue: Int32(0)) { (entry) throws(ProtobufError) in
                    try entry.readInt32()
                }
                portMap[key] = value
            case 2: addr = try reader.readString()
            case 3: autoAdvertise = try reader.readBool()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        for (label, port) in portMap.sorted(by: { $0.key < $1.key }) {
            writer.writeMapEntry(1, key: label) { $0.write(2, int64IfSet: Int64(port)) }
        }
        writer.write(2, stringIfSet: addr)
        writer.write(3, boolIfSet: autoAdvertise)
    }
}

/// `ExitResult`.
public struct ExitResultMessage: ProtobufMessage, Equatable {
    public var exitCode: Int32 = 0
    public var signal: Int32 = 0
    public var oomKilled = false

    public init(exitCode: Int32 = 0, signal: Int32 = 0, oomKilled: Bool = false) {
        self.exitCode = exitCode
        self.signal = signal
        self.oomKilled = oomKilled
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: exitCode = try reader.readInt32()
            case 2: signal = try reader.readInt32()
            case 3: oomKilled = try reader.readBool()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, int64IfSet: Int64(exitCode))
        writer.write(2, int64IfSet: Int64(signal))
        writer.write(3, boolIfSet: oomKilled)
    }
}

/// A request whose first field is the task id, with any further fields the method adds.
public struct TaskRequest: ProtobufMessage, Equatable {
    public var taskID = ""
    /// Field 2 as a string (SignalTask `signal`) or the repeated strings of field 2 (ExecTask `command`).
    public var strings: [String] = []
    /// Field 2 or 3 when it is a `google.protobuf.Duration` (StopTask, TaskStats, ExecTask `timeout`).
    public var duration: SecondsAndNanos?
    /// StopTask `signal` (field 3).
    public var stopSignal = ""
    /// DestroyTask `force` (field 2).
    public var force = false

    public init(taskID: String) {
        self.taskID = taskID
    }

    /// Which request shape to read: the protocol reuses field numbers with different types.
    public enum Shape: Sendable {
        case plain, stop, destroy, stats, signal, exec
    }

    public static func decode(_ bytes: [UInt8], shape: Shape) throws(ProtobufError) -> TaskRequest {
        var reader = ProtobufReader(bytes)
        var request = TaskRequest(taskID: "")
        while let field = try reader.nextField() {
            switch (shape, field) {
            case (_, 1): request.taskID = try reader.readString()
            case (.stop, 2), (.stats, 2), (.exec, 3): request.duration = try reader.readMessage()
            case (.stop, 3): request.stopSignal = try reader.readString()
            case (.destroy, 2): request.force = try reader.readBool()
            case (.signal, 2), (.exec, 2): request.strings.append(try reader.readString())
            default: try reader.skip()
            }
        }
        return request
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            if field == 1 { taskID = try reader.readString() } else { try reader.skip() }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, stringIfSet: taskID)
    }
}

/// `StartTaskResponse`: the handle (errors travel as gRPC status instead of `result`).
public struct StartTaskResponse: ProtobufMessage, Equatable {
    public var handle: TaskHandleMessage?
    public var networkOverride: NetworkOverrideMessage?

    public init(handle: TaskHandleMessage?, networkOverride: NetworkOverrideMessage?) {
        self.handle = handle
        self.networkOverride = networkOverride
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 3: handle = try reader.readMessage()
            case 4: networkOverride = try reader.readMessage()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        if let handle { writer.write(3, message: handle) }
        if let networkOverride { writer.write(4, message: networkOverride) }
    }
}

/// `WaitTaskResponse`: `result` is always present (the agent dereferences it).
public struct WaitTaskResponse: ProtobufMessage, Equatable {
    public var result = ExitResultMessage()
    public var error = ""

    public init(result: ExitResultMessage, error: String = "") {
        self.result = result
        self.error = error
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: result = try reader.readMessage()
            case 2: error = try reader.readString()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, message: result)
        writer.write(2, stringIfSet: error)
    }
}

/// `ExecTaskResponse`: output and the always-present result.
public struct ExecTaskResponse: ProtobufMessage, Equatable {
    public var stdout: [UInt8] = []
    public var stderr: [UInt8] = []
    public var result = ExitResultMessage()

    public init(stdout: [UInt8], stderr: [UInt8] = [], result: ExitResultMessage) {
        self.stdout = stdout
        self.stderr = stderr
        self.result = result
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: stdout = try reader.readBytes()
            case 2: stderr = try reader.readBytes()
            case 3: result = try reader.readMessage()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, bytesIfSet: stdout)
        writer.write(2, bytesIfSet: stderr)
        writer.write(3, message: result)
    }
}

/// `RecoverTaskRequest`: the id is in `handle.config.id` (the client leaves `task_id` empty).
public struct RecoverTaskRequest: ProtobufMessage, Equatable {
    public var taskID = ""
    public var handle: TaskHandleMessage?

    public init(taskID: String = "", handle: TaskHandleMessage?) {
        self.taskID = taskID
        self.handle = handle
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: taskID = try reader.readString()
            case 2: handle = try reader.readMessage()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, stringIfSet: taskID)
        if let handle { writer.write(2, message: handle) }
    }
}

/// `InspectTaskResponse`: `TaskStatus` (both timestamps always set), driver attributes, network.
public struct InspectTaskResponse: ProtobufMessage, Equatable {
    public var id = ""
    public var name = ""
    public var state: Int64 = 0
    public var startedAt = SecondsAndNanos.goZeroTime
    public var completedAt = SecondsAndNanos.goZeroTime
    public var result = ExitResultMessage()
    public var attributes: [String: String] = [:]
    public var networkOverride: NetworkOverrideMessage?

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: try readStatus(try reader.readMessageReader())
            case 2:
                var driver = try reader.readMessageReader()
                while let inner = try driver.nextField() {
                    guard inner == 1 else {
                        try driver.skip()
                        continue
                    }
                    let (key, value) = try driver.readMapEntry(defaultValue: "") { (entry) throws(ProtobufError) in
                        try entry.readString()
                    }
                    attributes[key] = value
                }
            case 3: networkOverride = try reader.readMessage()
            default: try reader.skip()
            }
        }
    }

    private mutating func readStatus(_ status: ProtobufReader) throws(ProtobufError) {
        var reader = status
        while let field = try reader.nextField() {
            switch field {
            case 1: id = try reader.readString()
            case 2: name = try reader.readString()
            case 3: state = try reader.readInt64()
            case 4: startedAt = try reader.readMessage()
            case 5: completedAt = try reader.readMessage()
            case 6: result = try reader.readMessage()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.writeMessage(1) {
            $0.write(1, stringIfSet: id)
            $0.write(2, stringIfSet: name)
            $0.write(3, int64IfSet: state)
            $0.write(4, message: startedAt)
            $0.write(5, message: completedAt)
            $0.write(6, message: result)
        }
        writer.writeMessage(2) { driver in
            for (key, value) in attributes.sorted(by: { $0.key < $1.key }) {
                driver.writeMapEntry(1, key: key) { $0.write(2, string: value) }
            }
        }
        if let networkOverride { writer.write(3, message: networkOverride) }
    }
}
