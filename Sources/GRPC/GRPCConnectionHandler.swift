import Glibc
import HPACK
import HTTP2
import Synchronization

/// Serves gRPC calls on one HTTP/2 connection: checks each request, collects its message, and runs the
/// method's handler on a thread of its own, so the connection's I/O thread never blocks.
public final class GRPCConnectionHandler: HTTP2ChannelDelegate {
    private let router: GRPCRouter
    private let calls = Mutex<[UInt32: Call]>([:])

    /// One call in progress, as seen from the I/O thread.
    final class Call: Sendable {
        let context: GRPCCallContext
        let handler: GRPCMethodHandler
        let reader: Mutex<GRPCMessageReader>
        let messages = Mutex<[[UInt8]]>([])

        init(context: GRPCCallContext, handler: GRPCMethodHandler) {
            self.context = context
            self.handler = handler
            reader = Mutex(GRPCMessageReader())
        }
    }

    public init(router: GRPCRouter) {
        self.router = router
    }

    public func channel(_ channel: HTTP2Channel, received event: HTTP2Event) {
        switch event {
        case .request(let id, let headers, let endStream):
            startCall(channel, id, headers, endStream: endStream)
        case .data(let id, let bytes, let endStream):
            receiveData(channel, id, bytes, endStream: endStream)
        case .trailers(let id, _):
            receiveData(channel, id, [], endStream: true)
        case .streamReset(let id, _, _):
            calls.withLock { $0.removeValue(forKey: id) }?.context.cancel()
        case .goAway, .pingAck, .connectionError:
            break
        }
    }

    public func channelClosed(_ channel: HTTP2Channel) {
        let all = calls.withLock { calls in
            defer { calls = [:] }
            return Array(calls.values)
        }
        for call in all { call.context.cancel() }
    }

    private func startCall(_ channel: HTTP2Channel, _ id: UInt32, _ headers: [HeaderField], endStream: Bool) {
        let value = { (name: String) in headers.first { $0.name == name }?.value }
        guard value(":method") == "POST", value("content-type")?.hasPrefix("application/grpc") == true else {
            // Not a gRPC request: plain HTTP 415, as the gRPC HTTP/2 mapping asks.
            try? channel.sendHeaders([HeaderField(":status", "415")], on: id, endStream: true)
            if !endStream { channel.resetStream(id, code: .noError) }
            return
        }
        let path = value(":path") ?? ""
        var failure: GRPCStatus?
        if let encoding = value("grpc-encoding"), encoding != "identity" {
            failure = GRPCStatus(.unimplemented, "grpc-encoding \(encoding) is not supported")
        }
        guard failure == nil, let handler = router.methods[path] else {
            let status = failure ?? GRPCStatus(.unimplemented, "unknown method \(path)")
            Self.finish(channel, id, status, headersSent: false, clientDone: endStream)
            return
        }
        let call = Call(context: GRPCCallContext(path: path, headers: headers), handler: handler)
        calls.withLock { $0[id] = call }
        if endStream { receiveData(channel, id, [], endStream: true) }
    }

    private func receiveData(_ channel: HTTP2Channel, _ id: UInt32, _ bytes: [UInt8], endStream: Bool) {
        guard let call = calls.withLock({ $0[id] }) else { return }
        do throws(GRPCStatus) {
            let (messages, partial) = try call.reader.withLock { (reader) throws(GRPCStatus) in
                (try reader.append(bytes), reader.hasPartialMessage)
            }
            let all = call.messages.withLock { stored in
                stored += messages
                return stored
            }
            guard endStream else { return }
            calls.withLock { _ = $0.removeValue(forKey: id) }
            guard !partial else { throw GRPCStatus(.internal, "the request ended inside a message") }
            guard all.count == 1, let request = all.first else {
                throw GRPCStatus(.internal, "expected exactly one request message, got \(all.count)")
            }
            Self.run(call, request, channel, id)
        } catch {
            calls.withLock { _ = $0.removeValue(forKey: id) }
            call.context.cancel()
            Self.finish(channel, id, error, headersSent: false, clientDone: endStream)
        }
    }

    /// Runs the handler on its own thread and writes its response.
    private static func run(_ call: Call, _ request: [UInt8], _ channel: HTTP2Channel, _ id: UInt32) {
        startThread {
            let headersSent = Atomic<Bool>(false)
            let writer = GRPCResponseWriter { (message) throws(GRPCStatus) in
                guard !call.context.isCancelled else { throw GRPCStatus(.cancelled, "the call was cancelled") }
                do {
                    if !headersSent.exchange(true, ordering: .sequentiallyConsistent) {
                        try channel.sendHeaders(responseHeaders, on: id)
                    }
                    try channel.sendData(GRPCFraming.frame(message), on: id)
                } catch {
                    throw GRPCStatus(.cancelled, "the stream is gone")
                }
            }
            var status = GRPCStatus.ok
            do throws(GRPCStatus) {
                switch call.handler {
                case .unary(let handler): try writer.send(try handler(request, call.context))
                case .serverStreaming(let handler): try handler(request, call.context, writer)
                }
            } catch {
                status = error
            }
            guard !call.context.isCancelled else { return }
            finish(
                channel, id, status, headersSent: headersSent.load(ordering: .sequentiallyConsistent), clientDone: true)
        }
    }

    static let responseHeaders = [HeaderField(":status", "200"), HeaderField("content-type", "application/grpc")]

    /// Ends the call with `status`: trailers after a response, or a Trailers-Only response. If the client has not
    /// finished its side, the stream is then reset with NO_ERROR, as grpc-go does.
    static func finish(_ channel: HTTP2Channel, _ id: UInt32, _ status: GRPCStatus, headersSent: Bool, clientDone: Bool)
    {
        var trailers = [HeaderField("grpc-status", String(status.code.rawValue))]
        if !status.message.isEmpty {
            trailers.append(HeaderField("grpc-message", GRPCMessageEncoding.encode(status.message)))
        }
        trailers += status.trailers.map { HeaderField($0.0, $0.1) }
        try? channel.sendHeaders(headersSent ? trailers : responseHeaders + trailers, on: id, endStream: true)
        if !clientDone { channel.resetStream(id, code: .noError) }
    }
}

/// Starts a detached POSIX thread running `body`.
func startThread(_ body: @escaping @Sendable () -> Void) {
    final class Box: @unchecked Sendable {  // handed to exactly one thread, read once
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(
        &thread, nil,
        { raw in
            guard let raw else { return nil }
            Unmanaged<Box>.fromOpaque(raw).takeRetainedValue().body()
            return nil
        }, box)
    precondition(result == 0, "pthread_create failed: \(result)")
    pthread_detach(thread)
}
