import Foundation
import Glibc

/// Small TCP helpers for talking to pods through their mapped host ports.
enum Sockets {
    /// A TCP port nobody listens on now, picked by the kernel (never 8080).
    static func freePort() throws -> Int {
        for _ in 0..<10 {
            let port = try bindEphemeral()
            if port != 8080 {
                return port
            }
        }
        throw TestFailure("could not find a free TCP port")
    }

    /// `GET /` over HTTP/1.0 to `host:port`; the whole response, or nil if the connection fails.
    static func httpGet(host: String, port: Int, timeoutSeconds: Int = 2) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            return nil
        }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1, connect(fd, address) == 0 else {
            return nil
        }
        let request = Array("GET / HTTP/1.0\r\nHost: \(host)\r\n\r\n".utf8)
        guard write(fd, request, request.count) == request.count else {
            return nil
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case let count = read(fd, &buffer, buffer.count), count > 0 {
            response += buffer[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }

    /// Retries `httpGet` until it returns a response or `deadline` passes.
    static func httpGet(host: String, port: Int, within deadline: Duration) -> String? {
        let end = ContinuousClock.now + deadline
        repeat {
            if let response = httpGet(host: host, port: port), !response.isEmpty {
                return response
            }
            usleep(100_000)
        } while ContinuousClock.now < end
        return nil
    }

    private static func connect(_ fd: Int32, _ address: sockaddr_in) -> Int32 {
        var address = address
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    private static func bindEphemeral() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw TestFailure("socket: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard result else {
            throw TestFailure("bind/getsockname: \(String(cString: strerror(errno)))")
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
