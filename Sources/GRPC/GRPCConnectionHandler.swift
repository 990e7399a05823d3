import Glibc
import HPACK
import HTTP2
import Synchronization

/// Serves gRPC calls on one HTTP/2 connection: checks each request, collects its messages, and runs the
/// method's handler on a thread of its own, so the connection's I/O thread never blocks.
///
/// Handlers of unary-request methods start once the request has ended; those of streaming-request methods
/// start with the request headers and read the messages from a `GRPCRequestStream` as they come. A call stays
/// in the table until its handler returns, so a reset or a closed connection cancels every running handler.
public final class GRPCConnectionHandler: HTTP2ChannelDelegate {
    private let router: GRPCRouter
    private let calls = Mutex<[UInt32: GRPCCall]>([:])

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
            calls.withLock { $0.removeValue(forKey: id) }?.cancel()
        case .goAway, .pingAck, .connectionError:
            break
        }
    }

    public func channelClosed(_ channel: HTTP2Channel) {
        let all = calls.withLock { calls in
            defer { calls = [:] }
            return Array(calls.values)
        }
        for call in all { call.cancel() }
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
            GRPCCall.finishWithoutCall(channel, id, status, clientDone: endStream)
            return
        }
        let call = GRPCCall(context: GRPCCallContext(path: path, headers: headers), handler: handler) { count in
            channel.consumed(count, on: id)
        }
        calls.withLock { $0[id] = call }
        if handler.streamsRequests { run(call, request: [], channel, id) }
        if endStream { receiveData(channel, id, [], endStream: true) }
    }

    private func receiveData(_ channel: HTTP2Channel, _ id: UInt32, _ bytes: [UInt8], endStream: Bool) {
        guard let call = calls.withLock({ $0[id] }) else { return }
        do throws(GRPCStatus) {
            let (messages, partial) = try call.reader.withLock { (reader) throws(GRPCStatus) in
                (try reader.append(bytes), reader.hasPartialMessage)
            }
            if endStream { call.clientDone.store(true, ordering: .sequentiallyConsistent) }
            if endStream && partial { throw GRPCStatus(.internal, "the request ended inside a message") }
            if let requests = call.requests {
                requests.append(messages, receivedBytes: bytes.count)
                if endStream { requests.finish(nil) }
                return
            }
            channel.consumed(bytes.count, on: id)  // one message, taken whole when the request ends
            let all = call.messages.withLock { stored in
                stored += messages
                return stored
            }
            guard endStream else { return }
            guard all.count == 1, let request = all.first else {
                throw GRPCStatus(.internal, "expected exactly one request message, got \(all.count)")
            }
            run(call, request: request, channel, id)
        } catch {
            calls.withLock { _ = $0.removeValue(forKey: id) }
            call.cancel()
            call.finish(channel, id, error)
        }
    }

    /// Runs the handler on its own thread and writes its response.
    private func run(_ call: GRPCCall, request: [UInt8], _ channel: HTTP2Channel, _ id: UInt32) {
        startThread { [self] in
            let writer = GRPCResponseWriter { (message) throws(GRPCStatus) in
                try call.respond(message, channel, id)
            }
            var status = GRPCStatus.ok
            do throws(GRPCStatus) {
                try call.invoke(request, writer)
            } catch {
                status = error
            }
            calls.withLock { calls in
                if calls[id] === call { calls.removeValue(forKey: id) }
            }
            // Wake any thread of the handler still waiting for requests.
            call.requests?.finish(GRPCStatus(.cancelled, "the call has ended"))
            guard !call.context.isCancelled else { return }
            call.finish(channel, id, status)
        }
    }
}

/// One call in progress: what the I/O thread collects for it, and the state of its response.
final class GRPCCall: Sendable {
    /// How far the response got; sends happen under the lock, so headers, messages and trailers keep order.
    private enum ResponsePhase {
        case idle, streaming, finished
    }

