import HPACK
import Testing

@testable import HTTP2

@Suite struct SendFlowControlTests {
    /// A client that has opened stream 1 (and 3 when asked) with the given SETTINGS.
    static func client(settings: [Setting] = [], streams: [UInt32] = [1]) -> TestClient {
        var client = TestClient(settings: settings)
        for id in streams {
            let request = client.headers(id)
            client.send(request)
        }
        _ = client.frames()
        return client
    }

    @Test func dataWaitsForStreamCredit() throws {
        var client = Self.client(settings: [Setting(.initialWindowSize, 10)])
        try client.server.sendData(Array(repeating: 7, count: 25), on: 1, endStream: true)
        #expect(client.frames().dataBytes(on: 1).count == 10)
        #expect(client.server.sendWindow(of: 1) == 0)
        #expect(client.server.queuedBytes(on: 1) == 15)

        client.send(.windowUpdate(streamID: 1, increment: 10))
        #expect(client.frames().dataBytes(on: 1).count == 10)
        client.send(.windowUpdate(streamID: 1, increment: 100))
        let last = client.frames()
        #expect(
            last == [
                .data(streamID: 1, payload: Array(repeating: 7, count: 5), endStream: true, flowControlledLength: 5)
            ])
        #expect(client.server.connectionSendWindow == 65_535 - 25)
    }

    @Test func trailersWaitBehindBlockedData() throws {
        var client = Self.client(settings: [Setting(.initialWindowSize, 4)])
        try client.server.sendData([1, 2, 3, 4, 5, 6], on: 1)
        try client.server.sendHeaders([HeaderField("grpc-status", "0")], on: 1, endStream: true)
        let first = client.frames()
        #expect(first.count == 1, "only the first 4 octets; the trailers must not overtake the data")
        client.send(.windowUpdate(streamID: 1, increment: 2))
        let rest = client.frames()
        #expect(rest.count == 2)
        #expect(rest.first == .data(streamID: 1, payload: [5, 6], endStream: false, flowControlledLength: 2))
        guard case .headers(1, _, true, true, nil) = rest.last else {
            Issue.record("expected trailers, got \(rest)")
            return
        }
    }

    @Test func connectionWindowIsSharedByStreams() throws {
        var client = Self.client(settings: [Setting(.initialWindowSize, 100_000)], streams: [1, 3])
        try client.server.sendData(Array(repeating: 1, count: 60_000), on: 1)
        try client.server.sendData(Array(repeating: 3, count: 60_000), on: 3)
        let frames = client.frames()
        #expect(frames.dataBytes(on: 1).count + frames.dataBytes(on: 3).count == 65_535)
        #expect(client.server.connectionSendWindow == 0)
        client.send(.windowUpdate(streamID: 0, increment: 54_465))
        let more = client.frames()
        #expect(more.dataBytes(on: 1).count + more.dataBytes(on: 3).count == 54_465)
        #expect(client.server.queuedBytes(on: 1) + client.server.queuedBytes(on: 3) == 0)
    }

    @Test func framesNeverExceedThePeerMaxFrameSize() throws {
        var client = Self.client(settings: [Setting(.initialWindowSize, 1 << 20)])
        client.send(.windowUpdate(streamID: 0, increment: 1 << 20))
        try client.server.sendData(Array(repeating: 0, count: 40_000), on: 1)
        #expect(client.frames().map { $0.bytes.count - 9 } == [16_384, 16_384, 7232])

        client.send(.settings(ack: false, [Setting(.maxFrameSize, 20_000)]))
        _ = client.frames()
        try client.server.sendData(Array(repeating: 0, count: 40_000), on: 1)
        #expect(client.frames().map { $0.bytes.count - 9 } == [20_000, 20_000])
    }

    @Test func initialWindowChangesApplyToOpenStreams() throws {
        var client = Self.client(settings: [Setting(.initialWindowSize, 100)])
        try client.server.sendData(Array(repeating: 0, count: 80), on: 1)
        _ = client.frames()
        #expect(client.server.sendWindow(of: 1) == 20)
        // Lowering the initial window by 50 leaves the stream at -30: nothing may be sent.
        client.send(.settings(ack: false, [Setting(.initialWindowSize, 50)]))
        #expect(client.server.sendWindow(of: 1) == -30)
        try client.server.sendData([1], on: 1)
        #expect(client.frames() == [.settings(ack: true, [])])
        client.send(.settings(ack: false, [Setting(.initialWindowSize, 81)]))
        #expect(client.frames().dataBytes(on: 1) == [1])
    }

    @Test func windowOverflowIsAnError() {
        var client = Self.client()
        client.send(.windowUpdate(streamID: 1, increment: 0x7fff_ffff))
        #expect(client.frames().resets == [1: .flowControlError])
        let events = client.send(.windowUpdate(streamID: 0, increment: 0x7fff_ffff))
        #expect(events.connectionError?.code == .flowControlError)
        #expect(client.frames().goAwayCode == .flowControlError)
    }

    @Test func settingsThatOverflowAWindowAreAConnectionError() throws {
        var client = Self.client()
        client.send(.windowUpdate(streamID: 1, increment: 0x7fff_ffff - 65_535))
        let events = client.send(.settings(ack: false, [Setting(.initialWindowSize, 65_536)]))
        #expect(events.connectionError?.code == .flowControlError)
    }
}

