import Cgroups
import Foundation
import Glibc
import RktSys

/// The supervisor's OOM watch of its container: finds the container's cgroup once `runc run` has
/// created it (init pid from `runc state`, then /proc/<pid>/cgroup), then keeps a
/// CgroupOOMMonitor on it. Driven by the supervisor's loop; no threads.
///
/// Cost: one `runc state` every 20 ms until the container exists (every 200 ms after the first
/// 2 s, giving up after 60 s), then only cgroup file reads.
struct PodOOMWatch {
    let runc: Runc
    let containerID: String
    let logger: Logger
    private(set) var monitor: CgroupOOMMonitor?
    private let started = ContinuousClock.now
    private var nextAttempt = ContinuousClock.now
    private var gaveUp = false

    init(runc: Runc, containerID: String, logger: Logger) {
        self.runc = runc
        self.containerID = containerID
        self.logger = logger
    }

    /// The descriptor to poll next to the signals (nil when there is none yet).
    var pollDescriptor: Int32? { monitor?.pollDescriptor }

    /// How long the loop may sleep: short while the container is being looked for.
    var pollTimeoutMilliseconds: Int32 {
        monitor == nil && !gaveUp && ContinuousClock.now - started < .seconds(2) ? 20 : 200
    }

    /// One loop tick: finds the cgroup if it is not known yet, else reads the monitor.
    mutating func tick() {
        if let monitor {
            monitor.check()
            return
        }
        let now = ContinuousClock.now
        guard !gaveUp, now >= nextAttempt else {
            return
        }
        guard now - started < .seconds(60) else {
            gaveUp = true
            logger.warning("cannot find the container's cgroup; OOM kills will not be detected", ["id": containerID])
            return
        }
        nextAttempt = now + .milliseconds(now - started < .seconds(2) ? 20 : 200)
        guard let pid = runc.containerPID(containerID), let paths = try? CgroupLocator().locate(pid: pid),
            let watched = paths.memory ?? paths.unified, watched.hasSuffix("/\(containerID)")
        else {
            return
        }
        let monitor = CgroupOOMMonitor(paths: paths)
        self.monitor = monitor
        logger.debug(
            "watching the container's cgroup for OOM kills",
            ["id": containerID, "pid": "\(pid)", "cgroup": watched, "source": monitor.source.rawValue])
    }

    /// Set by `finish`: whether the OOM killer acted in the container.
    private(set) var oomKilled = false

    /// After the container exited: the monitor's last look. Returns `oomKilled`.
    mutating func finish() -> Bool {
        if let monitor {
            monitor.finish()
            oomKilled = monitor.oomKilled
        }
        return oomKilled
    }

    /// What the supervisor records beside the app's status when the app was OOM-killed.
    var record: [String: UInt64] {
        var record: [String: UInt64] = ["oom_events": monitor?.oomEvents ?? 0]
        // Often 0 although a process was killed: the kill lands after the event was read and
        // runc then removes the cgroup, counter and all. Only a non-zero count is recorded.
        if let kills = monitor?.counters?.oomKills, kills > 0 {
            record["oom_kills"] = kills
        }
        return record
    }
}
