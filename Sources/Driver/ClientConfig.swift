import FoundationEssentials
import JSONCore
import RktError
import RktSys
import TaskModel

/// The driver's client options from a small agent config file, JSON or HCL-style
/// `key = value` lines:
///
///     volumes_enabled  = true
///     env_blacklist    = ["CONSUL_TOKEN", "VAULT_TOKEN"]   # or "A,B"
///     max_kill_timeout = "30s"
///     rkt_path         = "/usr/local/bin/rkt"
///     data_dir         = "/var/lib/rkt-driver"
///     rkt_dir          = "/var/lib/rkt"
///     consul_address   = "127.0.0.1:8500"
///     auto_advertise   = true      # override the DriverNetwork's AutoAdvertise
///
/// Unknown keys and wrong types are errors naming the file, line and key.
public enum ClientConfig {
    /// Applies the file's options to `settings`.
    public static func apply(file path: String, to settings: inout DriverSettings) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RktError(.notFound, "client config \(path) cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self)
        let entries = text.trimmed.hasPrefix("{") ? try jsonEntries(data, path: path) : try hclEntries(text, path: path)
        for (key, value, line) in entries {
            try apply(key, value, to: &settings, at: "\(path):\(line)")
        }
    }

    /// A value as written in the file.
    enum Value: Equatable {
        case string(String)
        case bool(Bool)
        case number(Double)
        case list([String])
    }

    static func apply(_ key: String, _ value: Value, to settings: inout DriverSettings, at place: String) throws {
        switch (key, value) {
        case ("volumes_enabled", .bool(let enabled)): settings.volumesEnabled = enabled
        case ("env_blacklist", .string(let list)):
            settings.envBlacklist = Set(list.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty })
        case ("env_blacklist", .list(let list)): settings.envBlacklist = Set(list)
        case ("max_kill_timeout", .string(let text)): settings.maxKillTimeout = try duration(text, at: place)
        case ("rkt_path", .string(let path)): settings.rktPath = path
        case ("data_dir", .string(let path)): settings.dataDirectory = path
        case ("rkt_dir", .string(let path)): settings.rktDataDirectory = path
        case ("consul_address", .string(let address)): settings.consulAddress = address
        case ("auto_advertise", .bool(let advertise)): settings.autoAdvertise = advertise
        case ("volumes_enabled", _), ("env_blacklist", _), ("max_kill_timeout", _), ("rkt_path", _), ("data_dir", _),
            ("rkt_dir", _), ("consul_address", _), ("auto_advertise", _):
            throw RktError(
                .invalidArgument, "\(place): \"\(key)\" has the wrong type (see the README for each option's type)")
        default:
            throw RktError(
                .invalidArgument,
                "\(place): \"\(key)\" is not a client option (known: volumes_enabled, env_blacklist, max_kill_timeout, rkt_path, data_dir, rkt_dir, consul_address, auto_advertise)"
            )
        }
    }

    /// Parses Go-style durations: `30s`, `1m30s`, `500ms`, `2h`.
    static func duration(_ text: String, at place: String) throws -> Duration {
        switch DurationText.parse(text) {
        case .success(let duration):
            return duration
        case .failure(.unknownUnit(let unit)):
            throw RktError(.invalidArgument, "\(place): \"\(text)\" has an unknown unit \"\(unit)\"")
        case .failure(.malformed):
            throw RktError(.invalidArgument, "\(place): \"\(text)\" is not a duration (examples: 30s, 1m30s, 500ms)")
        }
    }

    private static func jsonEntries(_ data: Data, path: String) throws -> [(String, Value, Int)] {
        let document: JSONValue
        do {
            document = try JSONValue.parse(Array(data))
        } catch {
            throw RktError(.invalidArgument, "client config \(path): \(error)")
        }
        guard let object = document.objectValue else {
            throw RktError(.invalidArgument, "client config \(path): expected a JSON object")
        }
        return try object.keys.sorted().map { key in
            switch object[key] {
            case .bool(let flag): return (key, .bool(flag), 1)
            case .string(let text): return (key, .string(text), 1)
            case .integer(let number): return (key, .number(Double(number)), 1)
            case .double(let number): return (key, .number(number), 1)
            case .array(let items) where items.allSatisfy({ $0.stringValue != nil }):
                return (key, .list(items.compactMap(\.stringValue)), 1)
            default: throw RktError(.invalidArgument, "client config \(path): \"\(key)\" has an unsupported value")
            }
        }
    }

    private static func hclEntries(_ text: String, path: String) throws -> [(String, Value, Int)] {
        var entries: [(String, Value, Int)] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = stripComment(String(rawLine)).trimmed
            if line.isEmpty {
                continue
            }
            let parts = line.split(separator: "=", maxSplits: 1).map { String($0).trimmed }
            guard parts.count == 2, !parts[0].isEmpty else {
                throw RktError(.invalidArgument, "\(path):\(index + 1): expected key = value")
            }
            entries.append((parts[0], try value(parts[1], at: "\(path):\(index + 1)"), index + 1))
        }
        return entries
    }

    private static func value(_ text: String, at place: String) throws -> Value {
        if text == "true" || text == "false" {
            return .bool(text == "true")
        }
        if let number = Double(text) {
            return .number(number)
        }
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 {
            return .string(String(text.dropFirst().dropLast()))
        }
        if text.hasPrefix("["), text.hasSuffix("]") {
            let items = text.dropFirst().dropLast().split(separator: ",").map { String($0).trimmed }.filter {
                !$0.isEmpty
            }
            return .list(
                try items.map { item in
                    guard case .string(let string) = try value(item, at: place) else {
                        throw RktError(.invalidArgument, "\(place): list items must be quoted strings")
                    }
                    return string
                })
        }
        throw RktError(.invalidArgument, "\(place): cannot read value \(text) (quote strings: \"...\")")
    }

    private static func stripComment(_ line: String) -> String {
        var inString = false
        var result = ""
        var previous: Character = " "
        for character in line {
            if character == "\"" {
                inString.toggle()
            }
            if !inString && (character == "#" || (character == "/" && previous == "/")) {
                return character == "/" ? String(result.dropLast()) : result
            }
            result.append(character)
            previous = character
        }
        return result
    }
}
