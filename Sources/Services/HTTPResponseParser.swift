import RktError

/// Incremental parser for one HTTP/1.1 response read from a socket. It knows when the body is
/// complete (Content-Length, the last chunk, or `maxBody` reached) so the client can stop reading
/// without waiting for the server to close.
struct HTTPResponseParser {
    private let maxBody: Int
    private var buffer: [UInt8] = []
    private var head: (status: Int, reason: String, headers: [String: String], bodyStart: Int)?
    private var closed = false

    init(maxBody: Int) {
        self.maxBody = maxBody
    }

    mutating func feed(_ bytes: [UInt8]) throws(RktError) {
        buffer += bytes
        if head == nil {
            try parseHead()
        }
    }

    /// The peer closed the connection: whatever arrived is the body.
    mutating func finish() {
        closed = true
    }

    var isComplete: Bool {
        guard let head else {
            return closed
        }
        let received = buffer.count - head.bodyStart
        if closed || received >= maxBody {
            return true
        }
        if head.headers["transfer-encoding"]?.lowercased() == "chunked" {
            return Self.decodeChunked(Array(buffer[head.bodyStart...])).complete
        }
        if let length = head.headers["content-length"].flatMap({ Int($0) }) {
            return received >= length
        }
        return false
    }

    /// The response so far, or nil when no complete head arrived.
    var response: HTTPResponse? {
        guard let head else {
            return nil
        }
        var body = Array(buffer[head.bodyStart...])
        if head.headers["transfer-encoding"]?.lowercased() == "chunked" {
            body = Self.decodeChunked(body).body
        } else if let length = head.headers["content-length"].flatMap({ Int($0) }), body.count > length {
            body = Array(body[..<length])
        }
        return HTTPResponse(
            status: head.status, reason: head.reason, headers: head.headers, body: Array(body.prefix(maxBody)))
    }

    private mutating func parseHead() throws(RktError) {
        guard let end = Self.find([13, 10, 13, 10], in: buffer) else {
            return
        }
        let lines = String(decoding: buffer[..<end], as: UTF8.self).split(
            separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = (lines.first ?? "").split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw RktError(.internal, "malformed HTTP status line \"\(lines.first ?? "")\"")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else {
                continue
            }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingSpaces
        }
        let reason = statusParts.count > 2 ? String(statusParts[2]) : ""
        head = (status, reason, headers, end + 4)
    }

    /// Decodes chunked transfer coding; `complete` once the zero-length chunk was seen.
    static func decodeChunked(_ bytes: [UInt8]) -> (body: [UInt8], complete: Bool) {
        var body: [UInt8] = []
        var offset = 0
        while let lineEnd = find([13, 10], in: bytes, from: offset) {
            let sizeText = String(decoding: bytes[offset..<lineEnd], as: UTF8.self)
            guard let size = Int(sizeText.split(separator: ";").first?.trimmingSpaces ?? "", radix: 16) else {
                return (body, false)
            }
            if size == 0 {
                return (body, true)
            }
            let start = lineEnd + 2
            let available = min(size, bytes.count - start)
            body += bytes[start..<(start + available)]
            guard available == size else {
                return (body, false)
            }
            offset = start + size + 2
        }
        return (body, false)
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        for index in start...(haystack.count - needle.count)
        where haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" {
            text = text.dropFirst()
        }
        while let last = text.last, last == " " || last == "\t" {
            text = text.dropLast()
        }
        return String(text)
    }
}
