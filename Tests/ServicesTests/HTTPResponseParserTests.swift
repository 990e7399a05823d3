import Testing

@testable import Services

@Suite("HTTP response parsing")
struct HTTPResponseParserTests {
    @Test func chunkedBodyIsDecodedAndCompletesAtTheLastChunk() throws {
        var parser = HTTPResponseParser(maxBody: 1024)
        try parser.feed(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n".utf8))
        #expect(!parser.isComplete)
        try parser.feed(Array("5;x=y\r\npedia\r\n0\r\n\r\n".utf8))
        #expect(parser.isComplete)
        #expect(parser.response?.bodyText == "Wikipedia")
    }

    @Test func contentLengthCompletesWithoutEOFAndBodyIsCapped() throws {
        var parser = HTTPResponseParser(maxBody: 3)
        try parser.feed(Array("HTTP/1.0 503 Service Unavailable\r\nContent-Length: 10\r\n\r\nabcd".utf8))
        #expect(parser.isComplete)
        #expect(parser.response?.statusLine == "503 Service Unavailable")
        #expect(parser.response?.bodyText == "abc")
    }

    @Test func malformedStatusLine() {
        var parser = HTTPResponseParser(maxBody: 10)
        #expect(throws: (any Error).self) { try parser.feed(Array("SSH-2.0-OpenSSH\r\n\r\n".utf8)) }
    }
}
