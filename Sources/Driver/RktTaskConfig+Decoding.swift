import JSONCore
import TaskModel

extension RktTaskConfig {
    /// The option keys of reference §1.1.
    static let fieldNames: Set<String> = [
        "image", "command", "args", "trust_prefix", "insecure_options", "dns_servers", "dns_search_domains", "net",
        "port_map", "volumes", "no_overlay", "debug", "group",
    ]

    /// Decodes a task's config strictly (no weak typing: `"true"` is not a bool) and reports every
    /// problem at once, in helper/fields wording: unknown keys first (sorted), then type mismatches
    /// in the order of the options table, then a missing image. Issues carry no path; see
    /// `decode(task:groupName:)`.
    public static func decode(_ config: JSONValue) throws(SpecError) -> RktTaskConfig {
        guard let fields = config.isNull ? [:] : config.objectValue else {
            throw SpecError([SpecIssue("config must be a map, not \"\(config.displayText)\"")])
        }
        var reader = ObjectReader(fields, path: [])
        reader.rejectUnknown(allowed: fieldNames)
        var result = RktTaskConfig(image: reader.string("image") ?? "")
        result.command = reader.string("command") ?? ""
        result.args = reader.strings("args") ?? []
        result.trustPrefix = reader.string("trust_prefix") ?? ""
        result.insecureOptions = reader.strings("insecure_options") ?? []
        result.dnsServers = reader.strings("dns_servers") ?? []
        result.dnsSearchDomains = reader.strings("dns_search_domains") ?? []
        result.net = reader.strings("net") ?? []
        result.portMap = decodePortMap(&reader)
        result.volumes = reader.strings("volumes") ?? []
        result.noOverlay = reader.bool("no_overlay") ?? false
        result.debug = reader.bool("debug") ?? false
        result.group = reader.string("group") ?? ""
        if fields["image"] == nil || fields["image"] == .null {
            reader.report("field \"image\" is required")
        } else if fields["image"] == .string("") {
            reader.report("field \"image\" is required, but no value was found")
        }
        guard reader.issues.isEmpty else {
            throw SpecError(reader.issues)
        }
        return result
    }

    /// Decodes `task.config`, with issues prefixed `group "g" -> task "t" -> config`.
    public static func decode(task: Task, groupName: String) throws(SpecError) -> RktTaskConfig {
        let path = ["group \"\(groupName)\"", "task \"\(task.name)\""]
        let decoded: Result<RktTaskConfig, SpecError> = Result { () throws(SpecError) in try decode(task.config) }
        var issues: [SpecIssue] = []
        if case .failure(let error) = decoded {
            issues += error.prefixed(by: path + ["config"]).issues
        }
        if let problem = volumeNameProblem(task.name) {
            issues.append(SpecIssue(path: path, problem))
        }
        guard issues.isEmpty, case .success(let config) = decoded else {
            throw SpecError(issues)
        }
        return config
    }

    /// The task name goes into rkt volume names (`<allocID>-<task>-alloc`, `_` as `-`), which rkt
    /// allows only lower-case letters, digits and dashes in; the upstream driver let rkt fail on
    /// other names at run time.
    static func volumeNameProblem(_ taskName: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        guard !taskName.isEmpty, !taskName.allSatisfy({ allowed.contains($0) }) else {
            return nil
        }
        return "the rkt driver needs a task name of lower-case letters, digits, \"-\" and \"_\" (it names the "
            + "pod's volumes); rename task \"\(taskName)\", e.g. to \"\(suggestedName(taskName))\""
    }

    private static func suggestedName(_ taskName: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-_")
        return String(taskName.lowercased().map { allowed.contains($0) ? $0 : "-" })
    }

    /// `port_map` as an object `{label: name}` or Nomad's list of such objects, merged so that
    /// later entries win. A number as a name is kept as its decimal text (see `AppcManifest`).
    static func decodePortMap(_ reader: inout ObjectReader) -> [String: String] {
        guard let value = reader.value("port_map") else {
            return [:]
        }
        let maps: [JSONValue]
        switch value {
        case .object:
            maps = [value]
        case .array(let elements):
            maps = elements
        default:
            reader.mismatch("port_map", value, "array")
            return [:]
        }
        var merged: [String: String] = [:]
        for map in maps {
            guard let members = map.objectValue else {
                reader.mismatch("port_map", map, "map")
                continue
            }
            for (label, name) in members.sorted(by: { $0.key < $1.key }) {
                switch name {
                case .string(let text):
                    merged[label] = text
                case .integer(let number):
                    merged[label] = String(number)
                default:
                    reader.mismatch("port_map", name, "string")
                }
            }
        }
        return merged
    }
}
