// Event-driven OOM detection for a single-threaded supervisor (rkt run-prepared).
//
// Sampling the counters (CgroupWatcher) misses a kill whose victim dies and whose cgroup runc
// removes between two samples. This monitor gives the supervisor a descriptor to poll(2) next to
// its signalfd, so it wakes the moment the kernel reports an OOM:
//
// v1: an eventfd registered through cgroup.event_control for memory.oom_control. The kernel
//     signals it when the cgroup (or an ancestor) hits OOM, before the OOM killer picks a victim,
//     so the cgroup still exists when we wake. It is signalled once more, asynchronously, when the
//     cgroup is removed ("the event is going away"). So a read made while the cgroup's directory
//     still exists counts OOM events only; values read after the directory is gone include the
//     one removal signal, which `finish` waits for (briefly) and subtracts.
// v2: inotify on memory.events, which the kernel "modifies" whenever a counter changes; the
//     oom_kill counter is bumped before the victim dies. The watch ends (IN_IGNORED) on removal.
//     Hybrid hosts whose cgroup2 mount has no memory controller have no memory.events: the
//     monitor then only samples whatever counters exist.
// Either way every `check` also reads the counters (v1 memory.oom_control oom_kill, v2
// memory.events oom_kill) and remembers the largest values seen.
//
// Verdict: OOM-killed when a v1 OOM event was seen or the oom_kill counter grew. An OOM event
// normally ends in a kill; counting the event (like Docker's OOMKilled on v1) covers the kill
// that follows the event while runc is already removing the cgroup.
//
// Limitation: the monitor can only start once the container's init exists and its cgroup was
// found; a kill before that (an app that blows its limit within milliseconds of starting) and
// the removal of the cgroup before the first `check` are missed.

import CShim
import FoundationEssentials
import Glibc
import RktSys

/// Watches one pod cgroup for OOM kills. Not thread-safe: meant for one supervisor loop.
public final class CgroupOOMMonitor {
    /// How the monitor learns of OOM events.
    public enum Source: String, Sendable {
        /// v1: eventfd on memory.oom_control.
        case eventfd
        /// v2: inotify on memory.events.
        case inotify
        /// Counters read at each `check` only.
        case sampling
    }

    public let paths: CgroupPaths
    public let source: Source
    /// The descriptor to poll for POLLIN (then call `check`); nil when there is none or the
    /// cgroup is gone.
    public private(set) var pollDescriptor: Int32?
    /// v1 OOM events seen (not counting the removal signal).
    public private(set) var oomEvents: UInt64 = 0
    /// The largest counters ever read, or nil when they were never readable.
    public private(set) var counters: CgroupOOMCounters?
    private let baseline: CgroupOOMCounters?
    /// v1: eventfd values read after the cgroup's directory was gone (OOM events + one removal).
    private var valuesAfterRemoval: UInt64 = 0

    /// Starts watching `paths` (normally: located from the container's init a moment ago) and
    /// reads the counters once. `baseline`: counters to ignore (nil for a fresh cgroup).
    public init(paths: CgroupPaths, baseline: CgroupOOMCounters? = nil) {
        self.paths = paths
        self.baseline = baseline
        if let memory = paths.memory, let fd = Self.registerV1(memory: memory) {
            source = .eventfd
            pollDescriptor = fd
        } else if let unified = paths.unified, let fd = Self.watchV2(unified: unified) {
            source = .inotify
            pollDescriptor = fd
        } else {
            source = .sampling
        }
        check()
    }

    deinit {
        closeDescriptor()
    }

    /// True once an OOM event was seen or the oom_kill counter grew past the baseline.
    public var oomKilled: Bool {
        oomEvents > 0 || (counters?.showKill(since: baseline) ?? false)
    }

    /// Consumes pending notifications and reads the counters. Cheap; call it whenever the
    /// descriptor is readable and on every loop tick.
    public func check() {
        if let fd = pollDescriptor {
            switch source {
            case .eventfd:
                takeEvents(fd)
            case .inotify:
                drainInotify(fd)
            case .sampling:
                break
            }
        }
        if let now = CgroupOOM.read(paths) {
            counters = counters.map { $0.merged(with: now) } ?? now
        }
    }