    let context: GRPCCallContext
    let handler: GRPCMethodHandler
    let reader = Mutex(GRPCMessageReader())
    /// The request messages of a unary-request method, until the request ends.
    let messages = Mutex<[[UInt8]]>([])
    /// The request stream of a streaming-request method.
    let requests: GRPCRequestStream?
    /// Whether the client ended its side (END_STREAM).
    let clientDone = Atomic<Bool>(false)
    private let phase = Mutex(ResponsePhase.idle)

    /// `credit` gives consumed request octets back to the client's flow-control window.
    init(context: GRPCCallContext, handler: GRPCMethodHandler, credit: @escaping @Sendable (Int) -> Void) {
        self.context = context
        self.handler = handler
        requests = handler.streamsRequests ? GRPCRequestStream(credit: credit) : nil
    }

    static let responseHeaders = [HeaderField(":status", "200"), HeaderField("content-type", "application/grpc")]

    /// Calls the handler; `request` is the single request message of a unary-request method.
    func invoke(_ request: [UInt8], _ writer: GRPCResponseWriter) throws(GRPCStatus) {
        switch handler {
        case .unary(let handler): try writer.send(try handler(request, context))
        case .serverStreaming(let handler): try handler(request, context, writer)
        case .clientStreaming(let handler): try writer.send(try handler(try requestStream(), context))
        case .bidirectionalStreaming(let handler): try handler(try requestStream(), context, writer)
        }
    }

    private func requestStream() throws(GRPCStatus) -> GRPCRequestStream {
        guard let requests else { throw GRPCStatus(.internal, "streaming handler without a request stream") }
        return requests
    }

    /// Stops the handler: its context turns cancelled and its request stream fails.
    func cancel() {
        context.cancel()
        requests?.finish(GRPCStatus(.cancelled, "the call was cancelled"))
    }

    /// Sends one response message (the response headers first).
    func respond(_ message: [UInt8], _ channel: HTTP2Channel, _ id: UInt32) throws(GRPCStatus) {
        guard !context.isCancelled else { throw GRPCStatus(.cancelled, "the call was cancelled") }
        try phase.withLock { (phase) throws(GRPCStatus) in
            guard phase != .finished else { throw GRPCStatus(.cancelled, "the call has ended") }
            do {
                if phase == .idle { try channel.sendHeaders(Self.responseHeaders, on: id) }
                phase = .streaming
                try channel.sendData(GRPCFraming.frame(message), on: id)
            } catch {
                throw GRPCStatus(.cancelled, "the stream is gone")
            }
        }
    }

    /// Ends the call with `status` (once): trailers after a response, or a Trailers-Only response. If the
    /// client has not finished its side, the stream is then reset with NO_ERROR, as grpc-go does.
    func finish(_ channel: HTTP2Channel, _ id: UInt32, _ status: GRPCStatus) {
        let sent = phase.withLock { phase in
            guard phase != .finished else { return false }
            let trailers = Self.trailers(status)
            try? channel.sendHeaders(
                phase == .streaming ? trailers : Self.responseHeaders + trailers, on: id, endStream: true)
            phase = .finished
            return true
        }
        if sent && !clientDone.load(ordering: .sequentiallyConsistent) { channel.resetStream(id, code: .noError) }
    }

    /// A Trailers-Only response for a request that never became a call (unknown method, bad encoding).
    static func finishWithoutCall(_ channel: HTTP2Channel, _ id: UInt32, _ status: GRPCStatus, clientDone: Bool) {
        try? channel.sendHeaders(responseHeaders + trailers(status), on: id, endStream: true)
        if !clientDone { channel.resetStream(id, code: .noError) }
    }

    static func trailers(_ status: GRPCStatus) -> [HeaderField] {
        var trailers = [HeaderField("grpc-status", String(status.code.rawValue))]
        if !status.message.isEmpty {
            trailers.append(HeaderField("grpc-message", GRPCMessageEncoding.encode(status.message)))
        }
        return trailers + status.trailers.map { HeaderField($0.0, $0.1) }
    }
}
