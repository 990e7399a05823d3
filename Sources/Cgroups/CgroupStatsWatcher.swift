// Periodic sampling of a pod's cgroup that outlives the cgroup.
//
// The race: runc (and our PodCleaner) remove the pod's cgroup right after the container's init
// exits, so by the time the driver learns the task exited, memory.oom_control / memory.events
// are usually gone and `CgroupOOM.wasKilled` says false. The OOM killer bumps the counter before
// the victim dies, so a sample taken between the kill and the removal sees it; one taken before
// the kill does not. The watcher therefore remembers the largest counters it ever saw.
//
// How to use it:
//   1. Create it as soon as the pod's init pid is known (runc state "pid"), and call `sample()`
//      at once, so the cgroup's paths are fixed while the process still exists.
//   2. Call `sample()` periodically (Nomad's default stats interval is 1 s) for stats; each
//      call also refreshes the OOM counters.
//   3. When the task's exit is noticed, call `sample()` once more (it may still catch the
//      cgroup), then ask `oomKilled`.
//   4. A kill that happens after the last successful sample and before the removal is missed.
//      When `oomKilled` is false but the task died of SIGKILL and the last sample's usage was
//      close to the memory limit, the caller may report "probably OOM-killed". Closing the gap
//      fully needs an event source that survives removal (v1 memory.oom_control eventfd via
//      cgroup.event_control, v2 inotify on memory.events), or the runtime recording the counters
//      before it deletes the cgroup.

import FoundationEssentials
import Glibc
import RktSys
import Synchronization

/// Samples one pod's cgroup and remembers the last stats and the OOM counters it saw.
public final class CgroupWatcher: Sendable {
    private struct State {
        var previous: CgroupSample?
        var lastUsage: TaskResourceUsage?
        var oom: CgroupOOMCounters?
        var gone = false
    }

    public let paths: CgroupPaths
    public let share: CgroupCPUShare
    private let reader: CgroupStatsReader
    private let baseline: CgroupOOMCounters?
    private let state = Mutex(State())

    /// Watches the given directories. `baseline` is the counters to ignore (nil: a fresh cgroup).
    public init(paths: CgroupPaths, share: CgroupCPUShare = .oneCore, baseline: CgroupOOMCounters? = nil) {
        self.paths = paths
        self.share = share
        self.reader = CgroupStatsReader(paths: paths)
        self.baseline = baseline
    }

    /// Watches the cgroup of `pid` (a process inside the pod, e.g. its init).
    public convenience init(
        pid: pid_t, share: CgroupCPUShare = .oneCore, locator: CgroupLocator = CgroupLocator()
    ) throws {
        self.init(paths: try locator.locate(pid: pid), share: share)
    }

    /// Reads stats and OOM counters. Returns the usage (CPU percent against the previous
    /// sample), or nil when the cgroup can no longer be read; the remembered values stay.
    @discardableResult
    public func sample() -> TaskResourceUsage? {
        // Read outside the lock: these are blocking syscalls.
        let oom = CgroupOOM.read(paths)
        let sample = try? reader.sample()

        return state.withLock { state in
            if let oom {
                state.oom = state.oom.map { $0.merged(with: oom) } ?? oom
            }
            guard let sample else {
                state.gone = true
                return nil
            }
            let usage = sample.usage(since: state.previous, share: share)
            if sample.monotonic > state.previous?.monotonic ?? 0 {
                state.previous = sample
                state.lastUsage = usage
            }
            return usage
        }
    }

    /// True once any sample saw the OOM killer act in the cgroup (after the baseline).
    public var oomKilled: Bool {
        state.withLock { $0.oom?.showKill(since: baseline) ?? false }
    }

    /// The largest OOM counters seen, or nil if they were never readable.
    public var lastOOMCounters: CgroupOOMCounters? {
        state.withLock { $0.oom }
    }

    /// The usage from the newest successful sample.
    public var lastUsage: TaskResourceUsage? {
        state.withLock { $0.lastUsage }
    }

    /// True once a sample found the cgroup unreadable (normally: removed after the task exited).
    public var cgroupGone: Bool {
        state.withLock { $0.gone }
    }
}
