import Glibc
import RktError
import Services
import Testing

@Suite("Minimal HTTP client")
struct HTTPClientTests {
    @Test func putWithBodyAndContentLength() throws {
        let server = try LoopbackServer { request in (200, "got \(request.bodyText)") }
        defer { server.stop() }
        let response = try HTTPClient.send(
            method: "PUT", host: "127.0.0.1", port: server.port, path: "/v1/x", body: Array("{}".utf8),
            timeout: .seconds(2))
        #expect(response.status == 200)
        #expect(response.statusLine == "200 OK")
        #expect(response.bodyText == "got {}")
        #expect(server.requests.first?.headers["content-length"] == "2")
        #expect(server.requests.first?.headers["connection"] == "close")
    }

    @Test func refusedConnection() throws {
        let server = try LoopbackServer()
        let port = server.port
        server.stop()
        let error = #expect(throws: RktError.self) {
            try HTTPClient.send(method: "GET", host: "127.0.0.1", port: port, path: "/", timeout: .seconds(1))
        }
        #expect(error?.message == "connect to 127.0.0.1:\(port): Connection refused")
    }

    @Test func silentServerTimesOut() throws {
        let (fd, port) = try LoopbackServer.silentListener()
        defer { close(fd) }
        let error = #expect(throws: RktError.self) {
            try HTTPClient.send(method: "GET", host: "127.0.0.1", port: port, path: "/", timeout: .milliseconds(200))
        }
        #expect(error?.code == .timeout)
    }

    @Test(arguments: [("a b&c=d/é", "a%20b%26c%3Dd%2F%C3%A9"), ("_nomad-check-0f~.", "_nomad-check-0f~.")])
    func percentEncoding(raw: String, encoded: String) {
        #expect(HTTPClient.percentEncode(raw) == encoded)
    }
}
