import Protobuf

/// `ExecTaskStreamingRequest`: the setup first, then stdin data, stdin close, terminal resizes, or nothing at
/// all (the client's heartbeat).
public struct ExecStreamingRequest: ProtobufMessage, Equatable {
    /// `Setup`: which task, what to run, whether to give it a terminal.
    public struct Setup: Equatable, Sendable {
        public var taskID = ""
        public var command: [String] = []
        public var tty = false
    }

    /// `TerminalSize`, in character cells.
    public struct TerminalSize: Equatable, Sendable {
        public var height: Int32
        public var width: Int32
    }

    public var setup: Setup?
    public var ttySize: TerminalSize?
    public var stdin: ExecIOOperation?

    public init(setup: Setup? = nil, ttySize: TerminalSize? = nil, stdin: ExecIOOperation? = nil) {
        self.setup = setup
        self.ttySize = ttySize
        self.stdin = stdin
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: setup = try Self.readSetup(try reader.readMessageReader())
            case 2:
                var size = try reader.readMessageReader()
                var (height, width) = (Int32(0), Int32(0))
                while let field = try size.nextField() {
                    switch field {
                    case 1: height = try size.readInt32()
                    case 2: width = try size.readInt32()
                    default: try size.skip()
                    }
                }
                ttySize = TerminalSize(height: height, width: width)
            case 3: stdin = try reader.readMessage()
            default: try reader.skip()
            }
        }
    }

    private static func readSetup(_ reader: ProtobufReader) throws(ProtobufError) -> Setup {
        var reader = reader
        var setup = Setup()
        while let field = try reader.nextField() {
            switch field {
            case 1: setup.taskID = try reader.readString()
            case 2: setup.command.append(try reader.readString())
            case 3: setup.tty = try reader.readBool()
            default: try reader.skip()
            }
        }
        return setup
    }

    public func encode(to writer: inout ProtobufWriter) {
        if let setup {
            writer.writeMessage(1) { inner in
                inner.write(1, stringIfSet: setup.taskID)
                for word in setup.command { inner.write(2, string: word) }
                inner.write(3, boolIfSet: setup.tty)
            }
        }
        if let ttySize {
            writer.writeMessage(2) { inner in
                inner.write(1, int64IfSet: Int64(ttySize.height))
                inner.write(2, int64IfSet: Int64(ttySize.width))
            }
        }
        if let stdin { writer.write(3, message: stdin) }
    }
}

/// `ExecTaskStreamingIOOperation`: a chunk of a stream, or its end.
public struct ExecIOOperation: ProtobufMessage, Equatable {
    public var data: [UInt8] = []
    public var close = false

    public init(data: [UInt8] = [], close: Bool = false) {
        self.data = data
        self.close = close
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: data = try reader.readBytes()
            case 2: close = try reader.readBool()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, bytesIfSet: data)
        writer.write(2, boolIfSet: close)
    }
}

/// `ExecTaskStreamingResponse`: output chunks and close markers, then one message with the exit result.
public struct ExecStreamingResponse: ProtobufMessage, Equatable {
    public var stdout: ExecIOOperation?
    public var stderr: ExecIOOperation?
    public var exited = false
    public var result: ExitResultMessage?

    public init(
        stdout: ExecIOOperation? = nil, stderr: ExecIOOperation? = nil, exited: Bool = false,
        result: ExitResultMessage? = nil
    ) {
        self.stdout = stdout
        self.stderr = stderr
        self.exited = exited
        self.result = result
    }

    /// The final message: exited, with the result.
    public static func exit(_ result: ExitResultMessage) -> Self { Self(exited: true, result: result) }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: stdout = try reader.readMessage()
            case 2: stderr = try reader.readMessage()
            case 3: exited = try reader.readBool()
            case 4: result = try reader.readMessage()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        if let stdout { writer.write(1, message: stdout) }
        if let stderr { writer.write(2, message: stderr) }
        writer.write(3, boolIfSet: exited)
        if let result { writer.write(4, message: result) }
    }
}
