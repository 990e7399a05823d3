import Cgroups
import Foundation
import Glibc
import RktSys
import Testing

/// CgroupOOMMonitor on real v1 memory cgroups this test creates (root only): the eventfd fires
/// on the OOM, and the signal the kernel sends when the cgroup is removed is not taken for one.
@Suite(
    "cgroup OOM monitor (root, real v1 cgroups created by the test)", .serialized,
    .enabled(if: TestCgroup.available, "needs root and a cgroup v1 memory hierarchy"))
struct CgroupOOMMonitorTests {
    /// Polls the monitor's descriptor like the supervisor does, until `done` or 10 s.
    static func pump(_ monitor: CgroupOOMMonitor, until done: () -> Bool) {
        let deadline = ContinuousClock.now + .seconds(10)
        while !done(), ContinuousClock.now < deadline {
            var entry = pollfd(fd: monitor.pollDescriptor ?? -1, events: Int16(POLLIN), revents: 0)
            _ = poll(&entry, 1, 50)
            monitor.check()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func oomEventWakesTheMonitorAndRemovalIsNotCounted() throws {
        let (cgroup, shell) = try TestCgroup.oomVictim()
        defer {
            shell.stop()
            cgroup.remove()
        }
        let monitor = CgroupOOMMonitor(paths: cgroup.paths)
        #expect(monitor.source == .eventfd)
        #expect(monitor.pollDescriptor != nil)
        #expect(monitor.oomKilled == false)

        try shell.go()
        Self.pump(monitor) { monitor.oomEvents > 0 }
        #expect(try shell.wait() == .signaled(SIGKILL))
        #expect(monitor.oomEvents >= 1)
        // The rest of the pipeline may hit the limit again before it dies: read every event that
        // comes while the cgroup exists, until it is empty.
        let procs = (cgroup.paths.memory ?? "/nonexistent") + "/cgroup.procs"
        Self.pump(monitor) { ((try? FileSystem.readText(procs)) ?? "").trimmed.isEmpty }
        monitor.check()
        let events = monitor.oomEvents

        cgroup.remove()
        monitor.finish()
        #expect(monitor.oomEvents == events, "the removal signal must not count as an OOM event")
        #expect(monitor.oomKilled)
        #expect(monitor.pollDescriptor == nil)
    }

    @Test(.timeLimit(.minutes(1)))
    func removalAloneIsNoOOM() throws {
        let cgroup = try TestCgroup(controllers: ["memory"])
        defer { cgroup.remove() }
        try cgroup.write("\(16 << 20)\n", to: "memory.limit_in_bytes", of: "memory")
        let shell = try ParkedShell(script: "sleep 30")
        try cgroup.adopt(shell.child.pid)
        let monitor = CgroupOOMMonitor(paths: cgroup.paths)
        try shell.go()
        shell.kill()
        _ = try shell.child.wait()
        cgroup.remove()
        // The removal signal arrives asynchronously; a check reads it (after the rmdir), then
        // finish must not count it.
        usleep(100_000)
        monitor.check()
        monitor.finish()
        #expect(monitor.oomEvents == 0)
        #expect(monitor.oomKilled == false)
    }

    @Test(.timeLimit(.minutes(1)))
    func oomReadTogetherWithTheRemovalStillCounts() throws {
        // The OOM event is left unread until the cgroup is gone, as when runc removes the cgroup
        // before the supervisor's loop wakes: finish must see two signals and count one.
        let (cgroup, shell) = try TestCgroup.oomVictim()
        defer {
            shell.stop()
            cgroup.remove()
        }
        let monitor = CgroupOOMMonitor(paths: cgroup.paths)
        try shell.go()
        #expect(try shell.wait() == .signaled(SIGKILL))
        cgroup.remove()
        monitor.finish()
        #expect(monitor.oomEvents >= 1)
        #expect(monitor.oomKilled)
    }
}
