import Cgroups
import Driver
import FoundationEssentials
import RktError
import RktSys

/// The tasks saved under the driver's data dir, looked up the way operators name them: a task
/// ID, a task name, or a job ID (all of its tasks).
struct TaskSelection {
    let driver: RktDriver
    let store: TaskStateStore

    init(globals: GlobalDriverOptions) throws {
        let settings = try globals.makeSettings()
        driver = RktDriver(settings: settings, logger: Logger(label: "rkt-driver", level: globals.logLevel))
        store = TaskStateStore(dataDirectory: settings.dataDirectory)
    }

    /// The tasks `name` designates (every task when nil and `allowAll`); an error if none.
    func matching(_ name: String?, allowAll: Bool) throws -> [TaskState] {
        let all = store.all { problem in
            Console.error("rkt-driver: \(problem)\n")
        }
        guard let name else {
            if allowAll {
                return all
            }
            throw RktError(.invalidArgument, "name a job, a task or a task ID")
        }
        let found = all.filter {
            $0.taskID == name || $0.taskName == name || $0.jobID == name || $0.taskID.hasPrefix(name)
        }
        guard !found.isEmpty else {
            throw RktError(.notFound, "no task or job named \"\(name)\" under \(store.root)")
        }
        return found
    }

    /// The one task `name` selects; a name that matches several (a job, or a task name used in
    /// two jobs) is an error that lists their task IDs.
    func single(_ name: String) throws -> TaskState {
        let found = try matching(name, allowAll: false)
        guard found.count == 1 else {
            throw RktError(
                .invalidArgument,
                "\"\(name)\" matches \(found.count) tasks (\(found.map(\.taskID).sorted().joined(separator: ", "))); "
                    + "use a task ID")
        }
        return found[0]
    }

    /// What `status` shows for one task (re-opening its handle to learn its true state).
    /// `oomKilled` comes from the saved state, else (an ended task whose pod is not removed
    /// yet) from `rkt status`.
    func report(for state: TaskState) -> TaskReport {
        let handle = driver.reopen(state)
        let outcome = handle.poll()
        let status: String
        var exit: String?
        var oomKilled = handle.taskState.oomKilled
        switch outcome {
        case nil: status = "running"
        case .lost: status = "lost"
        case .exited(let code):
            status = "exited"
            exit = "\(code)"
            if oomKilled == nil && !handle.taskState.podRemoved {
                oomKilled = driver.podOOMKilled(state.podUUID)
            }
        }
        return TaskReport(
            taskID: state.taskID, job: state.jobID, group: state.groupName, task: state.taskName, pod: state.podUUID,
            state: status, exit: exit, oomKilled: oomKilled, podRemoved: handle.taskState.podRemoved,
            network: state.network, startedAt: state.startedAt, executorPID: state.executorPID)
    }

    /// The reports of `states`; with `stats`, running tasks also get their live usage (one
    /// ~100 ms sampling interval for all of them).
    func reports(for states: [TaskState], stats: Bool) -> [TaskReport] {
        var reports = states.map { report(for: $0) }
        guard stats else {
            return reports
        }
        let running = Set(reports.filter { $0.state == "running" }.map(\.taskID))
        let usage = driver.liveStats(states.filter { running.contains($0.taskID) })
        for index in reports.indices {
            reports[index].stats = usage[reports[index].taskID]
        }
        return reports
    }
}

/// One line of `rkt-driver status`.
struct TaskReport: Codable {
    let taskID: String
    let job: String
    let group: String
    let task: String
    let pod: String
    let state: String
    let exit: String?
    /// Known once the task ended (see `report(for:)`); nil while running or when unknown.
    let oomKilled: Bool?
    let podRemoved: Bool
    let network: DriverNetwork?
    let startedAt: Date
    let executorPID: Int32
    /// Live usage of a running task (`status --json` only); CPU percent of the task's CPU ask,
    /// see RktDriver.liveStats.
    var stats: TaskResourceUsage?

    static func table(_ reports: [TaskReport]) -> String {
        var lines = ["TASK ID\tJOB\tTASK\tPOD\tSTATE\tEXIT\tNETWORK"]
        for report in reports {
            let network = report.network.map { network in
                "\(network.ip) "
                    + network.portMap.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            }
            lines.append(
                [
                    report.taskID, report.job, report.task, String(report.pod.prefix(8)), report.state,
                    (report.exit ?? "-") + (report.oomKilled == true ? ", oom-killed" : ""), network ?? "-",
                ]
                .joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