    /// The last look, once the container has exited: a final `check`, and on v1 with the cgroup
    /// removed, a wait of up to `grace` for the removal signal (and `settle` past the first
    /// value read after the removal) so that it is not taken for an OOM event, nor an OOM event
    /// read together with it lost. Typically costs `settle`.
    public func finish(grace: Duration = .milliseconds(300), settle: Duration = .milliseconds(50)) {
        check()
        guard source == .eventfd, let fd = pollDescriptor, !cgroupExists else {
            closeDescriptor()
            return
        }
        // A first value after the removal is either the removal signal or OOM events read before
        // it; once one came, a trailing removal signal follows within `settle` if it is still due.
        let deadline = ContinuousClock.now + grace
        var settled: ContinuousClock.Instant?
        while ContinuousClock.now < (settled ?? deadline) {
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = retryingEINTR { poll(&entry, 1, 10) }
            takeEvents(fd)
            if valuesAfterRemoval > 0 && settled == nil {
                settled = min(deadline, ContinuousClock.now + settle)
            }
        }
        settleRemoval()
        closeDescriptor()
    }

    private var cgroupExists: Bool {
        paths.memory.map { access($0 + "/memory.oom_control", F_OK) == 0 } ?? false
    }

    /// v1: reads the eventfd; values read while the cgroup exists are OOM events.
    private func takeEvents(_ fd: Int32) {
        let value = rkt_eventfd_take(fd)
        guard value >= 0 else {
            closeDescriptor()
            return
        }
        guard value > 0 else {
            return
        }
        // The directory is checked after the read: the removal signal can only follow the rmdir.
        if cgroupExists {
            oomEvents += UInt64(value)
        } else {
            valuesAfterRemoval += UInt64(value)
        }
    }

    /// Counts what was read after the removal, less the removal signal itself.
    private func settleRemoval() {
        if valuesAfterRemoval > 1 {
            oomEvents += valuesAfterRemoval - 1
        }
        valuesAfterRemoval = 0
    }

    /// v2: empties the inotify queue; the watch's end (IN_IGNORED) means the cgroup is gone.
    private func drainInotify(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                retryingEINTR { read(fd, raw.baseAddress, raw.count) }
            }
            guard count > 0 else {
                return
            }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (mask, length) = buffer.withUnsafeBytes { raw in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    return (event.mask, Int(event.len))
                }
                if mask & UInt32(IN_IGNORED) != 0 {
                    // Read the counters one last time if they are still there; then stop polling.
                    if let now = CgroupOOM.read(paths) {
                        counters = counters.map { $0.merged(with: now) } ?? now
                    }
                    closeDescriptor()
                    return
                }
                offset += MemoryLayout<inotify_event>.size + length
            }
        }
    }

    private func closeDescriptor() {
        if let fd = pollDescriptor {
            close(fd)
            pollDescriptor = nil
        }
    }

    /// Registers an eventfd for memory.oom_control; nil when the kernel refuses (no v1 memory
    /// controller there, or the cgroup is gone).
    private static func registerV1(memory: String) -> Int32? {
        let control = retryingEINTR { open(memory + "/memory.oom_control", O_RDONLY | O_CLOEXEC) }
        guard control >= 0 else {
            return nil
        }
        defer { close(control) }
        let event = rkt_eventfd()
        guard event >= 0 else {
            return nil
        }
        let target = retryingEINTR { open(memory + "/cgroup.event_control", O_WRONLY | O_CLOEXEC) }
        guard target >= 0 else {
            close(event)
            return nil
        }
        defer { close(target) }
        let path = memory + "/cgroup.event_control"
        guard (try? FileSystem.writeAll(target, Array("\(event) \(control)".utf8), path: path)) != nil else {
            close(event)
            return nil
        }
        return event
    }

    /// Watches memory.events for modification; nil when it does not exist there.
    private static func watchV2(unified: String) -> Int32? {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else {
            return nil
        }
        guard inotify_add_watch(fd, unified + "/memory.events", UInt32(IN_MODIFY)) >= 0 else {
            close(fd)
            return nil
        }
        return fd
    }
}
