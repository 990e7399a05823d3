import Dispatch
import Protobuf
import Synchronization

/// The request messages of a client- or bidirectional-streaming call, in arrival order.
///
/// The connection's I/O thread appends messages as DATA arrives; the handler (or a thread it starts) takes
/// them with `next()`, which blocks. The queue is unbounded: the HTTP/2 layer credits received DATA back at
/// once, so a client that sends faster than the handler reads grows it (fine for exec's keystrokes and
/// small pastes; a bulk upload method would want backpressure).
public final class GRPCRequestStream: Sendable {
    private enum End {
        case halfClosed
        case failed(GRPCStatus)
    }

    private struct State {
        var messages: [[UInt8]] = []
        var end: End?
    }

    private let state = Mutex(State())
    /// One signal per queued message, plus one when the stream ends (passed on by every waiter that sees
    /// the end, so all of them wake).
    private let available = DispatchSemaphore(value: 0)

    init() {}

    /// The next message; nil once the client has half-closed and every message was taken. Throws the call's
    /// failure (CANCELLED after a reset or a closed connection, or a framing error).
    public func next() throws(GRPCStatus) -> [UInt8]? {
        while true {
            available.wait()
            let taken: Result<[UInt8]?, GRPCStatus>? = state.withLock { state in
                if !state.messages.isEmpty { return .success(state.messages.removeFirst()) }
                switch state.end {
                case nil: return nil
                case .halfClosed: return .success(nil)
                case .failed(let status): return .failure(status)
                }
            }
            guard let taken else { continue }
            if case .success(let message) = taken, message != nil { return message }
            available.signal()
            return try taken.get()
        }
    }

    /// The next message decoded as `Message`; nil at the end of the client's stream.
    public func next<Message: ProtobufMessage>(_ type: Message.Type) throws(GRPCStatus) -> Message? {
        guard let bytes = try next() else { return nil }
        return try GRPCRouter.decode(bytes)
    }

    func append(_ messages: [[UInt8]]) {
        let accepted = state.withLock { state in
            guard state.end == nil else { return 0 }
            state.messages += messages
            return messages.count
        }
        for _ in 0..<accepted { available.signal() }
    }

    /// Ends the stream: `nil` for the client's half-close (queued messages stay readable), or a failure.
    func finish(_ failure: GRPCStatus?) {
        let first = state.withLock { state in
            guard state.end == nil else { return false }
            if let failure {
                state.end = .failed(failure)
                state.messages = []
            } else {
                state.end = .halfClosed
            }
            return true
        }
        if first { available.signal() }
    }
}
