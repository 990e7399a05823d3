/// What the client node contributes to interpolation: `${node.*}`, `${attr.*}` and `${meta.*}`.
public struct NodeContext: Equatable, Sendable {
    public var datacenter: String
    /// Node properties without the `node.` prefix, e.g. `unique.id`, `unique.name`, `class`.
    /// `datacenter` is filled in from `datacenter` when absent.
    public var properties: [String: String]
    /// Node attributes without the `attr.` prefix, e.g. `kernel.name`.
    public var attributes: [String: String]
    /// Node meta without the `meta.` prefix.
    public var meta: [String: String]

    public init(
        datacenter: String, properties: [String: String] = [:], attributes: [String: String] = [:],
        meta: [String: String] = [:]
    ) {
        self.datacenter = datacenter
        self.properties = properties
        self.attributes = attributes
        self.meta = meta
    }

    /// The value for a `node.`/`attr.`/`meta.` name, or nil for any other name.
    public func lookup(_ name: String) -> String? {
        if name.hasPrefix("node.") {
            let key = String(name.dropFirst(5))
            return properties[key] ?? (key == "datacenter" ? datacenter : nil)
        }
        if name.hasPrefix("attr.") {
            return attributes[String(name.dropFirst(5))]
        }
        if name.hasPrefix("meta.") {
            return meta[String(name.dropFirst(5))]
        }
        return nil
    }
}

/// The environment of one image-isolated task: Nomad's `NOMAD_*` variables, the port variables and
/// the task's own `env` block, plus the node data used for `${...}` interpolation.
/// Host environment variables are never part of it.
public struct TaskEnvironment: Equatable, Sendable {
    public let variables: [String: String]
    public let node: NodeContext

    public init(variables: [String: String], node: NodeContext) {
        self.variables = variables
        self.node = node
    }

    /// The variables as `(key, value)` pairs sorted by key, for deterministic argv and files.
    public var sortedPairs: [(key: String, value: String)] {
        variables.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    /// Replaces each `${name}` with the task variable `name`, or with node data for `node.*`,
    /// `attr.*` and `meta.*` names. Unknown names (and an unclosed `${`) are left as written.
    public func interpolate(_ text: String) -> String {
        TaskEnvironment.interpolate(text) { name in
            node.lookup(name) ?? variables[name]
        }
    }

    /// Interpolation with an arbitrary lookup.
    static func interpolate(_ text: String, lookup: (String) -> String?) -> String {
        var output = ""
        var rest = text[...]
        while let open = rest.firstRange(of: "${") {
            output += rest[..<open.lowerBound]
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstIndex(of: "}") else {
                output += rest[open.lowerBound...]
                return output
            }
            let name = String(afterOpen[..<close])
            output += lookup(name) ?? "${\(name)}"
            rest = afterOpen[afterOpen.index(after: close)...]
        }
        return output + rest
    }

    /// Makes `key` a safe variable name: each character outside `[A-Za-z0-9_.]` becomes `_`,
    /// and so does a digit in the first position.
    public static func sanitizeKey(_ key: String) -> String {
        var output = ""
        for (offset, character) in key.enumerated() {
            let isAllowed =
                character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == ".")
            let isLeadingDigit = offset == 0 && character.isASCII && character.isNumber
            output.append(isAllowed && !isLeadingDigit ? character : "_")
        }
        return output
    }
}
