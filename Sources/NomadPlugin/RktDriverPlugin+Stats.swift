import Cgroups
import Driver
import FoundationEssentials
import GRPC

extension RktDriverPlugin {
    /// TaskStats: one sample per interval from the pod's cgroup while the task runs; the stream ends with OK
    /// when the task exits. Fields that could not be read are left out of `measured`.
    func streamTaskStats(
        _ request: TaskRequest, _ context: GRPCCallContext, _ writer: GRPCResponseWriter
    ) throws(GRPCStatus) {
        let task = try self.task(request.taskID)
        let interval = max(request.duration?.duration ?? .seconds(1), .milliseconds(200))
        // One watcher for the stream: each sample's CPU percent is over the interval since the last.
        var watcher: CgroupWatcher?
        while !context.isCancelled, task.poll() == nil {
            if watcher == nil, let found = driver.statsWatcher(for: task.handle.taskState) {
                watcher = found
                Self.sleep(.milliseconds(100), unless: context)  // a first interval for the CPU percent
            }
            try writer.send(Self.statsMessage(task.id, watcher?.sample()))
            Self.sleep(interval, unless: context)
        }
    }

    static func statsMessage(_ taskID: String, _ usage: TaskResourceUsage?) -> TaskStatsResponse {
        var message = TaskStatsResponse(taskID: taskID, timestamp: SecondsAndNanos(Date()))
        guard let usage else { return message }
        let cpuFields: [String: UInt64] = ["Throttled Periods": 3, "Throttled Time": 4, "Percent": 5]
        message.cpuPercent = usage.cpu.percent
        message.throttledPeriods = usage.cpu.throttledPeriods
        message.throttledTime = usage.cpu.throttledTime
        message.cpuMeasured = usage.cpu.measured.compactMap { cpuFields[$0] }.sorted()
        // Nomad's MemoryUsage field number and Measured enum value for each of our measured names.
        let memoryFields: [String: (Int, UInt64, UInt64?)] = [
            "RSS": (1, 0, usage.memory.rss), "Cache": (2, 1, usage.memory.cache),
            "Max Usage": (3, 2, usage.memory.maxUsage), "Kernel Usage": (4, 3, usage.memory.kernelUsage),
            "Kernel Max Usage": (5, 4, usage.memory.kernelMaxUsage), "Usage": (7, 5, usage.memory.usage),
            "Swap": (8, 6, usage.memory.swap),
        ]
        for name in usage.memory.measured {
            guard let (field, measured, value) = memoryFields[name], let value else { continue }
            message.memory[field] = value
            message.memoryMeasured.append(measured)
        }
        message.memoryMeasured.sort()
        return message
    }
}
