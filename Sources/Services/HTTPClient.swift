import RktError

/// A parsed HTTP/1.1 response. Header names are lowercased.
public struct HTTPResponse: Equatable, Sendable {
    public var status: Int
    public var reason: String
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, reason: String, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// `"200 OK"`.
    public var statusLine: String { reason.isEmpty ? "\(status)" : "\(status) \(reason)" }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A minimal HTTP/1.1 client on plain sockets: one request per connection (`Connection: close`),
/// no TLS, no redirects, bodies by Content-Length, chunked encoding, or end of stream. Enough for
/// the Consul agent API and for http checks, without depending on libcurl.
public enum HTTPClient {
    /// Sends one request to `host:port` and returns the response. The timeout covers the whole
    /// exchange; at most `maxBody` body bytes are read (the rest is dropped, not waited for).
    public static func send(
        method: String, host: String, port: Int, path: String, body: [UInt8]? = nil,
        contentType: String = "application/json", timeout: Duration, maxBody: Int = 1 << 20
    ) throws(RktError) -> HTTPResponse {
        let connection = try TCPConnection.open(host: host, port: port, timeout: timeout)
        defer { connection.close() }

        let request = requestBytes(
            method: method, host: TCPConnection.joinHostPort(host, port), path: path, body: body,
            contentType: contentType)
        try connection.writeAll(request)

        var parser = HTTPResponseParser(maxBody: maxBody)
        while !parser.isComplete {
            let chunk = try connection.read()
            if chunk.isEmpty {
                parser.finish()
                break
            }
            try parser.feed(chunk)
        }
        guard let response = parser.response else {
            throw RktError(.internal, "\(method) \(path) at \(connection.peer): connection closed before a response")
        }
        return response
    }

    /// The request head and body as bytes.
    static func requestBytes(method: String, host: String, path: String, body: [UInt8]?, contentType: String)
        -> [UInt8]
    {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: rkt-driver\r\nConnection: close\r\n"
        if let body {
            head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        return Array(head.utf8) + (body ?? [])
    }

    /// Percent-encodes everything except RFC 3986 unreserved characters; for path segments and
    /// query values.
    public static func percentEncode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            let isUnreserved =
                (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                || [0x2D, 0x2E, 0x5F, 0x7E].contains(byte)
            if isUnreserved {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return output
    }
}
