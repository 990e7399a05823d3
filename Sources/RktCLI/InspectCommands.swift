import FoundationEssentials
import Network
import PodRuntime
import RktError
import RktSys

extension RktCommandLine {
    /// The version text: the first two lines are what Nomad's fingerprint regexes read.
    static let versionText = """
        rkt Version: 1.30.0
        appc Version: 0.8.11
        Swift Version: 6
        Go OS/Arch: linux/amd64
        Features: -TPM -SDJOURNAL

        """

    static let versionCommand = Command(name: "version", summary: "Print the version", flags: [:], supervises: false) {
        invocation in
        _ = try invocation.positionals()
        invocation.output(versionText)
        return 0
    }

    static let statusCommand = Command(
        name: "status", summary: "Show a pod's state", flags: ["format": .value, "uuid-file": .value, "wait": .value],
        supervises: false
    ) { invocation in
        let flags = Dictionary(try invocation.flags(), uniquingKeysWith: { _, b in b })
        let uuid = try podArgument(&invocation, uuidFile: flags["uuid-file"], command: "status")
        let status = PodStatus.read(try invocation.runtime.pods.find(uuid))
        invocation.output(try render(status, format: flags["format"] ?? "") ?? textStatus(status))
        return 0
    }

    static let listCommand = Command(
        name: "list", summary: "List pods", flags: ["format": .value, "full": .bool, "no-legend": .bool],
        supervises: false
    ) { invocation in
        let flags = Dictionary(try invocation.flags(), uniquingKeysWith: { _, b in b })
        _ = try invocation.positionals()
        let entries = invocation.runtime.pods.entries(in: [.prepare, .prepared, .run, .exitedGarbage])
        let statuses = entries.map(PodStatus.read)
        if let json = try render(statuses.isEmpty ? nil : statuses, format: flags["format"] ?? "") {
            invocation.output(json)
            return 0
        }
        var text = flags["no-legend"] == "true" ? "" : "UUID\tAPP\tIMAGE NAME\tSTATE\tNETWORKS\n"
        for status in statuses {
            let networks = (status.networks ?? []).map { "\($0.netName):ip4=\($0.ip ?? "")" }.joined(separator: ", ")
            let uuid = flags["full"] == "true" ? status.name : String(status.name.prefix(8))
            text +=
                "\(uuid)\t\(status.appNames?.joined(separator: ",") ?? "-")\t\(status.apps?.first?.imageID.prefix(19) ?? "")\t\(status.state)\t\(networks)\n"
        }
        invocation.output(text)
        return 0
    }

    static let catManifestCommand = Command(
        name: "cat-manifest", summary: "Print a pod's manifest", flags: ["pretty-print": .bool, "uuid-file": .value],
        supervises: false
    ) { invocation in
        let flags = Dictionary(try invocation.flags(), uniquingKeysWith: { _, b in b })
        let uuid = try podArgument(&invocation, uuidFile: flags["uuid-file"], command: "cat-manifest")
        let entry = try invocation.runtime.pods.find(uuid)
        let manifest = try JSON.decode(
            PodManifest.self, from: try FileSystem.read(PodPaths(podDirectory: entry.path).manifest))
        invocation.output(
            try JSON.encodeString(
                manifest, pretty: try parseBool(flags["pretty-print"] ?? "true", flag: "pretty-print")) + "\n")
        return 0
    }

    static let removeCommand = Command(
        name: "rm", summary: "Remove exited or prepared pods", flags: ["uuid-file": .value], supervises: false
    ) {
        invocation in
        let flags = Dictionary(try invocation.flags(), uniquingKeysWith: { _, b in b })
        var uuids = try invocation.positionals()
        if let file = flags["uuid-file"] {
            uuids.append(try FileSystem.readText(file).trimmed)
        }
        guard !uuids.isEmpty else {
            throw RktError(.invalidArgument, "missing pod UUID: rkt rm UUID...")
        }
        let remover = PodRemover(runtime: invocation.runtime)
        var failed = 0
        for uuid in uuids {
            do {
                invocation.output("\"\(try remover.remove(uuid))\"\n")
            } catch {
                Console.error("rm: \(error)\n")
                failed += 1
            }
        }
        guard failed == 0 else {
            throw RktError(.internal, "failed to remove one or more pods")
        }
        return 0
    }

    /// The single pod UUID argument, or the content of `--uuid-file`.
    static func podArgument(_ invocation: inout Invocation, uuidFile: String?, command: String) throws -> String {
        let words = try invocation.positionals()
        if let uuidFile {
            return try FileSystem.readText(uuidFile).trimmed
        }
        guard words.count == 1 else {
            throw RktError(.invalidArgument, "expected exactly one pod UUID: rkt \(command) UUID")
        }
        return words[0]
    }

    /// JSON output for `--format=json|json-pretty`; nil for the text format.
    static func render<T: Encodable>(_ value: T?, format: String) throws -> String? {
        switch format {
        case "json": return (try value.map { try JSON.encodeString($0) } ?? "null") + "\n"
        case "json-pretty": return (try value.map { try JSON.encodeString($0, pretty: true) } ?? "null") + "\n"
        case "": return nil
        default: throw RktError(.invalidArgument, "--format: \"\(format)\" is not one of json, json-pretty")
        }
    }

    private static func textStatus(_ status: PodStatus) -> String {
        var lines = [
            "state=\(status.state)", "created=\(Date(timeIntervalSince1970: TimeInterval(status.createdAt)))",
        ]
        if let started = status.startedAt {
            lines.append("started=\(Date(timeIntervalSince1970: TimeInterval(started)))")
        }
        if let networks = status.networks {
            lines.append("networks=" + networks.map { "\($0.netName):ip4=\($0.ip ?? "")" }.joined(separator: ", "))
        }
        for app in status.apps ?? [] {
            if let code = app.exitCode {
                lines.append("app-\(app.name)=\(code)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
