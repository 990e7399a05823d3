import Glibc
import Synchronization

/// Listens on a unix socket and runs an `HTTP2Channel`, each on its own thread, for every accepted connection.
///
/// Connections that close before sending the preface (liveness probes) are simply dropped.
public final class UnixSocketServer: Sendable {
    /// The socket's path; removed again by `stop`.
    public let path: String
    private let listener: Int32
    private let configuration: ServerConfiguration
    private let wakePipe: WakePipe
    private let stopped = Atomic<Bool>(false)
    private let acceptLoopDone = Mutex<Bool>(false)

    /// Binds and listens on `path` (an existing socket file there is replaced).
    public init(path: String, configuration: ServerConfiguration = ServerConfiguration()) throws(SocketError) {
        self.path = path
        self.configuration = configuration
        wakePipe = try WakePipe()
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw SocketError("socket") }
        unlink(path)
        let fd = listener
        let bound = try withUnixAddress(path) { bind(fd, $0, $1) }
        guard bound == 0 else {
            let error = SocketError("bind", path: path)
            close(listener)
            throw error
        }
        guard listen(listener, 128) == 0 else {
            let error = SocketError("listen", path: path)
            close(listener)
            throw error
        }
    }

    /// Starts accepting on a background thread; `makeDelegate` is called once per connection.
    public func start(_ makeDelegate: @escaping @Sendable () -> any HTTP2ChannelDelegate) {
        startThread { [self] in acceptLoop(makeDelegate) }
    }

    /// Stops accepting and removes the socket file. Open connections continue until their peers leave.
    public func stop() {
        guard !stopped.exchange(true, ordering: .sequentiallyConsistent) else { return }
        wakePipe.wake()
        unlink(path)
    }

    private func acceptLoop(_ makeDelegate: @escaping @Sendable () -> any HTTP2ChannelDelegate) {
        while !stopped.load(ordering: .sequentiallyConsistent) {
            var fds = [
                pollfd(fd: listener, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakePipe.readEnd, events: Int16(POLLIN), revents: 0),
            ]
            guard poll(&fds, 2, -1) >= 0 || errno == EINTR else { break }
            guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            guard let channel = try? HTTP2Channel(fd: client, configuration: configuration) else {
                close(client)
                continue
            }
            let delegate = makeDelegate()
            startThread { channel.run(delegate: delegate) }
        }
        close(listener)
    }
}
