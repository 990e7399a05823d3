import FoundationEssentials
import RktSys

extension DriverCommandLine {
    static let validateCommand = Command(name: "validate", usage: "validate JOBFILE") { words, _ in
        let arguments = try Arguments(words, valued: [])
        guard arguments.positionals.count == 1 else {
            throw UsageError("expected exactly one job file")
        }
        _ = try JobLoader.load(arguments.positionals[0])
        Console.output("Job validation successful\n")
        return 0
    }
}
