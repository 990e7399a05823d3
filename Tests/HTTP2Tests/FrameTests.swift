import Testing

@testable import HTTP2

@Suite struct FrameTests {
    static let samples: [Frame] = [
        .data(streamID: 1, payload: [1, 2, 3], endStream: true, flowControlledLength: 3),
        .headers(streamID: 3, fragment: [0x82], endStream: false, endHeaders: true, priority: nil),
        .headers(
            streamID: 5, fragment: [0x82, 0x86], endStream: true, endHeaders: false,
            priority: PriorityFields(exclusive: true, dependency: 3, weight: 15)),
        .priority(streamID: 7, PriorityFields(exclusive: false, dependency: 1, weight: 200)),
        .rstStream(streamID: 1, .cancel),
        .settings(ack: false, [Setting(.maxFrameSize, 16_384), Setting(.initialWindowSize, 1 << 20)]),
        .settings(ack: true, []),
        .ping(ack: true, opaque: [2, 4, 16, 16, 9, 14, 7, 7]),
        .goAway(lastStreamID: 9, .enhanceYourCalm, debug: Array("calm".utf8)),
        .windowUpdate(streamID: 0, increment: 5),
        .continuation(streamID: 3, fragment: [0xbe], endHeaders: true),
        .unknown(type: 0xfa, flags: 0x3, streamID: 1, payload: [9, 9]),
    ]

    @Test(arguments: samples)
    func roundTrip(frame: Frame) throws {
        var parser = FrameParser()
        parser.append(frame.bytes)
        #expect(try parser.next() == frame)
        #expect(parser.bufferedCount == 0)
    }

    @Test func headerLayout() {
        let bytes = Frame.windowUpdate(streamID: 3, increment: 0x1234).bytes
        #expect(bytes == [0, 0, 4, 8, 0, 0, 0, 0, 3, 0, 0, 0x12, 0x34])
        #expect(FrameHeader(bytes[0..<9]) == FrameHeader(length: 4, type: 8, flags: 0, streamID: 3))
        // The reserved bit of the stream id is ignored on input.
        #expect(FrameHeader([0, 0, 0, 0, 0, 0x80, 0, 0, 1][...]).streamID == 1)
    }

    @Test func partialFramesWaitForMoreBytes() throws {
        let bytes = Frame.ping(ack: false, opaque: [1, 2, 3, 4, 5, 6, 7, 8]).bytes
        var parser = FrameParser()
        for byte in bytes.dropLast() {
            parser.append([byte])
            #expect(try parser.next() == nil)
        }
        parser.append([bytes[bytes.count - 1]])
        #expect(try parser.next() == .ping(ack: false, opaque: [1, 2, 3, 4, 5, 6, 7, 8]))
    }

    @Test func paddingIsStrippedAndCountedForFlowControl() throws {
        // DATA, PADDED, pad length 2: payload = [2, 'h', 'i', 0, 0]
        var parser = FrameParser()
        parser.append([0, 0, 5, 0, 0x9, 0, 0, 0, 1, 2, 0x68, 0x69, 0, 0])
        #expect(
            try parser.next() == .data(streamID: 1, payload: [0x68, 0x69], endStream: true, flowControlledLength: 5))
        // HEADERS, PADDED|PRIORITY|END_HEADERS, pad 1
        parser.append([0, 0, 8, 1, 0x2c, 0, 0, 0, 3, 1, 0, 0, 0, 1, 16, 0x82, 0])
        let priority = PriorityFields(exclusive: false, dependency: 1, weight: 16)
        #expect(
            try parser.next()
                == .headers(streamID: 3, fragment: [0x82], endStream: false, endHeaders: true, priority: priority))
    }

    @Test func malformedFrames() {
        func parse(_ bytes: [UInt8]) throws(HTTP2Error) -> Frame? {
            var parser = FrameParser()
            parser.append(bytes)
            return try parser.next()
        }
        // Oversized: 16385 octets declared.
        #expect(throws: HTTP2Error.connection(.frameSizeError, "frame of 16385 octets exceeds the maximum 16384")) {
            try parse([0, 0x40, 0x01, 0, 0, 0, 0, 0, 1])
        }
        #expect(throws: HTTP2Error.connection(.protocolError, "DATA padding is not shorter than the payload")) {
            try parse([0, 0, 2, 0, 0x8, 0, 0, 0, 1, 2, 0])
        }
        #expect(throws: HTTP2Error.connection(.protocolError, "DATA on stream 0")) {
            try parse([0, 0, 0, 0, 0, 0, 0, 0, 0])
        }
        #expect(throws: HTTP2Error.connection(.frameSizeError, "PING payload is 4 octets, must be 8")) {
            try parse([0, 0, 4, 6, 0, 0, 0, 0, 0, 1, 2, 3, 4])
        }
        #expect(throws: HTTP2Error.connection(.protocolError, "PING on stream 1, must be stream 0")) {
            try parse([0, 0, 8, 6, 0, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 8))
        }
        #expect(throws: HTTP2Error.connection(.frameSizeError, "SETTINGS payload not a multiple of 6")) {
            try parse([0, 0, 5, 4, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0])
        }
        #expect(throws: HTTP2Error.connection(.frameSizeError, "SETTINGS ACK with a payload")) {
            try parse([0, 0, 6, 4, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0])
        }
        #expect(throws: HTTP2Error.stream(3, .frameSizeError, "PRIORITY payload must be 5 octets")) {
            try parse([0, 0, 4, 2, 0, 0, 0, 0, 3, 0, 0, 0, 1])
        }
        #expect(throws: HTTP2Error.stream(1, .protocolError, "WINDOW_UPDATE with increment 0")) {
            try parse([0, 0, 4, 8, 0, 0, 0, 0, 1, 0, 0, 0, 0])
        }
        #expect(throws: HTTP2Error.connection(.protocolError, "WINDOW_UPDATE with increment 0")) {
            try parse([0, 0, 4, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        }
        #expect(throws: HTTP2Error.connection(.frameSizeError, "RST_STREAM payload is 3 octets, must be 4")) {
            try parse([0, 0, 3, 3, 0, 0, 0, 0, 1, 0, 0, 0])
        }
        #expect(throws: HTTP2Error.connection(.frameSizeError, "GOAWAY payload shorter than 8 octets")) {
            try parse([0, 0, 4, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        }
        #expect(
            throws: HTTP2Error.connection(.protocolError, "PUSH_PROMISE received by a server (clients cannot push)")
        ) {
            try parse([0, 0, 4, 5, 4, 0, 0, 0, 1, 0, 0, 0, 2])
        }
    }

    @Test func settingsValidation() {
        var settings = HTTP2Settings()
        #expect(throws: HTTP2Error.connection(.protocolError, "SETTINGS_ENABLE_PUSH must be 0 or 1")) {
            try settings.apply([Setting(.enablePush, 2)])
        }
        #expect(
            throws: HTTP2Error.connection(.flowControlError, "SETTINGS_INITIAL_WINDOW_SIZE 2147483648 above 2^31-1")
        ) {
            try settings.apply([Setting(.initialWindowSize, 1 << 31)])
        }
        #expect(throws: HTTP2Error.connection(.protocolError, "SETTINGS_MAX_FRAME_SIZE 16383 outside 16384...16777215"))
        {
            try settings.apply([Setting(.maxFrameSize, 16_383)])
        }
        #expect(throws: Never.self) { try settings.apply([Setting(SettingID(rawValue: 0x99), 7)]) }
    }
}
