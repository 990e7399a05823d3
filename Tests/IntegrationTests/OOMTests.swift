import Foundation
import Glibc
import RktSys
import Testing

extension IntegrationTests {
    /// OOM kills and live stats, end to end: the runtime's supervisor notices the kill in the
    /// pod's cgroup, `rkt status` reports it, the driver keeps it; running tasks show usage.
    @Suite("OOM kills and stats")
    struct OOMAndStats {
        static func statuses(_ sandbox: Sandbox) throws -> [[String: Any]] {
            let output = try sandbox.driver(["status", "--json"])
            #expect(output.status.succeeded, "\(output)")
            return (try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]]) ?? []
        }

        /// Polls `status --json` until the only task is no longer running.
        static func waitUntilEnded(_ sandbox: Sandbox, within limit: Duration = .seconds(60)) throws -> [String: Any] {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if let task = try statuses(sandbox).first, task["state"] as? String != "running" {
                    return task
                }
                usleep(200_000)
            }
            throw TestFailure("the task still runs after \(limit)")
        }

        @Test("a task over its 16 MB limit is OOM-killed: status says exited and oomKilled; gc removes it")
        func oomKilledTask() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            // The string doubles until the pod's memory cgroup (--memory=16M) is exhausted.
            let grow = "sleep 1; x=a; while :; do x=$x$x; done"
            let job = JobFile(
                config: [
                    "image": try sandbox.shellImage(), "command": "/bin/sh", "args": ["-c", grow], "net": ["none"],
                ],
                memoryMB: 16)
            let run = try sandbox.driver(["run", "--detach", try sandbox.write("oom.json", try job.json())])
            #expect(run.status.succeeded, "\(run)")

            let ended = try Self.waitUntilEnded(sandbox)
            #expect(ended["state"] as? String == "exited", "\(ended)")
            let exit = ended["exit"] as? String ?? ""
            #expect(exit == "exit code 137" || exit == "signal 9", "\(ended)")
            #expect(ended["oomKilled"] as? Bool == true, "\(ended)")
            #expect(ended["podRemoved"] as? Bool == false)
            #expect(ended["stats"] == nil, "an ended task has no live stats")

            let pod = try #require(ended["pod"] as? String)
            let rktStatus = try sandbox.rkt(["status", "--format=json", pod])
            #expect(rktStatus.stdout.contains(#""oom_killed":true"#), "\(rktStatus)")
            let table = try sandbox.driver(["status"])
            #expect(table.stdout.contains("exited") && table.stdout.contains("oom-killed"), "\(table)")

            // stop on the ended task removes its pod; the verdict, read before `rkt rm`, stays.
            let stop = try sandbox.driver(["stop", "app"])
            #expect(stop.status.succeeded, "\(stop)")
            let removed = try #require(try Self.statuses(sandbox).first)
            #expect(removed["podRemoved"] as? Bool == true, "\(removed)")
            #expect(removed["oomKilled"] as? Bool == true, "\(removed)")
            #expect(sandbox.listPods().isEmpty, "\(sandbox.listPods())")

            let gc = try sandbox.driver(["gc"])
            #expect(gc.status.succeeded, "\(gc)")
            #expect(gc.stdout.contains("removed 1 ended task(s)"), "\(gc)")
            #expect(try Self.statuses(sandbox).isEmpty)
            sandbox.expectNothingLeft("an OOM-killed task after gc")
        }

        @Test("a task that stays within its limit is not reported OOM-killed")
        func normalExitIsNoOOM() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            let job = JobFile(
                config: [
                    "image": try sandbox.shellImage(), "command": "/bin/sh", "args": ["-c", "sleep 0.5; exit 3"],
                    "net": ["none"],
                ],
                memoryMB: 16)
            #expect(
                try sandbox.driver(["run", "--detach", try sandbox.write("ok.json", try job.json())]).status.succeeded)
            let ended = try Self.waitUntilEnded(sandbox)
            #expect(ended["exit"] as? String == "exit code 3", "\(ended)")
            #expect(ended["oomKilled"] as? Bool == false, "\(ended)")
            let gc = try sandbox.driver(["gc"])
            #expect(gc.status.succeeded, "\(gc)")
            sandbox.expectNothingLeft("a task that exited 3 after gc")
        }

        @Test("status --json has live stats for a running task: RSS and a measured CPU percent")
        func runningTaskStats() throws {
            let sandbox = try Sandbox()
            defer { sandbox.close() }
            // Holds the busybox binary (about 1 MB) in a shell variable and keeps starting sleeps.
            let busy = "x=$(cat /bin/busybox); while :; do sleep 0.02; done"
            let job = JobFile(
                config: [
                    "image": try sandbox.shellImage(), "command": "/bin/sh", "args": ["-c", busy], "net": ["none"],
                ])
            #expect(
                try sandbox.driver(["run", "--detach", try sandbox.write("busy.json", try job.json())]).status.succeeded
            )
            usleep(500_000)

            let task = try #require(try Self.statuses(sandbox).first)
            #expect(task["state"] as? String == "running", "\(task)")
            #expect(task["oomKilled"] == nil)
            let stats = try #require(task["stats"] as? [String: Any], "\(task)")
            let usage = try #require(stats["ResourceUsage"] as? [String: Any])
            let memory = try #require(usage["MemoryStats"] as? [String: Any])
            let cpu = try #require(usage["CpuStats"] as? [String: Any])
            #expect((memory["RSS"] as? Int ?? 0) > 0, "\(memory)")
            #expect((memory["Measured"] as? [String])?.contains("RSS") == true)
            #expect((cpu["TotalTicks"] as? Int ?? 0) > 0, "\(cpu)")
            #expect((cpu["Measured"] as? [String])?.contains("Percent") == true, "\(cpu)")
            #expect((cpu["Percent"] as? Double ?? -1) >= 0, "\(cpu)")
            #expect((stats["Timestamp"] as? Int ?? 0) > 0)

            let stop = try sandbox.driver(["stop", "app"])
            #expect(stop.status.succeeded, "\(stop)")
            #expect(try sandbox.driver(["gc"]).status.succeeded)
            sandbox.expectNothingLeft("a running task's stats")
        }
    }
}
