import FoundationEssentials
import Glibc
import Network
import PodRuntime
import RktError
import RktSys

/// The `rkt` executable: global flags, sub-command dispatch (unique prefixes accepted, like
/// cobra), and rkt's exit-code conventions (254 for any runtime failure, 2 without a command).
public enum RktCommandLine {
    /// One sub-command: its flags and what it does with the words after its name.
    struct Command: Sendable {
        let name: String
        let summary: String
        let flags: [String: FlagReader.Kind]
        let supervises: Bool
        let run: @Sendable (inout Invocation) throws -> Int32
    }

    /// What a command gets to work with.
    struct Invocation {
        var globals: GlobalOptions
        var reader: FlagReader
        var output: (String) -> Void = { Console.output($0) }

        var runtime: RuntimeContext {
            RuntimeContext(
                dataDirectory: globals.dataDirectory, localConfigDirectory: globals.localConfig,
                logger: Logger(label: "rkt", level: globals.debug ? .debug : .warning))
        }

        var insecure: InsecureOptions {
            get throws { try InsecureOptions(parsing: globals.insecure) }
        }

        /// Reads the command's flags until the first positional word; applies global flags.
        mutating func flags() throws -> [(String, String)] {
            var result: [(String, String)] = []
            while let word = reader.peek, word.hasPrefix("-"), word != "--", word != "-" {
                guard let (name, value) = try reader.next(), let name else {
                    break
                }
                if try !globals.apply(name, value) {
                    result.append((name, value))
                }
            }
            return result
        }

        /// Positional words, with global flags that appear among them applied.
        mutating func positionals() throws -> [String] {
            var words: [String] = []
            while let (name, value) = try reader.next() {
                if let name, try !globals.apply(name, value) {
                    throw RktError(.invalidArgument, "unexpected flag --\(name)")
                } else if name == nil {
                    words.append(value)
                }
            }
            return words
        }
    }

    static let commands: [Command] = [
        versionCommand, prepareCommand, runPreparedCommand, runCommand, statusCommand, listCommand,
        catManifestCommand, removeCommand, trustCommand, stopCommand, enterCommand, gcCommand,
    ]

    /// Runs the command line and returns the process exit code.
    public static func main(_ arguments: [String]) -> Int32 {
        var globals = GlobalOptions()
        var reader = FlagReader(arguments, kinds: GlobalOptions.kinds)
        do {
            while let word = reader.peek, word.hasPrefix("-") {
                guard let (name, value) = try reader.next(), let name, try globals.apply(name, value) else {
                    throw RktError(.invalidArgument, "unknown flag: \(word)")
                }
            }
        } catch {
            return fail("rkt", error)
        }
        guard let name = reader.peek else {
            printUsage()
            return 2
        }
        let matches =
            commands.filter { $0.name == name } + commands.filter { $0.name != name && $0.name.hasPrefix(name) }
        guard let command = matches.first, matches.count == 1 || matches[0].name == name else {
            Console.error("rkt: unknown command \"\(name)\"\n")
            printUsage()
            return 254
        }
        if !command.supervises {
            Signals.unblock(RunSupervisor.forwardedSignals)
        }
        var invocation = Invocation(
            globals: globals,
            reader: FlagReader(
                reader.rest().dropFirst().map { $0 }, kinds: command.flags.merging(GlobalOptions.kinds) { a, _ in a }))
        do {
            return try command.run(&invocation)
        } catch {
            return fail(command.name, error)
        }
    }

    static func fail(_ prefix: String, _ error: any Error) -> Int32 {
        Console.error("\(prefix): \(error)\n")
        return 254
    }

    private static func printUsage() {
        var text = "Usage: rkt [--dir=DIR] [--debug] [--insecure-options=LIST] COMMAND [FLAGS] [ARGS]\n\nCommands:\n"
        for command in commands {
            let padding = String(repeating: " ", count: max(0, 14 - command.name.count))
            text += "  \(command.name)\(padding)\(command.summary)\n"
        }
        Console.error(text)
    }
}
