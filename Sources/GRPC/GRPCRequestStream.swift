import Dispatch
import Protobuf
import Synchronization

/// The request messages of a client- or bidirectional-streaming call, in arrival order.
///
/// The connection's I/O thread appends messages as DATA arrives; the handler (or a thread it starts) takes
/// them with `next()`, which blocks. Backpressure: received octets are given back to the client's flow
/// control window (`credit`) at once while the queue holds at most `highWater` octets of messages, and
/// only as `next()` drains it below that otherwise; so a client that sends faster than the handler reads
/// is stopped by HTTP/2 flow control, with about `highWater` plus one stream window queued.
public final class GRPCRequestStream: Sendable {
    private enum End {
        case halfClosed
        case failed(GRPCStatus)
    }

    private struct State {
        var messages: [[UInt8]] = []
        var queuedBytes = 0
        /// Received octets not yet given back, held while the queue is above the high-water mark.
        var withheldCredit = 0
        var end: End?
    }

    /// The queued octets above which received data is no longer credited back at once.
    public static let highWater = 1 << 20

    private let state = Mutex(State())
    private let credit: @Sendable (Int) -> Void
    /// One signal per queued message, plus one when the stream ends (passed on by every waiter that sees
    /// the end, so all of them wake).
    private let available = DispatchSemaphore(value: 0)

    /// `credit` gives octets back to the client's window (on HTTP/2: `HTTP2Channel.consumed`).
    init(credit: @escaping @Sendable (Int) -> Void) {
        self.credit = credit
    }

    /// The next message; nil once the client has half-closed and every message was taken. Throws the call's
    /// failure (CANCELLED after a reset or a closed connection, or a framing error).
    public func next() throws(GRPCStatus) -> [UInt8]? {
        while true {
            available.wait()
            var released = 0
            let taken: Result<[UInt8]?, GRPCStatus>? = state.withLock { state in
                if !state.messages.isEmpty {
                    let message = state.messages.removeFirst()
                    state.queuedBytes -= message.count
                    if state.queuedBytes <= Self.highWater {
                        (released, state.withheldCredit) = (state.withheldCredit, 0)
                    }
                    return .success(message)
                }
                switch state.end {
                case nil: return nil
                case .halfClosed: return .success(nil)
                case .failed(let status): return .failure(status)
                }
            }
            if released > 0 { credit(released) }
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

    /// Queues the messages completed by `receivedBytes` octets of DATA, and credits those octets back
    /// unless the queue is above the high-water mark.
    func append(_ messages: [[UInt8]], receivedBytes: Int) {
        let (accepted, credited) = state.withLock { state in
            guard state.end == nil else { return (0, 0) }
            state.messages += messages
            state.queuedBytes += messages.reduce(0) { $0 + $1.count }
            guard state.queuedBytes <= Self.highWater else {
                state.withheldCredit += receivedBytes
                return (messages.count, 0)
            }
            return (messages.count, receivedBytes)
        }
        if credited > 0 { credit(credited) }
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
