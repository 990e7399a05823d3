import RktError

/// The parsed words of one `rkt-driver` sub-command: `--flag value`, `--flag=value`, bare
/// boolean `--flag`, positionals, and everything after `--`.
struct Arguments {
    private(set) var values: [String: [String]] = [:]
    private(set) var positionals: [String] = []
    private(set) var trailing: [String]?

    /// Parses `words` given which flags take a value and which are booleans; an unknown flag is
    /// a usage error naming it.
    init(_ words: [String], valued: Set<String>, booleans: Set<String> = []) throws {
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            if word == "--" {
                trailing = Array(words[index...])
                return
            }
            guard word.hasPrefix("--"), word.count > 2 else {
                positionals.append(word)
                continue
            }
            let body = word.dropFirst(2)
            let parts = body.split(separator: "=", maxSplits: 1).map(String.init)
            if booleans.contains(parts[0]) {
                values[parts[0], default: []].append(parts.count == 2 ? parts[1] : "true")
            } else if valued.contains(parts[0]) {
                if parts.count == 2 {
                    values[parts[0], default: []].append(parts[1])
                } else {
                    guard index < words.count else {
                        throw UsageError("flag --\(parts[0]) needs a value")
                    }
                    values[parts[0], default: []].append(words[index])
                    index += 1
                }
            } else {
                throw UsageError("unknown flag --\(parts[0])")
            }
        }
    }

    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func flag(_ name: String) -> Bool { values[name]?.last.map { $0 == "true" || $0 == "1" } ?? false }
}

/// A command-line mistake: printed with the command's usage, exit code 2.
struct UsageError: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) {
        description = message
    }
}
