// The pure layer of cgroup stats: file contents in, numbers out. No I/O, so every layout can be
// table-tested with literal file contents.
//
// Files are passed as a dictionary from file name ("memory.stat", "cpu.stat", ...) to contents;
// a missing key means the file does not exist (old kernel, controller not enabled, no swap
// accounting). v1 and v2 file names never collide except "cpu.stat", whose key sets differ
// (v1: throttled_time in ns; v2: usage_usec, throttled_usec in µs), so each layout parses alone.
//
// Kernel sources of the formats: Documentation/admin-guide/cgroup-v1/{memory,cpuacct}.rst,
// Documentation/scheduler/sched-bwc.rst (v1 cpu.stat) and Documentation/admin-guide/cgroup-v2.rst.

import FoundationEssentials
import RktSys

/// Which cgroup interface a sample came from.
public enum CgroupLayout: String, Codable, Equatable, Sendable {
    case v1
    case v2
}

/// Parsers for the cgroup file formats and for the v1 and v2 stat layouts.
public enum CgroupStatsParser {
    /// Parses a "flat keyed" file: one `key value` pair per line (memory.stat, cpu.stat,
    /// cpuacct.stat, memory.events, memory.oom_control). Lines that do not fit are skipped.
    public static func keyedValues(_ text: String) -> [String: UInt64] {
        var values: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 2, let value = UInt64(fields[1]) else {
                continue
            }
            values[String(fields[0])] = value
        }
        return values
    }

    /// Parses a single-value file such as memory.current; "max" (no limit) and junk give nil.
    public static func singleValue(_ text: String) -> UInt64? {
        UInt64(text.trimmed)
    }

    /// v1 memory: memory.stat (the hierarchical `total_*` keys when present, since a pod may
    /// have child cgroups), memory.usage_in_bytes, memory.max_usage_in_bytes and memory.kmem.*.
    /// Nil when there is neither memory.stat nor memory.usage_in_bytes.
    public static func v1Memory(_ files: [String: String]) -> TaskResourceUsage.Memory? {
        let stat = files["memory.stat"].map(keyedValues)
        let usage = files["memory.usage_in_bytes"].flatMap(singleValue)
        guard stat != nil || usage != nil else {
            return nil
        }
        var memory = TaskResourceUsage.Memory()
        var measured = Measured()
        func statValue(_ key: String) -> UInt64? { stat?["total_" + key] ?? stat?[key] }

        measured.record("RSS", statValue("rss")) { memory.rss = $0 }
        measured.record("Cache", statValue("cache")) { memory.cache = $0 }
        measured.record("Swap", statValue("swap")) { memory.swap = $0 }
        measured.record("Usage", usage) { memory.usage = $0 }
        measured.record("Max Usage", files["memory.max_usage_in_bytes"].flatMap(singleValue)) { memory.maxUsage = $0 }
        measured.record("Kernel Usage", files["memory.kmem.usage_in_bytes"].flatMap(singleValue)) {
            memory.kernelUsage = $0
        }
        measured.record("Kernel Max Usage", files["memory.kmem.max_usage_in_bytes"].flatMap(singleValue)) {
            memory.kernelMaxUsage = $0
        }
        memory.measured = measured.names
        return memory
    }

    /// v1 CPU: cpuacct.usage (ns), cpuacct.usage_user/usage_sys (ns, kernel ≥ 4.7) or else
    /// cpuacct.stat (USER_HZ ticks, converted with `clockTicksPerSecond`), and the cpu
    /// controller's cpu.stat nr_throttled / throttled_time (ns). Nil without any cpuacct file.
    public static func v1CPU(_ files: [String: String], clockTicksPerSecond: UInt64) -> TaskResourceUsage.CPU? {
        let total = files["cpuacct.usage"].flatMap(singleValue)
        var user = files["cpuacct.usage_user"].flatMap(singleValue)
        var system = files["cpuacct.usage_sys"].flatMap(singleValue)
        if user == nil || system == nil, let stat = files["cpuacct.stat"].map(keyedValues), clockTicksPerSecond > 0 {
            let nanosPerTick = 1_000_000_000 / clockTicksPerSecond
            user = user ?? stat["user"].map { $0 * nanosPerTick }
            system = system ?? stat["system"].map { $0 * nanosPerTick }
        }
        guard total != nil || user != nil || system != nil else {
            return nil
        }
        let throttling = files["cpu.stat"].map(keyedValues)
        return cpu(
            total: total, user: user, system: system, throttledPeriods: throttling?["nr_throttled"],
            throttledNanos: throttling?["throttled_time"])
    }

    /// v2 memory: memory.current, memory.peak (kernel ≥ 5.19), memory.stat anon/file/kernel
    /// (kernel ≥ 6.0 for `kernel`) and memory.swap.current. Nil without memory.current.
    public static func v2Memory(_ files: [String: String]) -> TaskResourceUsage.Memory? {
        guard let usage = files["memory.current"].flatMap(singleValue) else {
            return nil
        }
        let stat = files["memory.stat"].map(keyedValues)
        var memory = TaskResourceUsage.Memory()
        var measured = Measured()

        measured.record("RSS", stat?["anon"]) { memory.rss = $0 }
        measured.record("Cache", stat?["file"]) { memory.cache = $0 }
        measured.record("Swap", files["memory.swap.current"].flatMap(singleValue)) { memory.swap = $0 }
        measured.record("Usage", usage) { memory.usage = $0 }
        measured.record("Max Usage", files["memory.peak"].flatMap(singleValue)) { memory.maxUsage = $0 }
        measured.record("Kernel Usage", stat?["kernel"]) { memory.kernelUsage = $0 }
        memory.measured = measured.names
        return memory
    }

    /// v2 CPU: cpu.stat usage_usec/user_usec/system_usec (always present) and nr_throttled /
    /// throttled_usec (only with the cpu controller enabled). Microseconds become nanoseconds.
    public static func v2CPU(_ files: [String: String]) -> TaskResourceUsage.CPU? {
        guard let stat = files["cpu.stat"].map(keyedValues), let usage = stat["usage_usec"] else {
            return nil
        }
        return cpu(
            total: usage * 1000, user: stat["user_usec"].map { $0 * 1000 },
            system: stat["system_usec"].map { $0 * 1000 }, throttledPeriods: stat["nr_throttled"],
            throttledNanos: stat["throttled_usec"].map { $0 * 1000 })
    }

    private static func cpu(
        total: UInt64?, user: UInt64?, system: UInt64?, throttledPeriods: UInt64?, throttledNanos: UInt64?
    ) -> TaskResourceUsage.CPU {
        var cpu = TaskResourceUsage.CPU()
        var measured = Measured()
        measured.record("System Mode", system) { cpu.systemMode = $0 }
        measured.record("User Mode", user) { cpu.userMode = $0 }
        measured.record("Total Ticks", total ?? (user ?? 0) + (system ?? 0)) { cpu.totalTicks = $0 }
        measured.record("Throttled Periods", throttledPeriods) { cpu.throttledPeriods = $0 }
        measured.record("Throttled Time", throttledNanos) { cpu.throttledTime = $0 }
        cpu.measured = measured.names
        return cpu
    }
}

/// Collects the Nomad names of the fields that had a value.
private struct Measured {
    var names: [String] = []

    mutating func record(_ name: String, _ value: UInt64?, _ assign: (UInt64) -> Void) {
        guard let value else {
            return
        }
        assign(value)
        names.append(name)
    }
}
