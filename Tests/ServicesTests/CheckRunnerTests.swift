import Glibc
import Services
import Testing

/// Waits up to `seconds` for `condition`, polling every 20 ms.
func eventually(seconds: Double = 5, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
    while ContinuousClock.now < deadline {
        if try condition() {
            return true
        }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try condition()
}

@Suite("Check probes and runner against loopback servers")
struct CheckRunnerTests {
    @Test(arguments: [(200, CheckStatus.passing), (204, .passing), (429, .warning), (500, .critical), (404, .critical)])
    func httpStatusRules(code: Int, expected: CheckStatus) throws {
        let server = try LoopbackServer { _ in (code, "body-\(code)") }
        defer { server.stop() }
        let result = CheckProbe.http(address: "127.0.0.1", port: server.port, path: "/health", timeout: .seconds(2))
        #expect(result.status == expected)
        #expect(result.output.hasPrefix("HTTP GET http://127.0.0.1:\(server.port)/health: \(code) "))
        #expect(result.output.hasSuffix("Output: body-\(code)"))
        #expect(server.requests.first?.method == "GET")
    }

    @Test func httpTimeoutIsCritical() throws {
        let (fd, port) = try LoopbackServer.silentListener()
        defer { close(fd) }
        let started = ContinuousClock.now
        let result = CheckProbe.http(address: "127.0.0.1", port: port, path: "/", timeout: .milliseconds(300))
        #expect(
            result
                == CheckResult(
                    status: .critical,
                    output: "HTTP GET http://127.0.0.1:\(port)/: read from 127.0.0.1:\(port): timed out"))
        #expect(started.duration(to: .now) < .seconds(2))
    }

    @Test func tcpProbe() throws {
        let server = try LoopbackServer()
        let port = server.port
        #expect(CheckProbe.tcp(address: "127.0.0.1", port: port, timeout: .seconds(1)).status == .passing)
        server.stop()
        let refused = CheckProbe.tcp(address: "127.0.0.1", port: port, timeout: .seconds(1))
        #expect(
            refused
                == CheckResult(
                    status: .critical,
                    output: "TCP connect 127.0.0.1:\(port): connect to 127.0.0.1:\(port): Connection refused"))
    }

    @Test(arguments: [(0, CheckStatus.passing), (1, .warning), (2, .critical), (127, .critical)])
    func scriptExitCodes(code: Int, expected: CheckStatus) async {
        let result = await CheckProbe.script(command: "/bin/check", args: ["-v"], timeout: .seconds(1)) {
            command, args, _ in ("\(command) \(args.joined()) exited \(code)", code)
        }
        #expect(result == CheckResult(status: expected, output: "/bin/check -v exited \(code)"))
    }

    @Test func runnerRecordsResultsAtTheIntervalAndStops() async throws {
        let server = try LoopbackServer { _ in (200, "ok") }
        defer { server.stop() }
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let catalog = EmbeddedCatalog(path: "\(directory.path)/catalog.json")
        let check = CheckRegistration(
            id: "c1", name: "alive", type: "http", address: "127.0.0.1", port: server.port, path: "/",
            interval: .milliseconds(100), timeout: .seconds(1))
        try catalog.register(ServiceRegistration(id: "s1", name: "www", checks: [check]))

        let runner = CheckRunner(catalog: catalog, exec: nil, logger: quietLogger)
        await runner.start(check)
        #expect(await eventually { server.requests.count >= 3 })
        #expect(try catalog.list().first?.checks.first?.status == .passing)
        await runner.stopAll()

        let count = server.requests.count
        try await Task.sleep(for: .milliseconds(300))
        #expect(server.requests.count == count)
        #expect(runner.runningCheckIDs.isEmpty)
    }

    @Test func scriptChecksGoThroughTheExecClosure() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let catalog = EmbeddedCatalog(path: "\(directory.path)/catalog.json")
        let check = CheckRegistration(
            id: "c1", name: "script", type: "script", command: "/usr/bin/health", args: ["--quick"],
            interval: .milliseconds(100), timeout: .milliseconds(700))
        try catalog.register(ServiceRegistration(id: "s1", name: "www", checks: [check]))

        let runner = CheckRunner(
            catalog: catalog,
            exec: { command, args, timeout in
                ("ran \(command) \(args) within \(timeout)", 1)
            }, logger: quietLogger)
        await runner.start(check)
        #expect(try await eventually { try catalog.list().first?.checks.first?.status == .warning })
        #expect(
            try catalog.list().first?.checks.first?.output == "ran /usr/bin/health [\"--quick\"] within 0.7 seconds")
        await runner.stopAll()
    }
}
