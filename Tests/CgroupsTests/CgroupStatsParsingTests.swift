import Cgroups
import Foundation
import Testing

/// Literal cgroup file contents, as the kernel prints them.
enum CgroupFixtures {
    static let v1MemoryStat = """
        cache 11235328
        rss 4919296
        rss_huge 0
        shmem 0
        mapped_file 8507392
        swap 4096
        pgfault 27063
        hierarchical_memory_limit 16777216
        total_cache 12000000
        total_rss 5000000
        total_swap 8192

        """

    static let v1MemoryStatNoTotals = """
        cache 100
        rss 200
        mapped_file 0

        """

    static let v1CPUStat = """
        nr_periods 40
        nr_throttled 3
        throttled_time 1500000
        nr_bursts 0
        burst_time 0

        """

    static let v2MemoryStat = """
        anon 3145728
        file 1048576
        kernel 262144
        kernel_stack 16384
        sock 0
        shmem 0
        file_mapped 0
        pgfault 1200

        """

    static let v2CPUStat = """
        usage_usec 925742
        user_usec 764040
        system_usec 161702
        nice_usec 0
        nr_periods 10
        nr_throttled 2
        throttled_usec 3500

        """

    static let v2CPUStatNoController = """
        usage_usec 5000
        user_usec 3000
        system_usec 2000

        """
}

@Suite struct CgroupStatsParsingTests {
    typealias Memory = TaskResourceUsage.Memory
    typealias CPU = TaskResourceUsage.CPU

    @Test func keyedValuesSkipsJunk() {
        let values = CgroupStatsParser.keyedValues("a 1\nb two\n\nc 3 4\n  d   5\ne 18446744073709551615\n")
        #expect(values == ["a": 1, "d": 5, "e": UInt64.max])
    }

    @Test(arguments: [("42\n", UInt64(42)), ("max\n", nil), ("", nil), ("  7 ", 7)])
    func singleValue(text: String, expected: UInt64?) {
        #expect(CgroupStatsParser.singleValue(text) == expected)
    }

    @Test(arguments: [
        (
            // Hierarchical totals win over the cgroup's own figures; kmem files present.
            [
                "memory.stat": CgroupFixtures.v1MemoryStat, "memory.usage_in_bytes": "20000000\n",
                "memory.max_usage_in_bytes": "25000000\n", "memory.kmem.usage_in_bytes": "300000\n",
                "memory.kmem.max_usage_in_bytes": "400000\n",
            ],
            Memory(
                rss: 5_000_000, cache: 12_000_000, swap: 8192, usage: 20_000_000, maxUsage: 25_000_000,
                kernelUsage: 300_000, kernelMaxUsage: 400_000,
                measured: ["RSS", "Cache", "Swap", "Usage", "Max Usage", "Kernel Usage", "Kernel Max Usage"])
        ),
        (
            // No totals, no swap accounting, no kmem (kernel built without it).
            ["memory.stat": CgroupFixtures.v1MemoryStatNoTotals, "memory.usage_in_bytes": "4096\n"],
            Memory(rss: 200, cache: 100, usage: 4096, measured: ["RSS", "Cache", "Usage"])
        ),
    ])
    func v1Memory(files: [String: String], expected: Memory) {
        #expect(CgroupStatsParser.v1Memory(files) == expected)
    }

    @Test func v1MemoryNeedsAFile() {
        #expect(CgroupStatsParser.v1Memory([:]) == nil)
        #expect(CgroupStatsParser.v1Memory(["memory.failcnt": "0\n"]) == nil)
    }

    @Test(arguments: [
        (
            // Modern kernel: per-mode nanoseconds, plus the cpu controller's throttling.
            [
                "cpuacct.usage": "3400000\n", "cpuacct.usage_user": "2200000\n", "cpuacct.usage_sys": "1200000\n",
                "cpuacct.stat": "user 99\nsystem 99\n", "cpu.stat": CgroupFixtures.v1CPUStat,
            ],
            CPU(
                userMode: 2_200_000, systemMode: 1_200_000, totalTicks: 3_400_000, throttledPeriods: 3,
                throttledTime: 1_500_000,
                measured: ["System Mode", "User Mode", "Total Ticks", "Throttled Periods", "Throttled Time"])
        ),
        (
            // Old kernel: cpuacct.stat in USER_HZ ticks (100 per second -> 10 ms each), no cpu dir.
            ["cpuacct.usage": "500000000\n", "cpuacct.stat": "user 30\nsystem 20\n"],
            CPU(
                userMode: 300_000_000, systemMode: 200_000_000, totalTicks: 500_000_000,
                measured: ["System Mode", "User Mode", "Total Ticks"])
        ),
        (
            // Only cpuacct.stat: the total is user + system.
            ["cpuacct.stat": "user 1\nsystem 2\n"],
            CPU(
                userMode: 10_000_000, systemMode: 20_000_000, totalTicks: 30_000_000,
                measured: ["System Mode", "User Mode", "Total Ticks"])
        ),
    ])
    func v1CPU(files: [String: String], expected: CPU) {
        #expect(CgroupStatsParser.v1CPU(files, clockTicksPerSecond: 100) == expected)
    }

