// The thin I/O layer of cgroup stats: reads the files named in CgroupStatsParser from the
// directories CgroupLocator found, and turns two samples into a CPU percent.
//
// Layout choice per resource: v1 when the v1 controller directory has its files, else v2. On a
// hybrid host (v1 controllers plus a cgroup2 mount with few or no controllers) memory and cpuacct
// come from v1; the cgroup2 directory's cpu.stat still has usage_usec (core accounting), so it is
// the CPU fallback when cpuacct is not mounted.

import FoundationEssentials
import Glibc
import RktError
import RktSys

/// The task's slice of the node's CPU, so usage can be expressed as a percent of what it was given.
///
/// Formula, between two samples a and b:
///
///     coresUsed = (b.totalTicks - a.totalTicks) / (b.monotonic - a.monotonic)   // ns / ns
///     shareCores = taskMHz / (nodeTotalMHz / nodeCores)                         // MHz / MHz per core
///     percent = 100 * coresUsed / shareCores
///
/// So a task given 500 MHz on a 2-core 4000 MHz node (0.25 cores) that keeps one core busy shows
/// 400%. CFS shares let a task use idle CPU beyond its share, so values over 100 are normal; a
/// hard cap shows up as ThrottledPeriods instead. `oneCore` gives Nomad's executor-style percent
/// of a single core.
public struct CgroupCPUShare: Equatable, Sendable {
    /// The share in cores (may be fractional).
    public var cores: Double

    public init(cores: Double) {
        self.cores = cores
    }

    /// A share given in MHz out of the node's total MHz across `nodeCores` cores.
    public init(taskMHz: Double, nodeTotalMHz: Double, nodeCores: Int) {
        let mhzPerCore = nodeCores > 0 ? nodeTotalMHz / Double(nodeCores) : 0
        cores = mhzPerCore > 0 ? taskMHz / mhzPerCore : 0
    }

    public static let oneCore = CgroupCPUShare(cores: 1)

    /// The percent of this share used between two cumulative CPU times; 0 when the interval is
    /// empty, the share is 0, or the counter went backwards (a new cgroup).
    public func percent(cpuNanos: (from: UInt64, to: UInt64), wallNanos: UInt64) -> Double {
        guard wallNanos > 0, cores > 0, cpuNanos.to >= cpuNanos.from else {
            return 0
        }
        let coresUsed = Double(cpuNanos.to - cpuNanos.from) / Double(wallNanos)
        return 100 * coresUsed / cores
    }
}

/// One raw reading of a cgroup: the figures plus both clocks, before a percent is known.
public struct CgroupSample: Equatable, Sendable {
    public var memoryLayout: CgroupLayout?
    public var cpuLayout: CgroupLayout?
    public var memory: TaskResourceUsage.Memory
    public var cpu: TaskResourceUsage.CPU
    /// Unix time in ns.
    public var timestamp: Int64
    /// CLOCK_MONOTONIC in ns, for intervals.
    public var monotonic: UInt64

    public init(
        memoryLayout: CgroupLayout?, cpuLayout: CgroupLayout?, memory: TaskResourceUsage.Memory,
        cpu: TaskResourceUsage.CPU, timestamp: Int64, monotonic: UInt64
    ) {
        self.memoryLayout = memoryLayout
        self.cpuLayout = cpuLayout
        self.memory = memory
        self.cpu = cpu
        self.timestamp = timestamp
        self.monotonic = monotonic
    }

    /// The usage record, with the CPU percent computed against `previous` (0 without one).
    public func usage(since previous: CgroupSample?, share: CgroupCPUShare) -> TaskResourceUsage {
        var cpu = cpu
        if let previous, monotonic > previous.monotonic {
            cpu.percent = share.percent(
                cpuNanos: (previous.cpu.totalTicks, self.cpu.totalTicks), wallNanos: monotonic - previous.monotonic)
            cpu.measured.append("Percent")
        }
        return TaskResourceUsage(memory: memory, cpu: cpu, timestamp: timestamp)
    }
}