@Suite struct ReceiveFlowControlTests {
    @Test func theConnectionWindowIsReplenishedOnceHalfIsUsed() {
        var client = TestClient()  // 1 MiB windows
        let request = client.headers(1)
        client.send(request)
        _ = client.frames()
        var sent = 0
        while sent <= (1 << 19) {
            client.send(
                .data(
                    streamID: 1, payload: Array(repeating: 0, count: 16_384), endStream: false,
                    flowControlledLength: 16_384))
            sent += 16_384
        }
        let frames = client.frames()
        #expect(frames.windowUpdates(on: 0) == [UInt32(sent)])
        #expect(frames.windowUpdates(on: 1) == [], "the stream's credit waits for its owner")
    }

    /// A client with 64 KiB stream windows whose stream 1 has used its whole window.
    static func clientWithAFullStream() -> TestClient {
        var configuration = ServerConfiguration()
        configuration.initialWindowSize = 65_536
        var client = TestClient(configuration: configuration)
        let request = client.headers(1)
        client.send(request)
        for _ in 0..<4 {
            client.send(Self.chunk)
        }
        return client
    }

    static let chunk = Frame.data(
        streamID: 1, payload: Array(repeating: 0, count: 16_384), endStream: false, flowControlledLength: 16_384)

    @Test func aStreamWhoseDataIsNotConsumedGetsNoCredit() {
        var client = Self.clientWithAFullStream()
        #expect(client.frames().windowUpdates(on: 1) == [])
        let overflow = client.send(.data(streamID: 1, payload: [0], endStream: false, flowControlledLength: 1))
        #expect(overflow == [.streamReset(streamID: 1, code: .flowControlError, byPeer: false)])
    }

    @Test func theStreamWindowIsGivenBackAsItsOwnerConsumes() {
        var client = Self.clientWithAFullStream()
        _ = client.frames()
        client.server.consumed(20_000, on: 1)
        #expect(client.frames().windowUpdates(on: 1) == [], "less than half a window owed")
        client.server.consumed(12_768, on: 1)
        #expect(client.frames().windowUpdates(on: 1) == [32_768])
        let more = client.send(Self.chunk)
        #expect(more == [.data(streamID: 1, bytes: Array(repeating: 0, count: 16_384), endStream: false)])
        client.server.consumed(1, on: 99)  // an unknown stream owes nothing
        #expect(client.frames().windowUpdates(on: 99) == [])
    }

    @Test func paddingCountsAgainstTheWindow() {
        var configuration = ServerConfiguration()
        configuration.initialWindowSize = 65_535
        configuration.connectionWindowSize = 65_535
        var client = TestClient(configuration: configuration)
        let request = client.headers(1)
        client.send(request)
        // DATA of 16 384 octets: pad length, 16 128 data, 255 padding. Three of them: 49 152 counted.
        let padded: [UInt8] = [0, 0x40, 0x00, 0, 0x8, 0, 0, 0, 1, 255] + [UInt8](repeating: 0, count: 16_128 + 255)
        for _ in 0..<3 { client.send(raw: padded) }
        #expect(client.frames().windowUpdates(on: 0) == [49_152])
    }

    @Test func streamWindowViolationIsAStreamError() {
        var configuration = ServerConfiguration()
        configuration.maxFrameSize = 100_000
        configuration.initialWindowSize = 65_535
        var client = TestClient(configuration: configuration)
        let request = client.headers(1)
        client.send(request)
        let events = client.send(
            .data(
                streamID: 1, payload: Array(repeating: 0, count: 70_000), endStream: false, flowControlledLength: 70_000
            ))
        #expect(events == [.streamReset(streamID: 1, code: .flowControlError, byPeer: false)])
        #expect(client.frames().resets == [1: .flowControlError])
        #expect(!client.server.isClosed)
    }

    @Test func connectionWindowViolationIsAConnectionError() {
        var configuration = ServerConfiguration()
        configuration.maxFrameSize = 100_000
        configuration.connectionWindowSize = 65_535
        var client = TestClient(configuration: configuration)
        let request = client.headers(1)
        client.send(request)
        let events = client.send(
            .data(
                streamID: 1, payload: Array(repeating: 0, count: 70_000), endStream: false, flowControlledLength: 70_000
            ))
        #expect(
            events.connectionError
                == .connection(.flowControlError, "DATA of 70000 octets exceeds the connection window 65535"))
        #expect(client.frames().goAwayCode == .flowControlError)
        #expect(client.server.isClosed)
    }
}
