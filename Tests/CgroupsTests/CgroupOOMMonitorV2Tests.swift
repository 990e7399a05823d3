import Cgroups
import Foundation
import Glibc
import RktError
import RktSys
import Testing

/// The v2 path of CgroupOOMMonitor against a stand-in directory whose memory.events the test
/// writes (no privileges needed; this host's cgroup2 mount may have no memory controller).
struct CgroupOOMMonitorV2Tests {
    @Test(.timeLimit(.minutes(1)))
    func memoryEventsModificationWakesAndCounts() throws {
        let directory = "/tmp/rkt-cgroups-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileSystem.makeDirectories(directory)
        defer { try? FileSystem.removeTree(directory) }
        let events = directory + "/memory.events"
        try FileSystem.writeAll(events, "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n")

        let monitor = CgroupOOMMonitor(paths: CgroupPaths(unified: directory))
        #expect(monitor.source == .inotify)
        let fd = try #require(monitor.pollDescriptor)
        #expect(monitor.oomKilled == false)
        #expect(monitor.counters?.oomKills == 0)

        try FileSystem.writeAll(events, "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&entry, 1, 5000) == 1, "inotify did not report the modification")
        monitor.check()
        #expect(monitor.counters?.oomKills == 1)
        #expect(monitor.oomKilled)

        // The file going away (as with the cgroup's removal) ends the watch; the verdict stays.
        unlink(events)
        entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        #expect(poll(&entry, 1, 5000) == 1)
        monitor.check()
        #expect(monitor.pollDescriptor == nil)
        monitor.finish()
        #expect(monitor.oomKilled)
    }

    @Test
    func noMemoryFilesMeansSamplingOnly() {
        let monitor = CgroupOOMMonitor(paths: CgroupPaths(unified: "/nonexistent/rkt-cgroup"))
        #expect(monitor.source == .sampling)
        #expect(monitor.pollDescriptor == nil)
        monitor.finish()
        #expect(monitor.oomKilled == false)
    }
}

extension FileSystem {
    /// Rewrites `path` in place (open with O_TRUNC, write), so inotify sees IN_MODIFY on it.
    fileprivate static func writeAll(_ path: String, _ text: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw RktError.sys("open", path)
        }
        defer { close(fd) }
        try writeAll(fd, Array(text.utf8), path: path)
    }
}
