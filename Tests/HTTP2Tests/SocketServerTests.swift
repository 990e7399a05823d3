import Glibc
import HPACK
import Synchronization
import Testing

@testable import HTTP2

/// Echoes each request body back, then ends the stream with a trailer.
final class EchoDelegate: HTTP2ChannelDelegate {
    let closed = Atomic<Int>(0)

    func channel(_ channel: HTTP2Channel, received event: HTTP2Event) {
        switch event {
        case .request(let id, _, _):
            try? channel.sendHeaders([HeaderField(":status", "200")], on: id)
        case .data(let id, let bytes, let endStream):
            try? channel.sendData(bytes, on: id)
            if endStream { try? channel.sendHeaders([HeaderField("x-done", "1")], on: id, endStream: true) }
        default:
            break
        }
    }

    func channelClosed(_ channel: HTTP2Channel) {
        closed.add(1, ordering: .sequentiallyConsistent)
    }
}

/// A blocking unix-socket client speaking raw frames.
struct SocketClient {
    let fd: Int32
    var parser = FrameParser(maxFrameSize: 1 << 24)

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let socketFD = fd
        let result = try withUnixAddress(path) { connect(socketFD, $0, $1) }
        guard result == 0 else { throw SocketError("connect", path: path) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func write(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads frames until `done` says stop, or the 5 s timeout / EOF.
    mutating func read(until done: ([Frame]) -> Bool) -> [Frame] {
        var frames: [Frame] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !done(frames) {
            let count = Glibc.read(fd, &buffer, buffer.count)
            guard count > 0 else { break }
            parser.append(buffer[0..<count])
            while let frame = try? parser.next() { frames.append(frame) }
        }
        return frames
    }

    func close() { Glibc.close(fd) }
}

@Suite struct SocketServerTests {
    static func socketPath() -> String { "/tmp/rkt-wire-h2-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock" }

    @Test func echoOverAUnixSocket() throws {
        let path = Self.socketPath()
        let server = try UnixSocketServer(path: path)
        let delegate = EchoDelegate()
        server.start { delegate }
        defer { server.stop() }

        var client = try SocketClient(path: path)
        defer { client.close() }
        var encoder = HPACKEncoder()
        let body = [UInt8](repeating: 0x5a, count: 100_000)  // more than the default windows toward the client
        var bytes = http2ConnectionPreface + Frame.settings(ack: false, []).bytes
        bytes +=
            Frame.headers(
                streamID: 1, fragment: encoder.encode(TestClient.request), endStream: false, endHeaders: true,
                priority: nil
            ).bytes
        for offset in stride(from: 0, to: body.count, by: 16_384) {
            let chunk = Array(body[offset..<min(body.count, offset + 16_384)])
            let last = offset + 16_384 >= body.count
            bytes += Frame.data(streamID: 1, payload: chunk, endStream: last, flowControlledLength: chunk.count).bytes
        }
        client.write(bytes)

        // The echo outgrows the client's 65 535-octet windows: credit it as the data arrives.
        var received: [UInt8] = []
        var trailers = false
        while !trailers {
            let frames = client.read { !$0.isEmpty }
            guard !frames.isEmpty else { break }
            for frame in frames {
                if case .data(1, let payload, _, _) = frame, !payload.isEmpty {
                    received += payload
                    client.write(Frame.windowUpdate(streamID: 0, increment: UInt32(payload.count)).bytes)
                    client.write(Frame.windowUpdate(streamID: 1, increment: UInt32(payload.count)).bytes)
                }
                if case .headers(1, _, true, _, _) = frame { trailers = true }
                if case .data(1, let payload, _, _) = frame {
                    #expect(payload.count <= 16_384)
                }
            }
        }
        #expect(received == body)
        #expect(trailers)
    }

    @Test func probeConnectionsWithoutPrefaceAreTolerated() throws {
        let path = Self.socketPath()
        let server = try UnixSocketServer(path: path)
        let delegate = EchoDelegate()
        server.start { delegate }
        defer { server.stop() }

        try SocketClient(path: path).close()  // connect and hang up at once, like go-plugin's reattach probe
        var client = try SocketClient(path: path)
        defer { client.close() }
        client.write(http2ConnectionPreface + Frame.settings(ack: false, []).bytes)
        let frames = client.read { $0.contains(.settings(ack: true, [])) }
        guard case .settings(ack: false, _) = frames.first else {
            Issue.record("server did not start with SETTINGS: \(frames)")
            return
        }
        #expect(frames.contains(.settings(ack: true, [])))
    }
}
