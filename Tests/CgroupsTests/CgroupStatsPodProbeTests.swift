import Cgroups
import Foundation
import Glibc
import RktSys
import Testing

/// Runs a real pod with a 16M memory limit whose app allocates 64M, and watches the pod's cgroup
/// with CgroupWatcher until the pod exits. Opt-in: set RKT_STATS_POD_IMAGE to a busybox ACI
/// (with sh, head, tr, sleep) and RKT_STATS_POD_DIR to a scratch rkt data directory; uses the
/// `rkt` built beside the test bundle and runc's state under /run/rkt/runc.
@Suite(.serialized, .enabled(if: PodProbe.configured, "set RKT_STATS_POD_IMAGE and RKT_STATS_POD_DIR, as root"))
struct CgroupStatsPodProbeTests {
    @Test(.timeLimit(.minutes(2)))
    func podOOMKillIsSeenBeforeTheCgroupVanishes() throws {
        let probe = try #require(PodProbe())
        let uuidFile = probe.directory + ".uuid"
        unlink(uuidFile)
        let script = #"sleep 2; x=$(head -c 67108864 /dev/zero | tr "\0" a); echo survived"#
        let rkt = try Subprocess.spawn(
            probe.rkt,
            [
                "--dir=\(probe.directory)", "--insecure-options=all", "run", "--net=none",
                "--uuid-file-save=\(uuidFile)", probe.image, "--memory=16M", "--exec=/bin/sh", "--", "-c", script,
            ])
        defer {
            if (try? rkt.poll()) == nil {
                rkt.send(SIGKILL)
                _ = try? rkt.wait()
            }
        }

        let pid = try #require(probe.waitForInitPid(uuidFile: uuidFile, rkt: rkt))
        let watcher = try CgroupWatcher(pid: pid)
        var samples = 0
        var status: RktSys.ExitStatus?
        while status == nil {
            if watcher.sample() != nil {
                samples += 1
            }
            status = try rkt.poll()
            usleep(10_000)
        }
        watcher.sample()

        print("pod cgroup: \(watcher.paths)")
        print("rkt run exit: \(String(describing: status)); samples: \(samples); gone: \(watcher.cgroupGone)")
        print("oom counters: \(String(describing: watcher.lastOOMCounters)); oomKilled: \(watcher.oomKilled)")
        print("last usage: \(String(describing: watcher.lastUsage?.memory))")
        #expect(samples > 0)
        #expect(watcher.oomKilled)
        #expect(watcher.cgroupGone)
    }
}

/// The probe's configuration, from the environment.
struct PodProbe {
    let image: String
    let directory: String
    let rkt: String

    static var configured: Bool { geteuid() == 0 && PodProbe() != nil }

    init?() {
        let environment = ProcessInfo.processInfo.environment
        guard let image = environment["RKT_STATS_POD_IMAGE"], let directory = environment["RKT_STATS_POD_DIR"] else {
            return nil
        }
        // The test bundle lives in .build/<config>/, beside the rkt executable.
        let bundle = URL(fileURLWithPath: CommandLine.arguments.first { $0.hasSuffix(".xctest") } ?? "")
        self.image = image
        self.directory = directory
        rkt = environment["RKT_STATS_POD_RKT"] ?? bundle.deletingLastPathComponent().appendingPathComponent("rkt").path
    }

    /// Waits for the pod's uuid file, then for runc to report the container's init pid.
    func waitForInitPid(uuidFile: String, rkt: ChildProcess) -> pid_t? {
        for _ in 0..<1000 {
            if let uuid = try? FileSystem.readText(uuidFile).trimmed, !uuid.isEmpty,
                let state = try? Subprocess.run("runc", ["--root", "/run/rkt/runc", "state", "rkt-\(uuid)"]),
                state.status.succeeded,
                let json = try? JSONSerialization.jsonObject(with: Data(state.stdout)) as? [String: Any],
                let pid = json["pid"] as? Int, pid > 0
            {
                return pid_t(pid)
            }
            guard (try? rkt.poll()) == nil else {
                return nil
            }
            usleep(20_000)
        }
        return nil
    }
}
