import Foundation

extension DriverCommandLine {
    static let validateCommand = Command(name: "validate", usage: "validate JOBFILE") { words, _ in
        let arguments = try Arguments(words, valued: [])
        guard arguments.positionals.count == 1 else {
            throw UsageError("expected exactly one job file")
        }
        _ = try JobLoader.load(arguments.positionals[0])
        FileHandle.standardOutput.write(Data("Job validation successful\n".utf8))
        return 0
    }
}
