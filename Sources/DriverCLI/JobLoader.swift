import Driver
import FoundationEssentials
import RktError
import RktSys
import TaskModel

/// Loads a job file and checks everything `nomad job validate` would, plus every rkt task's
/// config, collecting all errors at once.
enum JobLoader {
    static func load(_ path: String) throws -> Job {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RktError(.notFound, "job file \"\(path)\" does not exist")
        }
        guard let text = String(validating: try FileSystem.read(path), as: UTF8.self) else {
            throw RktError(.invalidArgument, "job file \"\(path)\" is not UTF-8 text; save it as UTF-8 JSON")
        }
        let job: Job
        do {
            job = try JobDecoder.load(text, source: "\"\(path)\"")
        } catch {
            throw ValidationFailure(messages: error.messages)
        }
        var messages: [String] = []
        for group in job.taskGroups {
            for task in group.tasks {
                guard task.driver == "rkt" else {
                    messages.append(
                        "group \"\(group.name)\" -> task \"\(task.name)\": driver \"\(task.driver)\" is not supported; rkt-driver runs rkt tasks only"
                    )
                    continue
                }
                do {
                    _ = try RktTaskConfig.decode(task: task, groupName: group.name)
                } catch {
                    messages += error.messages
                }
            }
        }
        guard messages.isEmpty else {
            throw ValidationFailure(messages: messages)
        }
        return job
    }
}

/// Every validation error of a job, one per line.
struct ValidationFailure: Error, CustomStringConvertible {
    let messages: [String]

    var description: String {
        "job is invalid (\(messages.count) error\(messages.count == 1 ? "" : "s")):\n"
            + messages.map { "  * \($0)" }.joined(separator: "\n")
    }
}
