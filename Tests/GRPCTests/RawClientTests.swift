import Glibc
import HPACK
import HTTP2
import Protobuf
import Testing

@testable import GRPC

/// Drives the gRPC server over a unix socket with the exact header blocks a grpc-go 1.27.1 client sent
/// (reference §12.3), and checks the response frames.
@Suite struct RawClientTests {
    static let pluginInfoPath = "/hashicorp.nomad.plugins.base.proto.BasePlugin/PluginInfo"
    static let pluginInfoBytes: [UInt8] = Array(
        [0x08, 0x02, 0x12, 0x06] + Array("v0.1.0".utf8) + [0x1a, 0x05] + Array("0.1.0".utf8) + [0x22, 0x07]
            + Array("mockext".utf8))

    static func server() throws -> GRPCServer {
        var router = GRPCRouter()
        router.register(pluginInfoPath, .unary { _, _ in pluginInfoBytes })
        let path = "/tmp/rkt-wire-grpc-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        return try GRPCServer(path: path, router: router)
    }

    static func goBlock(_ hex: String) -> [UInt8] {
        let digits = hex.compactMap { $0.hexDigitValue }
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(digits[$0] << 4 | digits[$0 + 1]) }
    }

    @Test func goClientPluginInfoAndBrokerStream() throws {
        let server = try Self.server()
        defer { server.stop() }
        let client = try RawClient(path: server.path)
        defer { client.close() }

        let pluginInfo = Self.goBlock(
            "838645a96271a27310f656bd47a4722f5d16cc6a90bc634157aec3a4ebdd1a0bae8b66354c6ba2d98d564aa53f4185b6ab"
                + "50593f5f8b1d75d0620d263d4c4d65647a8a9acac8b4c7602b89d5c340027465864d833505b11f")
        let broker = Self.goBlock("8386459762ba2d98d52f8b6ebbd76c3f52d8c6e48ec4ee4d851d3fc2c1c0bf")
        var bytes = http2ConnectionPreface + Frame.settings(ack: false, []).bytes
        bytes +=
            Frame.headers(streamID: 1, fragment: pluginInfo, endStream: false, endHeaders: true, priority: nil).bytes
        bytes += Frame.data(streamID: 1, payload: [0, 0, 0, 0, 0], endStream: true, flowControlledLength: 5).bytes
        bytes += Frame.headers(streamID: 3, fragment: broker, endStream: false, endHeaders: true, priority: nil).bytes
        client.write(bytes)

        var decoder = HPACKDecoder()
        var responses: [UInt32: [String]] = [:]
        var data: [UInt8] = []
        var resets: [UInt32: HTTP2ErrorCode] = [:]
        let frames = client.read { frames in
            frames.filter { if case .headers(_, _, true, _, _) = $0 { return true } else { return false } }.count == 2
        }
        for frame in frames {
            switch frame {
            case .headers(let id, let fragment, let end, _, _):
                let fields = (try? decoder.decode(fragment)) ?? []
                responses[id, default: []] += fields.map { "\($0.name)=\($0.value)" } + (end ? ["END"] : [])
            case .data(1, let payload, _, _): data += payload
            case .rstStream(let id, let code): resets[id] = code
            default: break
            }
        }
        #expect(responses[1] == [":status=200", "content-type=application/grpc", "grpc-status=0", "END"])
        #expect(data == GRPCFraming.frame(Self.pluginInfoBytes))
        #expect(
            responses[3] == [
                ":status=200", "content-type=application/grpc", "grpc-status=12",
                "grpc-message=unknown method /plugin.GRPCBroker/StartStream", "END",
            ])
        let late = client.read { _ in false }  // the RST_STREAM may trail the trailers
        for case .rstStream(let id, let code) in late { resets[id] = code }
        #expect(resets[3] == .noError, "the broker stream, still open on the client side, is reset with NO_ERROR")
    }
}

/// A blocking unix-socket client speaking raw frames (1 s read timeout).
struct RawClient {
    let fd: Int32

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else { throw SocketError("connect", path: path) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func write(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads frames until `done` is satisfied, EOF or the timeout.
    func read(until done: ([Frame]) -> Bool) -> [Frame] {
        var parser = FrameParser(maxFrameSize: 1 << 24)
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
