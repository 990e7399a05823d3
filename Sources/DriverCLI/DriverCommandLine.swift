import FoundationEssentials
import Glibc
import RktError
import RktSys

/// The `rkt-driver` executable: sub-commands, global options, exit codes (0 ok, 1 failure,
/// 2 usage).
public enum DriverCommandLine {
    /// One sub-command.
    struct Command: Sendable {
        let name: String
        let usage: String
        let run: @Sendable ([String], GlobalDriverOptions) throws -> Int32
    }

    static let commands: [Command] = [
        runCommand, statusCommand, stopCommand, signalCommand, logsCommand, execCommand, gcCommand, validateCommand,
        fingerprintCommand, servicesCommand, buildACICommand, pluginCommand,
    ]

    /// Runs the command line and returns the exit code.
    public static func main(_ arguments: [String]) -> Int32 {
        var words: [String]
        switch pluginLaunch(arguments, environment: ProcessInfo.processInfo.environment) {
        case .success(let launch): words = launch
        case .failure(let error):
            Console.error("\(error)\n")
            return 1
        }
        if let first = words.first, ["help", "--help", "-h"].contains(first) {
            Console.output(usageText)
            return 0
        }
        var globals = GlobalDriverOptions()
        do {
            words = try globals.consume(words)
        } catch {
            return usageFailure("\(error)")
        }
        guard let name = words.first else {
            return usageFailure("missing command")
        }
        guard let command = commands.first(where: { $0.name == name }) else {
            return usageFailure("unknown command \"\(name)\"")
        }
        if command.name == "plugin" {
            // The plugin takes SIGTERM as a shutdown request (see PluginServer.serve).
            Signals.unblock(supervisedSignals.filter { $0 != SIGTERM })
        } else if command.name != "run" {
            Signals.unblock(supervisedSignals)
        }
        do {
            return try command.run(Array(words.dropFirst()), globals)
        } catch let error as UsageError {
            Console.error("rkt-driver \(name): \(error)\nusage: \(command.usage)\n")
            return 2
        } catch {
            Console.error("rkt-driver \(name): \(error)\n")
            return 1
        }
    }

    /// The signals `run` waits for; blocked in `main` before any thread starts.
    public static let supervisedSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGCHLD]

    /// The global usage line and every command's usage.
    static var usageText: String {
        var text =
            "usage: rkt-driver [--config FILE] [--data-dir DIR] [--rkt PATH] [--rkt-dir DIR] [--volumes-enabled BOOL] [--log-level LEVEL] COMMAND\n\ncommands:\n"
        for command in commands {
            text += "  \(command.usage)\n"
        }
        return text
    }

    static func usageFailure(_ message: String) -> Int32 {
        Console.error("rkt-driver: \(message)\n\n\(usageText)")
        return 2
    }
}

/// Options valid before any sub-command.
struct GlobalDriverOptions {
    var dataDirectory: String?
    var rktPath: String?
    var rktDataDirectory: String?
    var logLevel: Logger.Level = .info
    var volumesEnabled: Bool?
    var configFile: String?

    /// Reads leading `--option value` pairs and returns the remaining words.
    mutating func consume(_ words: [String]) throws -> [String] {
        var rest = words[...]
        while let word = rest.first, word.hasPrefix("--") {
            let parts = word.dropFirst(2).split(separator: "=", maxSplits: 1).map(String.init)
            rest = rest.dropFirst()
            let value: String
            if parts.count == 2 {
                value = parts[1]
            } else if let next = rest.first {
                value = next
                rest = rest.dropFirst()
            } else {
                throw UsageError("--\(parts[0]) needs a value")
            }
            switch parts[0] {
            case "data-dir": dataDirectory = value
            case "rkt": rktPath = value
            case "rkt-dir": rktDataDirectory = value
            case "volumes-enabled":
                guard let enabled = Bool(value) else {
                    throw UsageError("--volumes-enabled: \"\(value)\" is not true or false")
                }
                volumesEnabled = enabled
            case "config": configFile = value
            case "log-level":
                guard let level = Logger.Level(name: value) else {
                    throw UsageError(
                        "--log-level: \"\(value)\" is not one of trace, debug, info, notice, warning, error")
                }
                logLevel = level
            default: throw UsageError("unknown option --\(parts[0])")
            }
        }
        return Array(rest)
    }
}
