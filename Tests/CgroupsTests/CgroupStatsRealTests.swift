import Cgroups
import Foundation
import Glibc
import RktError
import RktSys
import Testing

/// A cgroup this test created at the root of each v1 hierarchy it needs (and, when there is one,
/// of the cgroup2 mount), found from our own mountinfo. Removed by `remove()`, which tolerates
/// partial creation.
struct TestCgroup {
    let name: String
    /// Controller ("memory", "cpu", "cpuacct", "unified") to the directory created for it.
    private(set) var directories: [String: String] = [:]

    /// The v1 mounts of the hierarchy roots, by controller; nil when `memory` is not a v1 mount.
    static func v1Mounts() -> [String: CgroupMount]? {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else {
            return nil
        }
        var mounts: [String: CgroupMount] = [:]
        for mount in CgroupMount.parse(text) where mount.root == "/" {
            for controller in mount.unified ? ["unified"] : mount.controllers where mounts[controller] == nil {
                mounts[controller] = mount
            }
        }
        return mounts["memory"] == nil ? nil : mounts
    }

    static var available: Bool { geteuid() == 0 && v1Mounts() != nil }

    init(controllers: [String]) throws {
        name = "rkt-test-\(UInt32.random(in: 0...UInt32.max))"
        let mounts = Self.v1Mounts() ?? [:]
        for controller in controllers {
            guard let mount = mounts[controller] else {
                continue
            }
            let directory = mount.mountPoint + "/" + name
            guard mkdir(directory, 0o755) == 0 else {
                let failure = RktError.sys("mkdir", directory)
                remove()
                throw failure
            }
            directories[controller] = directory
        }
    }

    var paths: CgroupPaths {
        CgroupPaths(
            memory: directories["memory"], cpu: directories["cpu"], cpuacct: directories["cpuacct"],
            unified: directories["unified"])
    }

    /// Writes `text` to a control file of the cgroup of `controller`.
    func write(_ text: String, to file: String, of controller: String) throws {
        guard let directory = directories[controller] else {
            throw RktError(.notFound, "no \(controller) cgroup")
        }
        let path = directory + "/" + file
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw RktError.sys("open", path)
        }
        defer { close(fd) }
        try FileSystem.writeAll(fd, Array(text.utf8), path: path)
    }

    /// Moves `pid` into every cgroup of this test.
    func adopt(_ pid: pid_t) throws {
        for controller in directories.keys.sorted() {
            try write("\(pid)\n", to: "cgroup.procs", of: controller)
        }
    }

    /// SIGKILLs whatever is still in the cgroups (only processes this test started, and their
    /// descendants), then rmdirs every directory, retrying while exited processes are released.
    func remove() {
        for directory in directories.values {
            for _ in 0..<100 where rmdir(directory) != 0 && errno == EBUSY {
                let procs = (try? FileSystem.readText(directory + "/cgroup.procs")) ?? ""
                for pid in procs.split(separator: "\n").compactMap({ pid_t($0) }) where pid > 0 {
                    _ = Glibc.kill(pid, SIGKILL)
                }
                usleep(20_000)
            }
            if FileSystem.exists(directory) {
                Issue.record("could not remove test cgroup \(directory)")
            }
        }
    }
}

/// A shell started through RktSys, parked on `read` until `go()` so it can be moved into a
/// cgroup before it does any work.
final class ParkedShell {
    let child: ChildProcess
    private let gate: Pipe2
    private var status: RktSys.ExitStatus?

    init(script: String) throws {
        gate = try Pipe2()
        do {
            child = try Subprocess.spawn(
                "/bin/sh", ["-c", "read go; " + script], stdio: Subprocess.Stdio(stdin: gate.read))
        } catch {
            gate.closeBoth()
            throw error
        }
        gate.closeRead()
    }

    func go() throws {
        defer { gate.closeWrite() }
        try FileSystem.writeAll(gate.write, Array("go\n".utf8), path: "start pipe")
    }

    func kill() {
        child.send(SIGKILL)
    }

    /// Waits for the shell, and remembers that it was reaped.
    func wait() throws -> RktSys.ExitStatus {
        let ended = try child.wait()
        status = ended
        return ended
    }

    /// Kills and reaps the shell unless `wait` already did: for `defer`.
    func stop() {
        guard status == nil else { return }
        kill()
        status = try? child.wait()
    }
}

