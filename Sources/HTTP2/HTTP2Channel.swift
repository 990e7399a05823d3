import Glibc
import HPACK
import Synchronization

/// Receives a connection's events, on the connection's I/O thread. Must not block: hand long work to
/// other threads, which may call the channel's send methods at any time.
public protocol HTTP2ChannelDelegate: AnyObject, Sendable {
    /// Something happened on the connection (see `HTTP2Event`).
    func channel(_ channel: HTTP2Channel, received event: HTTP2Event)
    /// The socket is closed; no more events will come and sends now fail.
    func channelClosed(_ channel: HTTP2Channel)
}

/// One accepted socket running a `ServerConnection`, with a poll-based I/O thread.
///
/// The state machine sits behind a mutex; send methods may be called from any thread. Each call queues
/// frames and wakes the I/O thread, which alone reads and writes the socket, so socket order always
/// matches the order the state machine produced the bytes in.
public final class HTTP2Channel: Sendable {
    private let fd: Int32
    private let connection: Mutex<ServerConnection>
    private let closeRequested = Atomic<Bool>(false)
    private let wakePipe: WakePipe

    init(fd: Int32, configuration: ServerConfiguration) throws(SocketError) {
        self.fd = fd
        connection = Mutex(ServerConnection(configuration: configuration))
        wakePipe = try WakePipe()
        guard fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 else { throw SocketError("fcntl O_NONBLOCK") }
    }

    /// Queues response headers or trailers.
    public func sendHeaders(_ headers: [HeaderField], on streamID: UInt32, endStream: Bool = false)
        throws(HTTP2SendError)
    {
        try connection.withLock { (state) throws(HTTP2SendError) in
            try state.sendHeaders(headers, on: streamID, endStream: endStream)
        }
        wakePipe.wake()
    }

    /// Queues body bytes.
    public func sendData(_ bytes: [UInt8], on streamID: UInt32, endStream: Bool = false) throws(HTTP2SendError) {
        try connection.withLock { (state) throws(HTTP2SendError) in
            try state.sendData(bytes, on: streamID, endStream: endStream)
        }
        wakePipe.wake()
    }

    /// Reports `count` octets of the stream's DATA consumed, so the client may send that much more.
    public func consumed(_ count: Int, on streamID: UInt32) {
        connection.withLock { $0.consumed(count, on: streamID) }
        wakePipe.wake()
    }

    /// Resets a stream.
    public func resetStream(_ streamID: UInt32, code: HTTP2ErrorCode) {
        connection.withLock { $0.resetStream(streamID, code: code) }
        wakePipe.wake()
    }

    /// Sends GOAWAY and closes the socket once the output is written.
    public func close(_ code: HTTP2ErrorCode = .noError) {
        connection.withLock { $0.goAway(code) }
        closeRequested.store(true, ordering: .sequentiallyConsistent)
        wakePipe.wake()
    }

    /// Runs the I/O loop until the peer disconnects or the connection closes; then closes the socket.
    func run(delegate: some HTTP2ChannelDelegate) {
        var pending: [UInt8] = []
        var open = true
        while open {
            pending += connection.withLock { $0.takeOutput() }
            if !writeSome(&pending) { break }
            let finishing =
                closeRequested.load(ordering: .sequentiallyConsistent) || connection.withLock { $0.isClosed }
            if finishing && pending.isEmpty { break }

            var fds = [
                pollfd(fd: fd, events: Int16(POLLIN) | (pending.isEmpty ? 0 : Int16(POLLOUT)), revents: 0),
                pollfd(fd: wakePipe.readEnd, events: Int16(POLLIN), revents: 0),
            ]
            guard poll(&fds, 2, -1) >= 0 || errno == EINTR else { break }
            if fds[1].revents != 0 { wakePipe.drain() }
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { open = readSome(delegate) }
        }
        Glibc.close(fd)
        connection.withLock { $0.markClosed() }
        delegate.channelClosed(self)
    }

    /// Reads what is available and delivers the events; false at end of stream or on error.
    private func readSome(_ delegate: some HTTP2ChannelDelegate) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = read(fd, &buffer, buffer.count)
        if count < 0 && (errno == EAGAIN || errno == EINTR) { return true }
        guard count > 0 else { return false }
        let events = connection.withLock { $0.receive(buffer[0..<count]) }
        for event in events { delegate.channel(self, received: event) }
        return true
    }

    /// Writes as much of `pending` as the socket takes; false if the peer is gone.
    private func writeSome(_ pending: inout [UInt8]) -> Bool {
        while !pending.isEmpty {
            let written = pending.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                return errno == EAGAIN || errno == EINTR
            }
            pending.removeFirst(written)
        }
        return true
    }
}
