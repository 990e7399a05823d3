import Synchronization
import Testing

@testable import GRPC

@Suite struct FramingTests {
    @Test func frameHasFlagAndBigEndianLength() {
        #expect(GRPCFraming.frame([]) == [0, 0, 0, 0, 0])
        #expect(GRPCFraming.frame([7, 8]) == [0, 0, 0, 0, 2, 7, 8])
        #expect(GRPCFraming.frame([UInt8](repeating: 1, count: 300)).prefix(5) == [0, 0, 0, 1, 0x2c])
    }

    @Test func messagesSplitAndJoinedAcrossDataFrames() throws {
        var reader = GRPCMessageReader()
        let stream = GRPCFraming.frame([1, 2, 3]) + GRPCFraming.frame([]) + GRPCFraming.frame([4])
        var messages: [[UInt8]] = []
        for byte in stream { messages += try reader.append([byte]) }
        #expect(messages == [[1, 2, 3], [], [4]])
        #expect(!reader.hasPartialMessage)
        #expect(try reader.append(stream) == [[1, 2, 3], [], [4]])
        #expect(try reader.append([0, 0, 0]).isEmpty)
        #expect(reader.hasPartialMessage)
    }

    @Test func compressedMessagesAreRejected() {
        var reader = GRPCMessageReader()
        #expect(
            throws: GRPCStatus(
                .unimplemented, "compressed gRPC messages are not supported (no grpc-encoding is accepted)")
        ) {
            try reader.append([1, 0, 0, 0, 1, 9])
        }
        var other = GRPCMessageReader()
        #expect(throws: GRPCStatus(.internal, "invalid gRPC message flag 2")) { try other.append([2, 0, 0, 0, 0]) }
    }

    @Test func oversizedMessagesAreRejectedBeforeBuffering() {
        var reader = GRPCMessageReader(maxMessageSize: 10)
        #expect(throws: GRPCStatus(.resourceExhausted, "gRPC message of 11 bytes exceeds the limit of 10")) {
            try reader.append([0, 0, 0, 0, 11])
        }
    }

    @Test func grpcMessagePercentEncoding() {
        #expect(GRPCMessageEncoding.encode("task not found for given id") == "task not found for given id")
        #expect(GRPCMessageEncoding.encode("100% ok\n") == "100%25 ok%0A")
        #expect(GRPCMessageEncoding.encode("ünï") == "%C3%BCn%C3%AF")
        #expect(GRPCMessageEncoding.decode("%C3%BCn%C3%AF 100%25 %zz %4") == "ünï 100% %zz %4")
        let text = "tab\there ~ \u{7f} ✓"
        #expect(GRPCMessageEncoding.decode(GRPCMessageEncoding.encode(text)) == text)
    }

    @Test func statusCodesMatchTheSpec() {
        #expect(GRPCStatusCode.allCases.count == 17)
        #expect(GRPCStatusCode.unimplemented.rawValue == 12)
        #expect(GRPCStatusCode.failedPrecondition.rawValue == 9)
        #expect(GRPCStatusCode.unauthenticated.rawValue == 16)
    }
}

/// GRPCRequestStream's backpressure: credit flows back at once below the high-water mark, and only as
/// `next()` drains the queue above it.
@Suite struct RequestStreamCreditTests {
    final class Credits: Sendable {
        let given = Mutex<[Int]>([])
        var all: [Int] { given.withLock { $0 } }
    }

    @Test func creditIsWithheldAboveTheHighWaterMarkAndReleasedAsTheQueueDrains() throws {
        let credits = Credits()
        let stream = GRPCRequestStream { count in credits.given.withLock { $0.append(count) } }
        let half = [UInt8](repeating: 1, count: GRPCRequestStream.highWater / 2)

        stream.append([half], receivedBytes: half.count + 5)
        stream.append([half], receivedBytes: half.count + 5)
        #expect(credits.all == [half.count + 5, half.count + 5], "at the mark: still credited")

        stream.append([[7]], receivedBytes: 6)
        stream.append([], receivedBytes: 100)  // part of a message still arriving
        #expect(credits.all.count == 2, "above the mark: withheld")

        #expect(try stream.next() == half)
        #expect(credits.all == [half.count + 5, half.count + 5, 106], "back at the mark: released")
        #expect(try stream.next() == half)
        #expect(try stream.next() == [7])
        #expect(credits.all.count == 3, "nothing more was owed")
    }

    @Test func aFailedStreamTakesNoMoreAndCreditsNothing() {
        let credits = Credits()
        let stream = GRPCRequestStream { count in credits.given.withLock { $0.append(count) } }
        stream.finish(GRPCStatus(.cancelled, "gone"))
        stream.append([[1, 2, 3]], receivedBytes: 8)
        #expect(credits.all == [])
        #expect(throws: GRPCStatus(.cancelled, "gone")) { try stream.next() }
    }
}
