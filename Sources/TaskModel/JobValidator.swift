import RktSys

/// Checks the meaning of a decoded job and reports every problem at once, each with its path.
///
/// Where Nomad documents a message (service and check address modes, numeric check ports) it is
/// reproduced exactly; the other messages are our own wording in the same `field "X" ...` style.
public enum JobValidator {
    /// Throws every issue found, or returns when the job is valid.
    public static func validate(_ job: Job) throws(SpecError) {
        let found = issues(in: job)
        guard found.isEmpty else {
            throw SpecError(found)
        }
    }

    /// Every issue found in `job`, in document order.
    public static func issues(in job: Job) -> [SpecIssue] {
        var found: [SpecIssue] = []
        func add(_ message: String) {
            found.append(SpecIssue(message))
        }
        if job.id.isEmpty {
            add("field \"ID\" is required")
        } else if job.id.contains(" ") {
            add("job ID \"\(job.id)\" must not contain spaces")
        }
        if job.name.isEmpty {
            add("field \"Name\" is required")
        }
        if !["service", "batch", "system"].contains(job.type) {
            add("job type must be \"service\", \"batch\", or \"system\"; not \"\(job.type)\"")
        }
        if job.region.isEmpty {
            add("field \"Region\" is required")
        }
        if job.datacenters.isEmpty {
            add("field \"Datacenters\" must list at least one datacenter")
        }
        if job.taskGroups.isEmpty {
            add("job must have at least one task group")
        }
        for name in duplicates(job.taskGroups.map(\.name)) {
            add("group \"\(name)\" is defined more than once")
        }
        for (index, group) in job.taskGroups.enumerated() {
            found += groupIssues(group, path: [SpecPath.group(group.name, index: index)])
        }
        return found
    }

    static func groupIssues(_ group: TaskGroup, path: [String]) -> [SpecIssue] {
        var found: [SpecIssue] = []
        func add(_ message: String) {
            found.append(SpecIssue(path: path, message))
        }
        if group.name.isEmpty {
            add("field \"Name\" is required")
        }
        if group.count < 1 {
            add("field \"Count\" must be at least 1; got \(group.count)")
        }
        if group.tasks.isEmpty {
            add("group must have at least one task")
        }
        for name in duplicates(group.tasks.map(\.name)) {
            add("task \"\(name)\" is defined more than once")
        }
        for (index, task) in group.tasks.enumerated() {
            found += taskIssues(task, path: path + [SpecPath.task(task.name, index: index)])
        }
        return found
    }

    static func taskIssues(_ task: Task, path: [String]) -> [SpecIssue] {
        var found: [SpecIssue] = []
        func add(_ message: String) {
            found.append(SpecIssue(path: path, message))
        }
        if task.name.isEmpty {
            add("field \"Name\" is required")
        } else if task.name.contains("/") || task.name.contains("\0") || task.name == "." || task.name == ".." {
            add("task name \"\(task.name)\" must not contain \"/\" or be \".\" or \"..\" (it names directories)")
        }
        if !task.killSignal.isEmpty, Signals.number(named: task.killSignal) == nil {
            add("field \"KillSignal\": unknown signal \"\(task.killSignal)\"; use a name such as SIGINT or SIGTERM")
        }
        if task.driver.isEmpty {
            add("field \"Driver\" is required")
        }
        if task.killTimeout < .zero {
            add("field \"KillTimeout\" must not be negative")
        }
        if task.logConfig.maxFiles < 1 || task.logConfig.maxFileSizeMB < 1 {
            add("logs: MaxFiles and MaxFileSizeMB must be at least 1")
        }
        found += resourceIssues(task.resources, path: path + ["resources"])
        let labels = Set(task.resources.allPorts.map(\.label))
        for (index, service) in task.services.enumerated() {
            let servicePath = path + [SpecPath.service(service.name, index: index)]
            found += serviceIssues(service, portLabels: labels, path: servicePath)
        }
        return found
    }

    /// The values that occur more than once, in order of their second occurrence.
    static func duplicates(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        var reported: Set<String> = []
        var result: [String] = []
        for value in values where !value.isEmpty {
            if !seen.insert(value).inserted, reported.insert(value).inserted {
                result.append(value)
            }
        }
        return result
    }
}
