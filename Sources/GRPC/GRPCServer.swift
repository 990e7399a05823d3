import HTTP2

/// A gRPC server on a unix socket (plain-text h2c, as go-plugin hosts expect).
public final class GRPCServer: Sendable {
    private let server: UnixSocketServer

    /// Binds `path` and serves `router`'s methods on every connection until `stop`.
    public init(path: String, router: GRPCRouter, configuration: ServerConfiguration = ServerConfiguration())
        throws(SocketError)
    {
        server = try UnixSocketServer(path: path, configuration: configuration)
        server.start { GRPCConnectionHandler(router: router) }
    }

    /// The socket path.
    public var path: String { server.path }

    /// Stops accepting connections and removes the socket file.
    public func stop() { server.stop() }
}
