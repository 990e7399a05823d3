import HPACK
import Testing

@testable import HTTP2

@Suite struct ConnectionStartTests {
    @Test func serverPrefaceIsSettingsThenConnectionWindow() {
        var client = TestClient(fresh: ServerConfiguration())
        let frames = client.frames()
        guard case .settings(ack: false, let settings) = frames.first else {
            Issue.record("first frame is not SETTINGS: \(frames)")
            return
        }
        #expect(settings.contains(Setting(.maxFrameSize, 16_384)))
        #expect(settings.contains(Setting(.initialWindowSize, 1 << 20)))
        #expect(frames.dropFirst().first == .windowUpdate(streamID: 0, increment: UInt32((1 << 20) - 65_535)))
    }

    @Test func clientSettingsAreAcknowledged() {
        var client = TestClient(fresh: ServerConfiguration())
        _ = client.frames()
        let events = client.send(raw: http2ConnectionPreface + Frame.settings(ack: false, []).bytes)
        #expect(events.isEmpty)
        #expect(client.frames() == [.settings(ack: true, [])])
    }

    @Test func prefaceMayArriveInPieces() {
        var client = TestClient(fresh: ServerConfiguration())
        for byte in http2ConnectionPreface { #expect(client.send(raw: [byte]).isEmpty) }
        client.send(.settings(ack: false, []))
        #expect(!client.server.isClosed)
    }

    @Test func badPrefaceIsAConnectionError() {
        var client = TestClient(fresh: ServerConfiguration())
        _ = client.frames()
        let events = client.send(raw: Array("GET / HTTP/1.1\r\n".utf8))
        #expect(events.connectionError?.code == .protocolError)
        #expect(client.frames().goAwayCode == .protocolError)
        #expect(client.server.isClosed)
        #expect(client.send(raw: [1, 2, 3]).isEmpty, "a closed connection ignores further input")
    }

    @Test func firstFrameMustBeSettings() {
        var client = TestClient(fresh: ServerConfiguration())
        _ = client.frames()
        let events = client.send(
            raw: http2ConnectionPreface + Frame.ping(ack: false, opaque: [0, 0, 0, 0, 0, 0, 0, 0]).bytes)
        #expect(
            events.connectionError
                == .connection(.protocolError, "first frame after the preface must be SETTINGS, got PING"))
    }

    @Test func pingIsAnsweredWithTheSamePayload() {
        var client = TestClient()
        let opaque: [UInt8] = [2, 4, 16, 16, 9, 14, 7, 7]
        client.send(.ping(ack: false, opaque: opaque))
        #expect(client.frames() == [.ping(ack: true, opaque: opaque)])
        #expect(client.send(.ping(ack: true, opaque: opaque)) == [.pingAck(opaque: opaque)])
    }

    @Test func unknownFrameTypesAreIgnored() {
        var client = TestClient()
        let events = client.send(.unknown(type: 0xbb, flags: 0xff, streamID: 0, payload: [1, 2, 3]))
        #expect(events.isEmpty)
        #expect(client.frames().isEmpty)
        #expect(!client.server.isClosed)
    }

    @Test func truncatedFrameWaitsAndOversizedFrameFails() {
        var client = TestClient()
        let bytes = Frame.ping(ack: false, opaque: [1, 1, 1, 1, 1, 1, 1, 1]).bytes
        #expect(client.send(raw: Array(bytes.prefix(12))).isEmpty)
        #expect(client.frames().isEmpty)
        client.send(raw: Array(bytes.dropFirst(12)))
        #expect(client.frames().count == 1)

        let events = client.send(raw: [0, 0x40, 0x01, 0, 0, 0, 0, 0, 1])
        #expect(events.connectionError?.code == .frameSizeError)
        #expect(client.frames().goAwayCode == .frameSizeError)
    }

    @Test func clientGoAwayIsReported() {
        var client = TestClient()
        let events = client.send(.goAway(lastStreamID: 0, .noError, debug: []))
        #expect(events == [.goAway(lastStreamID: 0, code: .noError, debug: [])])
    }

    @Test func serverGoAwayCarriesTheLastStreamAndIgnoresNewStreams() {
        var client = TestClient()
        let request = client.headers(1)
        client.send(request)
        client.server.goAway()
        #expect(client.frames() == [.goAway(lastStreamID: 1, .noError, debug: [])])
        let later = client.headers(3)
        #expect(client.send(later).isEmpty)
    }
}

