import Driver
import FoundationEssentials
import Glibc
import RktError
import RktSys
import Synchronization

extension DriverCommandLine {
    static let statusCommand = Command(name: "status", usage: "status [--json] [TASK]") { words, globals in
        let arguments = try Arguments(words, valued: [], booleans: ["json"])
        let tasks = try TaskSelection(globals: globals)
        let selected = try tasks.matching(arguments.positionals.first, allowAll: true)
        let reports = tasks.reports(for: selected, stats: arguments.flag("json"))
        if arguments.flag("json") {
            Console.output(try JSON.encodeString(reports, pretty: true) + "\n")
        } else {
            Console.output(TaskReport.table(reports))
        }
        return 0
    }

    static let stopCommand = Command(name: "stop", usage: "stop JOB|TASK") { words, globals in
        let arguments = try Arguments(words, valued: [])
        guard arguments.positionals.count == 1 else {
            throw UsageError("expected a job ID, a task name or a task ID")
        }
        let tasks = try TaskSelection(globals: globals)
        let states = try tasks.matching(arguments.positionals[0], allowAll: false)
        let lines = Mutex([String](repeating: "", count: states.count))
        concurrently(states.count) { index in
            let state = states[index]
            let handle = tasks.driver.reopen(state)
            let outcome = handle.kill()
            if outcome == .lost {
                tasks.driver.cleanUpLost(handle)
            } else {
                tasks.driver.cleanup(handle)
            }
            lines.withLock { $0[index] = "task \"\(state.taskName)\" (\(state.taskID)): \(outcome)\n" }
        }
        Console.output(lines.withLock { $0.joined() })
        return 0
    }

    static let logsCommand = Command(name: "logs", usage: "logs [-f] [--stderr] TASK") { words, globals in
        let normalized = words.map { $0 == "-f" ? "--follow" : $0 }
        let arguments = try Arguments(normalized, valued: [], booleans: ["follow", "stderr"])
        guard arguments.positionals.count == 1 else {
            throw UsageError("expected one task")
        }
        let tasks = try TaskSelection(globals: globals)
        let state = try tasks.single(arguments.positionals[0])
        let follower = LogFollower(
            directory: state.logDirectory, task: state.taskName, stream: arguments.flag("stderr") ? "stderr" : "stdout")
        try follower.run(follow: arguments.flag("follow")) {
            tasks.driver.reopen(state).poll() == nil
        }
        return 0
    }

    static let execCommand = Command(name: "exec", usage: "exec TASK -- CMD [ARGS...]") { words, globals in
        let arguments = try Arguments(words, valued: [])
        guard arguments.positionals.count == 1, let command = arguments.trailing, !command.isEmpty else {
            throw UsageError("expected a task, then -- and a command")
        }
        let tasks = try TaskSelection(globals: globals)
        let state = try tasks.single(arguments.positionals[0])
        let settings = tasks.driver.settings
        let child = try Subprocess.spawn(
            settings.rktPath, settings.rktGlobalArguments + ["enter", state.podUUID] + command,
            environment: settings.rktEnvironment())
        return try child.wait().shellCode
    }

    static let gcCommand = Command(name: "gc", usage: "gc") { words, globals in
        _ = try Arguments(words, valued: [])
        let tasks = try TaskSelection(globals: globals)
        var removed = 0
        for state in tasks.store.all() {
            let handle = tasks.driver.reopen(state)
            guard let outcome = handle.poll() else {
                continue
            }
            if outcome == .lost {
                tasks.driver.cleanUpLost(handle)
            } else {
                tasks.driver.cleanup(handle)
            }
            try tasks.store.remove(state.taskID)
            removed += 1
        }
        let liveAllocs = Set(tasks.store.all().map(\.allocID))
        let allocRoot = "\(tasks.driver.settings.dataDirectory)/alloc"
        for allocID in (try? FileSystem.list(allocRoot)) ?? [] where !liveAllocs.contains(allocID) {
            try FileSystem.removeTree("\(allocRoot)/\(allocID)")
        }
        let output = try Subprocess.run(
            tasks.driver.settings.rktPath, tasks.driver.settings.rktGlobalArguments + ["gc", "--grace-period=0s"],
            environment: tasks.driver.settings.rktEnvironment())
        Console.output("removed \(removed) ended task(s)\n\(output.stderrText)")
        return output.status.succeeded ? 0 : 1
    }
}