/// Reads stats from a pod's cgroup directories.
public struct CgroupStatsReader: Sendable {
    public var paths: CgroupPaths
    /// USER_HZ, for cpuacct.stat on kernels without cpuacct.usage_user.
    public var clockTicksPerSecond: UInt64

    public init(paths: CgroupPaths, clockTicksPerSecond: UInt64 = UInt64(max(1, sysconf(Int32(_SC_CLK_TCK))))) {
        self.paths = paths
        self.clockTicksPerSecond = clockTicksPerSecond
    }

    static let v1MemoryFiles = [
        "memory.stat", "memory.usage_in_bytes", "memory.max_usage_in_bytes", "memory.kmem.usage_in_bytes",
        "memory.kmem.max_usage_in_bytes",
    ]
    static let v1CPUAcctFiles = ["cpuacct.usage", "cpuacct.usage_user", "cpuacct.usage_sys", "cpuacct.stat"]
    static let v2Files = ["memory.current", "memory.peak", "memory.stat", "memory.swap.current", "cpu.stat"]

    /// Reads one sample. Throws notFound when no stats file could be read (the cgroup is gone).
    public func sample() throws -> CgroupSample {
        let v1Memory = CgroupFiles.read(Self.v1MemoryFiles, in: paths.memory)
        var v1CPU = CgroupFiles.read(Self.v1CPUAcctFiles, in: paths.cpuacct)
        v1CPU.merge(CgroupFiles.read(["cpu.stat"], in: paths.cpu)) { first, _ in first }
        let v2 = CgroupFiles.read(Self.v2Files, in: paths.unified)
        let timestamp = CgroupClock.realtimeNanos()
        let monotonic = CgroupClock.monotonicNanos()

        let v1Parsed = (
            memory: CgroupStatsParser.v1Memory(v1Memory),
            cpu: CgroupStatsParser.v1CPU(v1CPU, clockTicksPerSecond: clockTicksPerSecond)
        )
        let memory =
            v1Parsed.memory.map { ($0, CgroupLayout.v1) }
            ?? CgroupStatsParser.v2Memory(v2).map { ($0, CgroupLayout.v2) }
        let cpu =
            v1Parsed.cpu.map { ($0, CgroupLayout.v1) } ?? CgroupStatsParser.v2CPU(v2).map { ($0, CgroupLayout.v2) }
        guard memory != nil || cpu != nil else {
            throw RktError(.notFound, "no cgroup stats readable in \(paths.all.joined(separator: ", "))")
        }
        return CgroupSample(
            memoryLayout: memory?.1, cpuLayout: cpu?.1, memory: memory?.0 ?? .init(), cpu: cpu?.0 ?? .init(),
            timestamp: timestamp, monotonic: monotonic)
    }
}

/// Small-file reads for cgroup and proc files (their st_size is meaningless, so read to EOF).
enum CgroupFiles {
    /// Reads each existing file of `names` in `directory`; missing or unreadable files are left out.
    static func read(_ names: [String], in directory: String?) -> [String: String] {
        guard let directory else {
            return [:]
        }
        var files: [String: String] = [:]
        for name in names {
            files[name] = readSmallFile(directory + "/" + name)
        }
        return files
    }

    /// The whole file as text, or nil when it cannot be opened or read.
    static func readSmallFile(_ path: String) -> String? {
        let fd = retryingEINTR { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else {
            return nil
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                retryingEINTR { Glibc.read(fd, raw.baseAddress, raw.count) }
            }
            guard count >= 0 else {
                return nil
            }
            if count == 0 {
                return String(decoding: bytes, as: UTF8.self)
            }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }
}

/// The two clocks a sample carries.
enum CgroupClock {
    static func realtimeNanos() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    static func monotonicNanos() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}
