import RktError

/// rkt's persistent flags, valid before or after the sub-command.
struct GlobalOptions {
    var dataDirectory = "/var/lib/rkt"
    var localConfig = "/etc/rkt"
    var debug = false
    var insecure = "none"

    static let kinds: [String: FlagReader.Kind] = [
        "dir": .value, "local-config": .value, "system-config": .value, "user-config": .value, "debug": .bool,
        "insecure-options": .value, "trust-keys-from-https": .bool,
    ]

    /// Applies a global flag; returns false if `name` is not one.
    mutating func apply(_ name: String, _ value: String) throws -> Bool {
        switch name {
        case "dir": dataDirectory = value
        case "local-config": localConfig = value
        case "debug": debug = try parseBool(value, flag: name)
        case "insecure-options": insecure = value
        case "system-config", "user-config", "trust-keys-from-https": break
        default: return false
        }
        return true
    }
}
