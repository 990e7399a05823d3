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

        @Test("a pod is unmounted and removed when /proc/self/mountinfo is longer than a page")
        func cleanupWithLongMountTable() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let padding = try mountPadding(in: sandbox, bytes: 8192)
            defer { unmount(padding) }

            let output = try sandbox.rkt(["run", "--net=none", try sandbox.shellImage(), "--exec=/bin/true"])
            #expect(output.status == .exited(0), "\(output)")
            let uuids = sandbox.listPods().map(\.uuid)
            #expect(uuids.count == 1)
            for uuid in uuids {
                let removed = try sandbox.rkt(["rm", uuid])
                #expect(removed.status.succeeded, "\(removed)")
            }
            unmount(padding)
            sandbox.expectNothingLeft("a pod removed with a long mount table")
        }

        private func unmount(_ paths: [String]) {
            for path in paths.reversed() {
                _ = umount2(path, Int32(MNT_DETACH))
            }
        }

        /// Small tmpfs mounts with long paths under the sandbox, until mountinfo has grown by `bytes`.
        private func mountPadding(in sandbox: Sandbox, bytes: Int) throws -> [String] {
            var mounts: [String] = []
            var added = 0
            while added < bytes {
                let path = "\(sandbox.root)/pad-\(mounts.count)-" + String(repeating: "m", count: 150)
                try FileSystem.makeDirectories(path)
                guard mount("tmpfs", path, "tmpfs", 0, "size=16k") == 0 else {
                    throw TestFailure("mount tmpfs on \(path): \(String(cString: strerror(errno)))")
                }
                mounts.append(path)
                added += path.utf8.count + 60
            }
            return mounts
        }
    }
}