@Suite struct StreamTests {
    @Test func requestResponseWithTrailers() throws {
        var client = TestClient()
        let request = client.headers(1)
        #expect(client.send(request) == [.request(streamID: 1, headers: TestClient.request, endStream: false)])
        #expect(
            client.send(.data(streamID: 1, payload: [0, 0, 0, 0, 0], endStream: true, flowControlledLength: 5))
                == [.data(streamID: 1, bytes: [0, 0, 0, 0, 0], endStream: true)])

        try client.server.sendHeaders(
            [HeaderField(":status", "200"), HeaderField("content-type", "application/grpc")], on: 1)
        try client.server.sendData([0, 0, 0, 0, 1, 7], on: 1)
        try client.server.sendHeaders([HeaderField("grpc-status", "0")], on: 1, endStream: true)
        let frames = client.frames()
        #expect(frames.count == 3)
        guard case .headers(1, let head, false, true, nil) = frames[0],
            case .headers(1, let tail, true, true, nil) = frames[2]
        else {
            Issue.record("unexpected frames \(frames)")
            return
        }
        #expect(
            client.decode(head) == [HeaderField(":status", "200"), HeaderField("content-type", "application/grpc")])
        #expect(
            frames[1] == .data(streamID: 1, payload: [0, 0, 0, 0, 1, 7], endStream: false, flowControlledLength: 6))
        #expect(client.decode(tail) == [HeaderField("grpc-status", "0")])
        #expect(client.server.activeStreamIDs.isEmpty, "both sides ended: the stream is closed")
        #expect(throws: HTTP2SendError.streamNotWritable(1)) { try client.server.sendData([1], on: 1) }
    }

    @Test func clientTrailersEndTheRequest() {
        var client = TestClient()
        let request = client.headers(1)
        client.send(request)
        client.send(.data(streamID: 1, payload: [1], endStream: false, flowControlledLength: 1))
        let trailers = client.headers(1, [HeaderField("x-checksum", "1")], endStream: true)
        #expect(client.send(trailers) == [.trailers(streamID: 1, headers: [HeaderField("x-checksum", "1")])])
    }

    @Test func trailersWithoutEndStreamResetTheStream() {
        var client = TestClient()
        let request = client.headers(1)
        client.send(request)
        let trailers = client.headers(1, [HeaderField("x-a", "1")], endStream: false)
        #expect(client.send(trailers) == [.streamReset(streamID: 1, code: .protocolError, byPeer: false)])
        #expect(client.frames().resets == [1: .protocolError])
    }

    @Test func peerResetStopsTheStream() {
        var client = TestClient()
        let request = client.headers(1)
        client.send(request)
        #expect(
            client.send(.rstStream(streamID: 1, .cancel)) == [.streamReset(streamID: 1, code: .cancel, byPeer: true)])
        #expect(throws: HTTP2SendError.streamNotWritable(1)) { try client.server.sendData([1], on: 1) }
        // DATA that was in flight when the reset was sent is answered with STREAM_CLOSED, not a connection error.
        client.send(.data(streamID: 1, payload: [1], endStream: false, flowControlledLength: 1))
        #expect(client.frames().resets == [1: .streamClosed])
        #expect(!client.server.isClosed)
    }

    @Test func invalidRequestsAreRefusedPerStream() {
        var client = TestClient()
        let missingPath = client.headers(1, [HeaderField(":method", "POST"), HeaderField(":scheme", "http")])
        #expect(client.send(missingPath).isEmpty)
        let upper = client.headers(3, TestClient.request + [HeaderField("X-Upper", "1")])
        client.send(upper)
        #expect(client.frames().resets == [1: .protocolError, 3: .protocolError])
        // HPACK stayed in step: the next request decodes.
        let good = client.headers(5)
        #expect(client.send(good) == [.request(streamID: 5, headers: TestClient.request, endStream: false)])
    }

    @Test func streamIdRules() {
        var client = TestClient()
        let even = client.headers(2)
        #expect(client.send(even).connectionError?.code == .protocolError)

        client = TestClient()
        let third = client.headers(3)
        client.send(third)
        let lower = client.headers(1)
        client.send(lower)
        #expect(client.frames().resets == [1: .streamClosed])

        client = TestClient()
        let events = client.send(.data(streamID: 5, payload: [1], endStream: false, flowControlledLength: 1))
        #expect(events.connectionError == .connection(.protocolError, "DATA on idle stream 5"))
        client = TestClient()
        #expect(client.send(.rstStream(streamID: 7, .cancel)).connectionError?.code == .protocolError)
    }

    @Test func tooManyStreamsAreRefused() {
        var configuration = ServerConfiguration()
        configuration.maxConcurrentStreams = 1
        var client = TestClient(configuration: configuration)
        let first = client.headers(1)
        let second = client.headers(3)
        client.send(first, second)
        #expect(client.frames().resets == [3: .refusedStream])
        #expect(client.server.activeStreamIDs == [1])
    }

    @Test func garbageHeaderBlockIsACompressionError() {
        var client = TestClient()
        let events = client.send(
            .headers(streamID: 1, fragment: [0xff, 0xff], endStream: true, endHeaders: true, priority: nil))
        #expect(events.connectionError?.code == .compressionError)
        #expect(client.frames().goAwayCode == .compressionError)
    }

    @Test func priorityIsIgnoredUnlessSelfDependent() {
        var client = TestClient()
        #expect(client.send(.priority(streamID: 9, PriorityFields(exclusive: false, dependency: 1, weight: 1))).isEmpty)
        client.send(.priority(streamID: 11, PriorityFields(exclusive: false, dependency: 11, weight: 1)))
        #expect(client.frames().resets == [11: .protocolError])
    }
}

