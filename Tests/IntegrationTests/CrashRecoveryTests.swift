import Foundation
import Glibc
import RktSys
import Testing

extension IntegrationTests {
    @Suite("crash recovery")
    struct CrashRecovery {
        @Test("rkt rm after run-prepared was SIGKILLed releases the container, netns, lease and iptables rules")
        func removeAfterSupervisorKilled() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let port = try Sockets.freePort()
            let uuid = try sandbox.prepare([try sandbox.httpdImage(), "--port=http:\(port)"])
            let pod = try sandbox.start(Prerequisites.rkt, ["--dir=\(sandbox.rktData)", "run-prepared", uuid])
            let page = Sockets.httpGet(host: "127.0.0.1", port: port, within: .seconds(20))
            #expect(page?.hasSuffix(Sandbox.helloPage) == true, "GET 127.0.0.1:\(port) -> \(page ?? "no answer")")
            let leased = HostState.capture().leasedAddresses(of: [uuid])
            #expect(leased.count == 1, "lease of \(uuid)")

            pod.child.send(SIGKILL)
            _ = pod.finish(timeout: .seconds(10))
            let removed = try sandbox.rkt(["rm", uuid])
            #expect(removed.status.succeeded, "\(removed)")
            let traces = HostState.capture().traces(pods: [uuid], addresses: leased, under: sandbox.root)
            #expect(traces.isEmpty, "rkt rm left:\n\(traces.joined(separator: "\n"))")
        }
    }
}