    @Test func v1CPUNeedsCPUAcct() {
        #expect(CgroupStatsParser.v1CPU(["cpu.stat": CgroupFixtures.v1CPUStat], clockTicksPerSecond: 100) == nil)
    }

    @Test(arguments: [
        (
            [
                "memory.current": "4456448\n", "memory.peak": "9000000\n", "memory.stat": CgroupFixtures.v2MemoryStat,
                "memory.swap.current": "0\n",
            ],
            Memory(
                rss: 3_145_728, cache: 1_048_576, swap: 0, usage: 4_456_448, maxUsage: 9_000_000,
                kernelUsage: 262_144, measured: ["RSS", "Cache", "Swap", "Usage", "Max Usage", "Kernel Usage"])
        ),
        (
            // Kernel < 5.19 (no memory.peak), no swap controller, stat without `kernel`.
            ["memory.current": "8192\n", "memory.stat": "anon 4096\nfile 4096\n"],
            Memory(rss: 4096, cache: 4096, usage: 8192, measured: ["RSS", "Cache", "Usage"])
        ),
    ])
    func v2Memory(files: [String: String], expected: Memory) {
        #expect(CgroupStatsParser.v2Memory(files) == expected)
    }

    @Test func v2MemoryNeedsCurrent() {
        // A hybrid host's cgroup2 directory without the memory controller.
        #expect(CgroupStatsParser.v2Memory(["memory.pressure": "some avg10=0.00\n"]) == nil)
    }

    @Test(arguments: [
        (
            CgroupFixtures.v2CPUStat,
            CPU(
                userMode: 764_040_000, systemMode: 161_702_000, totalTicks: 925_742_000, throttledPeriods: 2,
                throttledTime: 3_500_000,
                measured: ["System Mode", "User Mode", "Total Ticks", "Throttled Periods", "Throttled Time"])
        ),
        (
            CgroupFixtures.v2CPUStatNoController,
            CPU(
                userMode: 3_000_000, systemMode: 2_000_000, totalTicks: 5_000_000,
                measured: ["System Mode", "User Mode", "Total Ticks"])
        ),
    ])
    func v2CPU(stat: String, expected: CPU) {
        #expect(CgroupStatsParser.v2CPU(["cpu.stat": stat]) == expected)
    }

    @Test func v2CPUIgnoresV1CPUStat() {
        #expect(CgroupStatsParser.v2CPU(["cpu.stat": CgroupFixtures.v1CPUStat]) == nil)
    }
}

@Suite struct CgroupStatsOOMTests {
    @Test(arguments: [
        ("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n", "5\n", CgroupOOMCounters(oomKills: 2, limitHits: 5)),
        ("oom_kill_disable 0\nunder_oom 0\noom_kill 0\n", "0\n", CgroupOOMCounters(oomKills: 0, limitHits: 0)),
        // Kernel < 4.13: no oom_kill line.
        ("oom_kill_disable 1\nunder_oom 1\n", "3\n", CgroupOOMCounters(limitHits: 3, underOOM: true)),
    ])
    func parseV1(control: String, failcnt: String, expected: CgroupOOMCounters) {
        #expect(CgroupOOM.parseV1(oomControl: control, failcnt: failcnt) == expected)
    }

    @Test func parseV2() {
        let events = "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n"
        #expect(CgroupOOM.parseV2(events: events) == CgroupOOMCounters(oomKills: 1))
        #expect(CgroupOOM.parseV2(events: nil) == nil)
        #expect(CgroupOOM.parseV1(oomControl: nil, failcnt: nil) == nil)
        let memsw = CgroupOOM.parseV1(oomControl: "under_oom 0\noom_kill 1\n", failcnt: "0\n", memswFailcnt: "4\n")
        #expect(memsw == CgroupOOMCounters(oomKills: 1, limitHits: 4))
    }