extension TestCgroup {
    /// The OOM killer's victim: a 16 MB memory cgroup (with `capSwap`, memory+swap too where the
    /// kernel has that limit) holding a parked shell that, once told to go, fills 64 MB.
    static func oomVictim(capSwap: Bool = false) throws -> (TestCgroup, ParkedShell) {
        let cgroup = try TestCgroup(controllers: ["memory"])
        do {
            try cgroup.write("\(16 << 20)\n", to: "memory.limit_in_bytes", of: "memory")
            let memsw = (cgroup.paths.memory ?? "") + "/memory.memsw.limit_in_bytes"
            if capSwap, FileManager.default.fileExists(atPath: memsw) {
                try cgroup.write("\(16 << 20)\n", to: "memory.memsw.limit_in_bytes", of: "memory")
            }
            let shell = try ParkedShell(script: #"x=$(head -c 64M /dev/zero | tr "\0" a); echo survived"#)
            do {
                try cgroup.adopt(shell.child.pid)
            } catch {
                shell.stop()
                throw error
            }
            return (cgroup, shell)
        } catch {
            cgroup.remove()
            throw error
        }
    }
}

@Suite(
    "cgroup stats (root, real v1 cgroups created by the test)", .serialized,
    .enabled(if: TestCgroup.available, "needs root and a cgroup v1 memory hierarchy"))
struct CgroupStatsRealTests {
    @Test(.timeLimit(.minutes(1)))
    func statsOfOwnChild() throws {
        let cgroup = try TestCgroup(controllers: ["memory", "cpu", "cpuacct", "unified"])
        defer { cgroup.remove() }
        let shell = try ParkedShell(
            script: #"head -c 50M /dev/zero | tail -c 1 >/dev/null; x=$(head -c 8M /dev/zero | tr "\0" a); sleep 5"#)
        defer { shell.stop() }

        try cgroup.adopt(shell.child.pid)
        let located = try CgroupLocator().locate(pid: shell.child.pid)
        #expect(located.memory == cgroup.paths.memory)
        #expect(located.cpuacct == cgroup.paths.cpuacct)
        #expect(located.cpu == cgroup.paths.cpu)
        #expect(located.unified == cgroup.paths.unified)

        let watcher = CgroupWatcher(paths: located)
        let first = try #require(watcher.sample())
        try shell.go()
        var second = first
        for _ in 0..<100 where second.memory.rss < 8 << 20 {
            usleep(50_000)
            second = try #require(watcher.sample())
        }

        #expect(first.memory.measured.contains("RSS"))
        #expect(second.memory.rss >= 8 << 20)
        #expect(second.memory.usage >= second.memory.rss)
        #expect(second.memory.maxUsage >= second.memory.usage)
        #expect(second.cpu.totalTicks > first.cpu.totalTicks)
        #expect(second.cpu.userMode + second.cpu.systemMode > 0)
        #expect(second.cpu.percent > 0)
        #expect(second.timestamp > first.timestamp)
        #expect(watcher.oomKilled == false)

        // The cgroup2 mount (hybrid host) accounts CPU time without any controller: the v2 parser
        // must agree that time was spent.
        if let unified = cgroup.paths.unified {
            let v2 = try #require(
                CgroupStatsParser.v2CPU(["cpu.stat": try FileSystem.readText(unified + "/cpu.stat")]))
            #expect(v2.totalTicks > 0)
        }

        shell.kill()
        #expect(try shell.wait() == .signaled(SIGKILL))
        #expect(CgroupOOM.wasKilled(cgroup.paths) == false)
    }

    @Test(.timeLimit(.minutes(1)))
    func oomKillIsSeenAndRemembered() throws {
        let (cgroup, shell) = try TestCgroup.oomVictim(capSwap: true)
        defer {
            shell.stop()
            cgroup.remove()
        }
        let watcher = CgroupWatcher(paths: cgroup.paths)
        watcher.sample()
        #expect(CgroupOOM.wasKilled(cgroup.paths) == false)
        try shell.go()
        let status = try shell.wait()
        watcher.sample()

        #expect(status == .signaled(SIGKILL))
        #expect(CgroupOOM.wasKilled(cgroup.paths))
        let counters = try #require(CgroupOOM.read(cgroup.paths))
        #expect((counters.oomKills ?? 0) >= 1)
        // Not asserted: with memsw limited too, memory.failcnt and memory.memsw.failcnt stayed 0
        // across this kill on kernel 6.18 (v1); the limit-hit fallback is only a hint.
        #expect(counters.limitHits != nil)

        // After the cgroup is gone the watcher still knows.
        cgroup.remove()
        #expect(watcher.sample() == nil)
        #expect(watcher.cgroupGone)
        #expect(watcher.oomKilled)
        #expect(CgroupOOM.wasKilled(cgroup.paths) == false)
        #expect((watcher.lastUsage?.memory.maxUsage ?? 0) > 0)
    }
}
