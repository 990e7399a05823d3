import RktError

/// Reads Go/cobra-style flags (`--name=value`, `--name value`, bare `--bool`) from a list of
/// words, leaving positional words and everything after `--` to the caller.
struct FlagReader {
    enum Kind {
        case bool
        case value
    }

    private(set) var words: [String]
    private(set) var index = 0
    let kinds: [String: Kind]

    init(_ words: [String], kinds: [String: Kind]) {
        self.words = words
        self.kinds = kinds
    }

    var atEnd: Bool { index >= words.count }

    /// The next word without consuming it.
    var peek: String? { atEnd ? nil : words[index] }

    /// One step: a flag (name, value), or a positional word (nil name), or `--` (name "--").
    mutating func next() throws -> (name: String?, value: String)? {
        guard let word = peek else {
            return nil
        }
        index += 1
        if word == "--" {
            return ("--", "")
        }
        guard word.hasPrefix("-"), word.count > 1 else {
            return (nil, word)
        }
        let body = word.drop { $0 == "-" }
        let parts = body.split(separator: "=", maxSplits: 1).map(String.init)
        let name = parts[0]
        guard let kind = kinds[name] else {
            throw RktError(.invalidArgument, "unknown flag: --\(name)")
        }
        if parts.count == 2 {
            return (name, parts[1])
        }
        switch kind {
        case .bool:
            return (name, "true")
        case .value:
            guard let value = peek else {
                throw RktError(.invalidArgument, "flag needs an argument: --\(name)")
            }
            index += 1
            return (name, value)
        }
    }

    /// Consumes the next word as it is, flag or not.
    mutating func take() -> String? {
        guard let word = peek else {
            return nil
        }
        index += 1
        return word
    }

    /// Everything not yet read.
    mutating func rest() -> [String] {
        defer { index = words.count }
        return Array(words[index...])
    }
}

/// Parses a flag's boolean value the way Go's strconv.ParseBool does.
func parseBool(_ text: String, flag: String) throws -> Bool {
    switch text {
    case "1", "t", "T", "true", "TRUE", "True": return true
    case "0", "f", "F", "false", "FALSE", "False": return false
    default: throw RktError(.invalidArgument, "invalid argument \"\(text)\" for --\(flag): not a boolean")
    }
}