    @Test(arguments: [
        (CgroupOOMCounters(oomKills: 1, limitHits: 9), nil, true),
        (CgroupOOMCounters(oomKills: 0, limitHits: 9), nil, false),  // limit hit, reclaim coped
        (CgroupOOMCounters(oomKills: 3), CgroupOOMCounters(oomKills: 3), false),
        (CgroupOOMCounters(oomKills: 4), CgroupOOMCounters(oomKills: 3), true),
        (CgroupOOMCounters(limitHits: 2), nil, true),  // old kernel: fallback evidence
        (CgroupOOMCounters(), nil, false),
    ])
    func showKill(counters: CgroupOOMCounters, baseline: CgroupOOMCounters?, expected: Bool) {
        #expect(counters.showKill(since: baseline) == expected)
    }

    @Test func wasKilledIsFalseForMissingCgroup() {
        let paths = CgroupPaths(memory: "/nonexistent/rkt-test", unified: "/nonexistent/rkt-test")
        #expect(CgroupOOM.wasKilled(paths) == false)
    }
}

@Suite struct CgroupStatsCPUShareTests {
    @Test(arguments: [
        // (share, cpu ns used, wall ns, percent)
        (CgroupCPUShare.oneCore, UInt64(500_000_000), UInt64(1_000_000_000), 50.0),
        (CgroupCPUShare(cores: 2), 2_000_000_000, 1_000_000_000, 100.0),
        // 500 MHz of a 2-core, 4000 MHz node = 0.25 cores; one busy core = 400%.
        (CgroupCPUShare(taskMHz: 500, nodeTotalMHz: 4000, nodeCores: 2), 1_000_000_000, 1_000_000_000, 400.0),
        (CgroupCPUShare(taskMHz: 1000, nodeTotalMHz: 4000, nodeCores: 2), 250_000_000, 1_000_000_000, 50.0),
        (CgroupCPUShare.oneCore, 0, 0, 0.0),
        (CgroupCPUShare(taskMHz: 100, nodeTotalMHz: 0, nodeCores: 0), 1, 1, 0.0),
    ])
    func percent(share: CgroupCPUShare, used: UInt64, wall: UInt64, expected: Double) {
        let percent = share.percent(cpuNanos: (1000, 1000 + used), wallNanos: wall)
        #expect(abs(percent - expected) < 1e-9)
    }

    @Test func counterResetGivesZero() {
        #expect(CgroupCPUShare.oneCore.percent(cpuNanos: (5000, 10), wallNanos: 100) == 0)
    }

    @Test func sampleUsageComputesPercentAgainstPrevious() {
        let first = CgroupSample(
            memoryLayout: .v1, cpuLayout: .v1, memory: .init(usage: 1), cpu: .init(totalTicks: 1_000_000),
            timestamp: 10, monotonic: 1_000_000_000)
        var second = first
        second.cpu.totalTicks = 251_000_000
        second.monotonic = 1_500_000_000
        second.timestamp = 20

        #expect(first.usage(since: nil, share: .oneCore).cpu.percent == 0)
        let usage = second.usage(since: first, share: .oneCore)
        #expect(usage.cpu.percent == 50)
        #expect(usage.cpu.measured.last == "Percent")
        #expect(usage.timestamp == 20)
    }
}

@Suite struct TaskResourceUsageJSONTests {
    @Test func encodesNomadKeysSorted() throws {
        let usage = TaskResourceUsage(
            memory: .init(rss: 1, cache: 2, swap: 3, usage: 4, maxUsage: 5, kernelUsage: 6, measured: ["RSS"]),
            cpu: .init(
                userMode: 7, systemMode: 8, totalTicks: 15, throttledPeriods: 9, throttledTime: 10, percent: 12.5,
                measured: ["User Mode"]),
            timestamp: 1_700_000_000_000_000_000)
        let json = String(decoding: try TaskResourceUsage.encoder().encode(usage), as: UTF8.self)
        let expected =
            #"{"ResourceUsage":{"CpuStats":{"Measured":["User Mode"],"Percent":12.5,"SystemMode":8,"#
            + #""ThrottledPeriods":9,"ThrottledTime":10,"TotalTicks":15,"UserMode":7},"MemoryStats":{"Cache":2,"#
            + #""KernelUsage":6,"MaxUsage":5,"Measured":["RSS"],"RSS":1,"Swap":3,"Usage":4}},"#
            + #""Timestamp":1700000000000000000}"#
        #expect(json == expected)
        #expect(try JSONDecoder().decode(TaskResourceUsage.self, from: Data(json.utf8)) == usage)
    }
}
