import Dispatch
import Foundation
import Glibc
import Synchronization

/// A request as a `LoopbackServer` received it.
struct RecordedRequest: Sendable {
    let method: String
    /// The request target, query included.
    let target: String
    let headers: [String: String]
    let body: [UInt8]

    var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }
    var query: String? { target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) }
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A tiny HTTP/1.1 server on a loopback address for tests: one thread, one connection at a
/// time, `Connection: close`. Also serves as a plain TCP listener for tcp checks.
final class LoopbackServer: Sendable {
    typealias Handler = @Sendable (RecordedRequest) -> (status: Int, body: String)

    let host: String
    let port: Int
    private let fd: Int32
    private let handler: Handler
    private let finished = DispatchSemaphore(value: 0)
    private let recorded = Mutex<[RecordedRequest]>([])

    init(host: String = "127.0.0.1", handler: @escaping Handler = { _ in (200, "ok") }) throws {
        self.host = host
        self.handler = handler
        (fd, port) = try Self.listen(on: host)
        let thread = Thread { [self] in
            serve()
            finished.signal()
        }
        thread.start()
    }

    var requests: [RecordedRequest] { recorded.withLock { $0 } }

    /// Stops accepting, waits for the thread to end and closes the socket.
    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        finished.wait()
        close(fd)
    }

    /// A bound, listening socket that never accepts: connects succeed, replies never come.
    static func silentListener(host: String = "127.0.0.1") throws -> (fd: Int32, port: Int) {
        try listen(on: host)
    }

    private static func listen(on host: String) throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, host, &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard fd >= 0, bound == 0, Glibc.listen(fd, 16) == 0 else {
            throw POSIXError(.EADDRNOTAVAIL)
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR {
                    continue
                }
                return
            }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        guard let request = Self.readRequest(client) else {
            return
        }
        recorded.withLock { $0.append(request) }
        let (status, body) = handler(request)
        let reason = status == 200 ? "OK" : (status == 404 ? "Not Found" : "Status")
        let head = "HTTP/1.1 \(status) \(reason)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array((head + body).utf8)
        _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads one request; nil when the peer closed first (a tcp check's connect).
    private static func readRequest(_ client: Int32) -> RecordedRequest? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        var headEnd: Int?
        var expected = 0
        while headEnd.map({ buffer.count < $0 + 4 + expected }) ?? true {
            let count = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard count > 0 else {
                return nil
            }
            buffer += chunk[..<count]
            if headEnd == nil, let end = find(buffer) {
                headEnd = end
                expected = contentLength(String(decoding: buffer[..<end], as: UTF8.self))
            }
        }
        guard let end = headEnd else {
            return nil
        }
        let lines = String(decoding: buffer[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let pair = line.split(separator: ":", maxSplits: 1)
            if pair.count == 2 {
                headers[pair[0].lowercased()] = pair[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return RecordedRequest(
            method: String(parts[0]), target: String(parts[1]), headers: headers,
            body: Array(buffer[(end + 4)..<(end + 4 + expected)]))
    }

    private static func find(_ buffer: [UInt8]) -> Int? {
        guard buffer.count >= 4 else {
            return nil
        }
        return (0...(buffer.count - 4)).first { buffer[$0..<($0 + 4)].elementsEqual([13, 10, 13, 10]) }
    }

    private static func contentLength(_ head: String) -> Int {
        for line in head.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            return Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }
}

/// A directory under /tmp, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        path = "/tmp/rkt-services-test-\(UUID().uuidString.lowercased())"
        mkdir(path, 0o755)
    }

    func remove() {
        _ = try? FileManager.default.removeItem(atPath: path)
    }
}