@Suite struct ContinuationTests {
    @Test func headerBlockSpreadOverContinuations() {
        var client = TestClient()
        let block = client.encoder.encode(TestClient.request)
        let events = client.send(
            .headers(streamID: 1, fragment: Array(block.prefix(3)), endStream: true, endHeaders: false, priority: nil),
            .continuation(streamID: 1, fragment: Array(block.dropFirst(3).prefix(4)), endHeaders: false),
            .continuation(streamID: 1, fragment: Array(block.dropFirst(7)), endHeaders: true))
        #expect(events == [.request(streamID: 1, headers: TestClient.request, endStream: true)])
    }

    @Test func otherFramesMayNotInterleave() {
        let open = Frame.headers(streamID: 1, fragment: [0x82], endStream: false, endHeaders: false, priority: nil)
        let intruders: [Frame] = [
            .data(streamID: 1, payload: [], endStream: false, flowControlledLength: 0),
            .ping(ack: false, opaque: [0, 0, 0, 0, 0, 0, 0, 0]),
            .continuation(streamID: 3, fragment: [], endHeaders: true),
            .headers(streamID: 3, fragment: [0x82], endStream: false, endHeaders: true, priority: nil),
            .unknown(type: 0xbb, flags: 0, streamID: 0, payload: []),
        ]
        for intruder in intruders {
            var client = TestClient()
            let events = client.send(open, intruder)
            #expect(events.connectionError?.code == .protocolError, "\(intruder.name)")
            #expect(client.frames().goAwayCode == .protocolError)
        }
    }

    @Test func continuationWithoutHeadersIsAnError() {
        var client = TestClient()
        let events = client.send(.continuation(streamID: 1, fragment: [0x82], endHeaders: true))
        #expect(events.connectionError == .connection(.protocolError, "CONTINUATION on stream 1 without HEADERS"))
    }

    @Test func largeResponseHeadersUseContinuation() throws {
        var client = TestClient()
        let request = client.headers(1)
        client.send(request)
        let big = HeaderField("x-big", String(repeating: "~", count: 40_000))
        try client.server.sendHeaders([HeaderField(":status", "200"), big], on: 1)
        let frames = client.frames()
        #expect(frames.count == 3)
        var block: [UInt8] = []
        for frame in frames {
            switch frame {
            case .headers(1, let fragment, false, false, nil), .continuation(1, let fragment, false):
                #expect(fragment.count == 16_384)
                block += fragment
            case .continuation(1, let fragment, true): block += fragment
            default: Issue.record("unexpected \(frame)")
            }
        }
        #expect(client.decode(block) == [HeaderField(":status", "200"), big])
    }
}
