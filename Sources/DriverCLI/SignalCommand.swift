import Driver
import FoundationEssentials
import RktError
import RktSys

extension DriverCommandLine {
    static let signalCommand = Command(name: "signal", usage: "signal TASK SIGNAL") { words, globals in
        let arguments = try Arguments(words, valued: [])
        guard arguments.positionals.count == 2 else {
            throw UsageError("expected a task and a signal name or number")
        }
        guard let number = Signals.number(named: arguments.positionals[1]) else {
            throw UsageError("unknown signal \"\(arguments.positionals[1])\" (use a name like SIGUSR1 or a number)")
        }
        let tasks = try TaskSelection(globals: globals)
        let state = try tasks.single(arguments.positionals[0])
        try tasks.driver.reopen(state).signal(number)
        Console.output("sent \(arguments.positionals[1]) to task \"\(state.taskName)\"\n")
        return 0
    }
}
