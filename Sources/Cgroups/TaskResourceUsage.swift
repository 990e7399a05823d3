// A task's resource usage at one instant, shaped like Nomad's `TaskResourceUsage`.
//
// JSON (encode with `.sortedKeys`; `TaskResourceUsage.encoder()` does):
//
//     {
//       "ResourceUsage": {
//         "CpuStats": {
//           "Measured": ["System Mode", "User Mode", ...],
//           "Percent": 12.5,            // see CgroupCPUShare.percent
//           "SystemMode": 1200000,      // cumulative ns in kernel mode
//           "ThrottledPeriods": 0,      // cumulative CFS periods throttled
//           "ThrottledTime": 0,         // cumulative ns throttled
//           "TotalTicks": 3400000,      // cumulative ns, user + system (NOT jiffies, NOT MHz)
//           "UserMode": 2200000         // cumulative ns in user mode
//         },
//         "MemoryStats": {
//           "Cache": 4096,              // bytes of page cache (v1 cache, v2 file)
//           "KernelMaxUsage": 0,        // bytes, v1 only; absent when not measured
//           "KernelUsage": 0,           // bytes, v1 memory.kmem.usage_in_bytes, v2 kernel; absent when unknown
//           "MaxUsage": 8192,           // bytes, high-water mark (v1 max_usage_in_bytes, v2 memory.peak)
//           "Measured": ["Cache", "RSS", ...],
//           "RSS": 4096,                // bytes of anonymous memory (v1 rss, v2 anon)
//           "Swap": 0,                  // bytes swapped out
//           "Usage": 8192               // bytes charged to the cgroup
//         }
//       },
//       "Timestamp": 1700000000000000000  // Unix time in ns when the sample was read
//     }
//
// Where Nomad differs: Nomad reports UserMode/SystemMode as percentages and TotalTicks in MHz;
// here they are raw cumulative nanoseconds, so two samples can be diffed exactly. `Measured`
// lists the fields that were actually read, so a 0 can be told apart from "not available".

import FoundationEssentials

/// One sample of a task's memory and CPU usage, read from its pod's cgroup.
public struct TaskResourceUsage: Codable, Equatable, Sendable {
    /// Memory figures, all in bytes.
    public struct Memory: Codable, Equatable, Sendable {
        public var rss: UInt64
        public var cache: UInt64
        public var swap: UInt64
        public var usage: UInt64
        public var maxUsage: UInt64
        public var kernelUsage: UInt64?
        public var kernelMaxUsage: UInt64?
        /// Nomad's names of the fields that were read (the others are 0 or nil for "unknown").
        public var measured: [String]

        public init(
            rss: UInt64 = 0, cache: UInt64 = 0, swap: UInt64 = 0, usage: UInt64 = 0, maxUsage: UInt64 = 0,
            kernelUsage: UInt64? = nil, kernelMaxUsage: UInt64? = nil, measured: [String] = []
        ) {
            self.rss = rss
            self.cache = cache
            self.swap = swap
            self.usage = usage
            self.maxUsage = maxUsage
            self.kernelUsage = kernelUsage
            self.kernelMaxUsage = kernelMaxUsage
            self.measured = measured
        }

        enum CodingKeys: String, CodingKey {
            case rss = "RSS"
            case cache = "Cache"
            case swap = "Swap"
            case usage = "Usage"
            case maxUsage = "MaxUsage"
            case kernelUsage = "KernelUsage"
            case kernelMaxUsage = "KernelMaxUsage"
            case measured = "Measured"
        }
    }

    /// CPU figures: cumulative times in nanoseconds, and a percent computed between two samples.
    public struct CPU: Codable, Equatable, Sendable {
        public var userMode: UInt64
        public var systemMode: UInt64
        /// Total CPU time consumed, in nanoseconds (user + system, or the cgroup's own total).
        public var totalTicks: UInt64
        public var throttledPeriods: UInt64
        /// Time spent throttled by the CFS quota, in nanoseconds.
        public var throttledTime: UInt64
        /// Usage as a percent of the task's CPU share since the previous sample; 0 on the first.
        public var percent: Double
        public var measured: [String]

        public init(
            userMode: UInt64 = 0, systemMode: UInt64 = 0, totalTicks: UInt64 = 0, throttledPeriods: UInt64 = 0,
            throttledTime: UInt64 = 0, percent: Double = 0, measured: [String] = []
        ) {
            self.userMode = userMode
            self.systemMode = systemMode
            self.totalTicks = totalTicks
            self.throttledPeriods = throttledPeriods
            self.throttledTime = throttledTime
            self.percent = percent
            self.measured = measured
        }

        enum CodingKeys: String, CodingKey {
            case userMode = "UserMode"
            case systemMode = "SystemMode"
            case totalTicks = "TotalTicks"
            case throttledPeriods = "ThrottledPeriods"
            case throttledTime = "ThrottledTime"
            case percent = "Percent"
            case measured = "Measured"
        }
    }

    public var memory: Memory
    public var cpu: CPU
    /// Unix time of the sample, in nanoseconds.
    public var timestamp: Int64

    public init(memory: Memory, cpu: CPU, timestamp: Int64) {
        self.memory = memory
        self.cpu = cpu
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case resourceUsage = "ResourceUsage"
        case timestamp = "Timestamp"
    }

    enum UsageKeys: String, CodingKey {
        case memory = "MemoryStats"
        case cpu = "CpuStats"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let usage = try container.nestedContainer(keyedBy: UsageKeys.self, forKey: .resourceUsage)
        memory = try usage.decode(Memory.self, forKey: .memory)
        cpu = try usage.decode(CPU.self, forKey: .cpu)
        timestamp = try container.decode(Int64.self, forKey: .timestamp)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var usage = container.nestedContainer(keyedBy: UsageKeys.self, forKey: .resourceUsage)
        try usage.encode(memory, forKey: .memory)
        try usage.encode(cpu, forKey: .cpu)
        try container.encode(timestamp, forKey: .timestamp)
    }

    /// A JSON encoder with sorted keys, so the output is stable for diffs, hashes and tests.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
