import Driver
import Foundation
import Glibc
import RktSys
import Testing

extension IntegrationTests {
    @Suite("rkt-driver run")
    struct DriverRun {
        @Test("the hello pod answers on its mapped host port; SIGTERM stops the job and removes the pod")
        func helloThroughMappedPort() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let port = try Sockets.freePort()
            let job = JobFile(
                taskName: "httpd", config: ["image": try sandbox.httpdImage(), "port_map": [["http": "http"]]],
                reservedPorts: ["http": port])
            let jobPath = try sandbox.write("hello.json", try job.json())
            let driver = try sandbox.start(Prerequisites.driver, sandbox.driverGlobals + ["run", jobPath])

            let uuid = try waitForPod(driver)
            #expect(driver.stdout.contains("driver network: ip 172.16.28."), "\(driver.stdout)")
            #expect(driver.stdout.contains("ports [http=80]"), "\(driver.stdout)")
            #expect(sandbox.listPods().map(\.state) == ["running"])
            #expect(sandbox.listPods().map(\.uuid) == [uuid])

            let local = Sockets.httpGet(host: "127.0.0.1", port: port, within: .seconds(20))
            #expect(local?.hasSuffix(Sandbox.helloPage) == true, "GET 127.0.0.1:\(port) -> \(local ?? "no answer")")
            let hostIP = try #require(HostAddress.primaryIPv4(), "the host has no primary IPv4 address")
            let remote = Sockets.httpGet(host: hostIP, port: port, within: .seconds(5))
            #expect(remote?.hasSuffix(Sandbox.helloPage) == true, "GET \(hostIP):\(port) -> \(remote ?? "no answer")")

            let output = try #require(driver.stop(SIGTERM, timeout: .seconds(30)), "the driver ignored SIGTERM")
            #expect(output.status == .exited(0), "\(output)")
            #expect(output.stderr.contains("task stopped"), "\(output)")
            #expect(!output.stderr.contains("task failed"), "a task we stopped did not fail: \(output)")
            #expect(sandbox.listPods().isEmpty, "rkt list after the driver stopped: \(sandbox.listPods())")
            #expect(Sockets.httpGet(host: "127.0.0.1", port: port, timeoutSeconds: 1) == nil)
            sandbox.expectNothingLeft("the hello job")
        }

        @Test("a detached run registers no services (nothing would run their checks) and says so")
        func detachedRunRegistersNoServices() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            var job = JobFile(config: ["image": try sandbox.httpdImage(), "port_map": [["http": "http"]]])
            job.reservedPorts = ["http": try Sockets.freePort()]
            job.services = [["Name": "web", "PortLabel": "http", "AddressMode": "host"]]
            let run = try sandbox.driver(["run", "--detach", try sandbox.write("web.json", try job.json())])
            #expect(run.status.succeeded, "\(run)")
            #expect(run.stderr.contains("services of a detached task are not registered"), "\(run)")
            let services = try sandbox.driver(["services", "--json"])
            let listed = try JSONSerialization.jsonObject(with: Data(services.stdout.utf8)) as? [Any]
            #expect(services.status.succeeded && listed?.isEmpty == true, "\(services)")
            #expect(try sandbox.driver(["stop", "integration"]).status.succeeded)
            #expect(try sandbox.driver(["gc"]).status.succeeded)
            sandbox.expectNothingLeft("a detached run with a service")
        }

        /// Waits for the driver to report the pod (or to die) and returns its UUID.
        private func waitForPod(_ driver: BackgroundTool) throws -> String {
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                let text = driver.stdout
                if text.contains("driver network:"), let range = text.range(of: "pod ") {
                    return String(text[range.upperBound...].prefix(36))
                }
                if driver.poll() != nil, let output = driver.output {
                    throw TestFailure("the driver exited before its task started: \(output)")
                }
                usleep(50_000)
            }
            throw TestFailure("the driver did not start its task within 60 s: \(driver.stdout)\(driver.stderr)")
        }
    }
}
