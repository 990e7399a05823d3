import FoundationEssentials
import GRPC
import Protobuf

/// A message without fields (`plugin.Empty` and every empty request or response of the plugin protocol).
public struct EmptyMessage: ProtobufMessage, Equatable {
    public init() {}

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while try reader.nextField() != nil { try reader.skip() }
    }

    public func encode(to writer: inout ProtobufWriter) {}
}

/// `google.protobuf.Timestamp` and `google.protobuf.Duration`: both are seconds plus nanoseconds.
public struct SecondsAndNanos: ProtobufMessage, Equatable {
    public var seconds: Int64 = 0
    public var nanos: Int32 = 0

    /// Go's zero `time.Time` (0001-01-01T00:00:00Z), which Nomad sends for "not yet".
    public static let goZeroTime = SecondsAndNanos(seconds: -62_135_596_800)

    public init(seconds: Int64 = 0, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }

    /// A point in time.
    public init(_ date: Date) {
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        seconds = Int64(whole)
        nanos = Int32(((interval - whole) * 1e9).rounded(.down))
    }

    public init(from reader: inout ProtobufReader) throws(ProtobufError) {
        while let field = try reader.nextField() {
            switch field {
            case 1: seconds = try reader.readInt64()
            case 2: nanos = try reader.readInt32()
            default: try reader.skip()
            }
        }
    }

    public func encode(to writer: inout ProtobufWriter) {
        writer.write(1, int64IfSet: seconds)
        writer.write(2, int64IfSet: Int64(nanos))
    }

    /// As a Swift duration.
    public var duration: Duration { .seconds(seconds) + .nanoseconds(Int64(nanos)) }
}

/// A gRPC status whose `grpc-status-details-bin` marks the error as recoverable, so Nomad's restart policy
/// applies (`google.rpc.Status{code, message, details: [Any{RecoverableError{recoverable: true}}]}`).
public enum RecoverableStatus {
    static let typeURL = "type.googleapis.com/hashicorp.nomad.plugins.shared.structs.RecoverableError"

    /// FAILED_PRECONDITION carrying the RecoverableError detail.
    public static func make(_ message: String) -> GRPCStatus {
        var recoverable = ProtobufWriter()
        recoverable.write(1, bool: true)
        var any = ProtobufWriter()
        any.write(1, string: typeURL)
        any.write(2, bytes: recoverable.bytes)
        var status = ProtobufWriter()
        status.write(1, int64: Int64(GRPCStatusCode.failedPrecondition.rawValue))
        status.write(2, stringIfSet: message)
        status.write(3, bytes: any.bytes)
        var details = Data(status.bytes).base64EncodedString()
        while details.hasSuffix("=") { details.removeLast() }
        return GRPCStatus(.failedPrecondition, message, trailers: [("grpc-status-details-bin", details)])
    }
}
