import Driver
import Foundation
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
            FileHandle.standardError.write(Data("rkt-driver: \(problem)\n".utf8))
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

    /// What `status` shows for one task (re-opening its handle to learn its true state).
    func report(for state: TaskState) -> TaskReport {
        let handle = driver.reopen(state)
        let outcome = handle.poll()
        let status: String
        var exit: String?
        switch outcome {
        case nil: status = "running"
        case .lost: status = "lost"
        case .exited(let code):
            status = "exited"
            exit = "\(code)"
        }
        return TaskReport(
            taskID: state.taskID, job: state.jobID, group: state.groupName, task: state.taskName, pod: state.podUUID,
            state: status, exit: exit, podRemoved: handle.taskState.podRemoved, network: state.network,
            startedAt: state.startedAt, executorPID: state.executorPID)
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
    let podRemoved: Bool
    let network: DriverNetwork?
    let startedAt: Date
    let executorPID: Int32

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
                    report.exit ?? "-", network ?? "-",
                ]
                .joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
