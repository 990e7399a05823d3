// OOM-kill detection from a pod's cgroup.
//
// v1: memory.oom_control has `oom_kill N` (kernel ≥ 4.13): the number of processes in this
//     memcg the OOM killer killed. Older kernels only have `under_oom` and memory[.memsw].failcnt; failcnt
//     counts every charge that hit the limit, including ones reclaim then satisfied, so it is
//     evidence of pressure, not of a kill. Seen on kernel 6.18: with only memory.limit_in_bytes
//     set, an OOM kill left failcnt in the hundreds or more; with memory.memsw.limit_in_bytes set
//     to the same value, both failcnt files stayed 0 across the kill. It is used only when
//     `oom_kill` is missing, and the caller should also require that the task died of SIGKILL.
// v2: memory.events has `oom_kill N` (hierarchical: it includes descendant cgroups unless the
//     hierarchy is mounted with memory_localevents).
//
// The counters vanish with the cgroup, and runc removes the cgroup as soon as the container's
// init exits. See CgroupWatcher for how to read them in time.

import FoundationEssentials
import Glibc
import RktSys

/// The OOM counters of one cgroup.
public struct CgroupOOMCounters: Equatable, Sendable {
    /// Processes killed by the OOM killer; nil when the kernel does not report it.
    public var oomKills: UInt64?
    /// v1 only: times the memory limit was hit (memory.failcnt).
    public var limitHits: UInt64?
    /// True while the cgroup is stalled in OOM (v1 under_oom, with the OOM killer disabled).
    public var underOOM: Bool

    public init(oomKills: UInt64? = nil, limitHits: UInt64? = nil, underOOM: Bool = false) {
        self.oomKills = oomKills
        self.limitHits = limitHits
        self.underOOM = underOOM
    }

    /// Whether these counters show a kill after `baseline` (counters read earlier, e.g. when the
    /// task started; nil means a fresh cgroup). Falls back to limit hits only without `oomKills`.
    public func showKill(since baseline: CgroupOOMCounters? = nil) -> Bool {
        if let oomKills {
            return oomKills > (baseline?.oomKills ?? 0)
        }
        if let limitHits {
            return limitHits > (baseline?.limitHits ?? 0)
        }
        return false
    }

    /// The larger of each counter, so a watcher's memory never goes backwards.
    func merged(with other: CgroupOOMCounters) -> CgroupOOMCounters {
        CgroupOOMCounters(
            oomKills: Self.larger(oomKills, other.oomKills), limitHits: Self.larger(limitHits, other.limitHits),
            underOOM: other.underOOM)
    }

    private static func larger(_ a: UInt64?, _ b: UInt64?) -> UInt64? {
        guard let a, let b else {
            return a ?? b
        }
        return max(a, b)
    }
}

/// Reading and judging the OOM counters.
public enum CgroupOOM {
    /// Parses v1 memory.oom_control, memory.failcnt and memory.memsw.failcnt (any may be missing).
    /// With a memsw limit the hit may be counted in memsw.failcnt instead; `limitHits` is the sum.
    public static func parseV1(
        oomControl: String?, failcnt: String?, memswFailcnt: String? = nil
    ) -> CgroupOOMCounters? {
        guard oomControl != nil || failcnt != nil || memswFailcnt != nil else {
            return nil
        }
        let control = oomControl.map(CgroupStatsParser.keyedValues) ?? [:]
        let hits = [failcnt, memswFailcnt].compactMap { $0.flatMap(CgroupStatsParser.singleValue) }
        return CgroupOOMCounters(
            oomKills: control["oom_kill"], limitHits: hits.isEmpty ? nil : hits.reduce(0, +),
            underOOM: (control["under_oom"] ?? 0) != 0)
    }

    /// Parses v2 memory.events.
    public static func parseV2(events: String?) -> CgroupOOMCounters? {
        guard let events else {
            return nil
        }
        let values = CgroupStatsParser.keyedValues(events)
        guard values["oom_kill"] != nil || values["oom"] != nil else {
            return nil
        }
        return CgroupOOMCounters(oomKills: values["oom_kill"])
    }

    /// Reads the counters: v1 from the memory directory, else v2 from the unified one. Nil when
    /// neither can be read (no memory controller, or the cgroup is gone).
    public static func read(_ paths: CgroupPaths) -> CgroupOOMCounters? {
        if let memory = paths.memory {
            let v1 = parseV1(
                oomControl: CgroupFiles.readSmallFile(memory + "/memory.oom_control"),
                failcnt: CgroupFiles.readSmallFile(memory + "/memory.failcnt"),
                memswFailcnt: CgroupFiles.readSmallFile(memory + "/memory.memsw.failcnt"))
            if let v1 {
                return v1
            }
        }
        guard let unified = paths.unified else {
            return nil
        }
        return parseV2(events: CgroupFiles.readSmallFile(unified + "/memory.events"))
    }

    /// Whether the OOM killer has killed a process in the cgroup (since `baseline`). False when
    /// the counters cannot be read, which includes a cgroup already removed: use CgroupWatcher
    /// for a task that may be exiting.
    public static func wasKilled(_ paths: CgroupPaths, since baseline: CgroupOOMCounters? = nil) -> Bool {
        read(paths)?.showKill(since: baseline) ?? false
    }
}
