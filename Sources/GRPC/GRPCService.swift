import HPACK
import Protobuf
import Synchronization

/// What a handler knows about its call.
public final class GRPCCallContext: Sendable {
    /// The method path, e.g. `/echo.Echo/Say`.
    public let path: String
    /// The request headers (pseudo-headers included).
    public let headers: [HeaderField]
    private let cancelled = Atomic<Bool>(false)

    init(path: String, headers: [HeaderField]) {
        self.path = path
        self.headers = headers
    }

    /// Whether the client cancelled (RST_STREAM) or the connection went away; stop producing when it turns true.
    public var isCancelled: Bool { cancelled.load(ordering: .sequentiallyConsistent) }

    func cancel() { cancelled.store(true, ordering: .sequentiallyConsistent) }
}

/// Sends the messages of a server-streaming response.
public struct GRPCResponseWriter: Sendable {
    let sendMessage: @Sendable ([UInt8]) throws(GRPCStatus) -> Void

    /// Sends one serialized message; throws CANCELLED once the stream is gone.
    public func send(_ message: [UInt8]) throws(GRPCStatus) { try sendMessage(message) }

    /// Sends one message.
    public func send(_ message: some ProtobufMessage) throws(GRPCStatus) { try sendMessage(message.serialized()) }
}

/// A bidirectional-streaming handler: reads requests from the stream while sending responses.
public typealias GRPCBidirectionalHandler =
    @Sendable (GRPCRequestStream, GRPCCallContext, GRPCResponseWriter) throws(GRPCStatus) -> Void

/// How a method is served. Handlers run on their own thread and may block.
public enum GRPCMethodHandler: Sendable {
    /// One request, one response (or a status).
    case unary(@Sendable ([UInt8], GRPCCallContext) throws(GRPCStatus) -> [UInt8])
    /// One request, any number of responses; returning ends the call with OK, throwing with that status.
    case serverStreaming(@Sendable ([UInt8], GRPCCallContext, GRPCResponseWriter) throws(GRPCStatus) -> Void)
    /// Any number of requests, one response. The handler starts as soon as the request headers arrive.
    case clientStreaming(@Sendable (GRPCRequestStream, GRPCCallContext) throws(GRPCStatus) -> [UInt8])
    /// Requests and responses flow independently. The handler starts as soon as the request headers arrive;
    /// returning ends the call (the client's side need not be finished: the stream is then reset with NO_ERROR).
    case bidirectionalStreaming(GRPCBidirectionalHandler)

    /// Whether the handler consumes a request stream (and so starts before the request ends).
    var streamsRequests: Bool {
        switch self {
        case .unary, .serverStreaming: false
        case .clientStreaming, .bidirectionalStreaming: true
        }
    }
}

/// The table of served methods, keyed by path (`/package.Service/Method`).
public struct GRPCRouter: Sendable {
    var methods: [String: GRPCMethodHandler] = [:]

    public init() {}

    /// Serves a unary method on raw message bytes.
    public mutating func register(_ path: String, _ handler: GRPCMethodHandler) {
        methods[path] = handler
    }

    /// Serves a unary method with typed messages.
    public mutating func unary<Request: ProtobufMessage, Response: ProtobufMessage>(
        _ path: String, _ handler: @escaping @Sendable (Request, GRPCCallContext) throws(GRPCStatus) -> Response
    ) {
        methods[path] = .unary { (bytes, context) throws(GRPCStatus) in
            try handler(try Self.decode(bytes), context).serialized()
        }
    }

    /// Serves a server-streaming method with typed messages.
    public mutating func serverStreaming<Request: ProtobufMessage>(
        _ path: String,
        _ handler: @escaping @Sendable (Request, GRPCCallContext, GRPCResponseWriter) throws(GRPCStatus) -> Void
    ) {
        methods[path] = .serverStreaming { (bytes, context, writer) throws(GRPCStatus) in
            try handler(try Self.decode(bytes), context, writer)
        }
    }

    /// Serves a client-streaming method; the handler decodes requests with `next(_:)`.
    public mutating func clientStreaming<Response: ProtobufMessage>(
        _ path: String,
        _ handler: @escaping @Sendable (GRPCRequestStream, GRPCCallContext) throws(GRPCStatus) -> Response
    ) {
        methods[path] = .clientStreaming { (requests, context) throws(GRPCStatus) in
            try handler(requests, context).serialized()
        }
    }

    /// Serves a bidirectional-streaming method.
    public mutating func bidirectionalStreaming(
        _ path: String,
        _ handler: @escaping GRPCBidirectionalHandler
    ) {
        methods[path] = .bidirectionalStreaming(handler)
    }

    static func decode<Message: ProtobufMessage>(_ bytes: [UInt8]) throws(GRPCStatus) -> Message {
        do {
            return try Message(serialized: bytes)
        } catch {
            throw GRPCStatus(.internal, "cannot decode the request message: \(error)")
        }
    }
}
