import FoundationEssentials
import PodRuntime
import RktError
import RktSys

extension RktCommandLine {
    static let stopCommand = Command(
        name: "stop", summary: "Stop running pods", flags: ["force": .bool, "uuid-file": .value], supervises: false
    ) { invocation in
        let flags = Dictionary(try invocation.flags(), uniquingKeysWith: { _, b in b })
        var uuids = try invocation.positionals()
        if let file = flags["uuid-file"] {
            uuids.append(try FileSystem.readText(file).trimmed)
        }
        let force = try parseBool(flags["force"] ?? "false", flag: "force")
        let lifecycle = PodLifecycle(runtime: invocation.runtime)
        var failed = 0
        for uuid in uuids {
            do {
                switch try lifecycle.stop(uuid, force: force) {
                case .signalled(let pod): invocation.output("\"\(pod)\"\n")
                case .alreadyStopped(let pod): invocation.output("pod \"\(pod)\" is already stopped\n")
                }
            } catch {
                Console.error("stop: \(error)\n")
                failed += 1
            }
        }
        guard failed == 0, !uuids.isEmpty else {
            throw RktError(
                .internal, uuids.isEmpty ? "missing pod UUID: rkt stop UUID..." : "failed to stop \(failed) pod(s)")
        }
        return 0
    }

    static let enterCommand = Command(
        name: "enter", summary: "Run a command inside a running pod", flags: ["app": .value], supervises: false
    ) { invocation in
        let flags = Dictionary(try invocation.flags(), uniquingKeysWith: { _, b in b })
        guard let uuid = invocation.reader.take() else {
            throw RktError(.invalidArgument, "missing pod UUID: rkt enter [--app=NAME] UUID [CMD [ARGS...]]")
        }
        let command = invocation.reader.rest()
        if command.isEmpty {
            Console.error("enter: no command specified, assuming \"/bin/bash\"\n")
        }
        try PodLifecycle(runtime: invocation.runtime).enter(uuid, app: flags["app"], command: command)
    }

    static let gcCommand = Command(
        name: "gc", summary: "Remove exited pods past the grace period",
        flags: ["grace-period": .value, "expire-prepared": .value, "mark-only": .bool], supervises: false
    ) { invocation in
        let flags = Dictionary(try invocation.flags(), uniquingKeysWith: { _, b in b })
        _ = try invocation.positionals()
        try PodLifecycle(runtime: invocation.runtime).collectGarbage(
            gracePeriod: try goDuration(flags["grace-period"] ?? "30m0s", flag: "grace-period"),
            expirePrepared: try goDuration(flags["expire-prepared"] ?? "24h0m0s", flag: "expire-prepared"),
            markOnly: try parseBool(flags["mark-only"] ?? "false", flag: "mark-only")
        ) { line in
            Console.error(line + "\n")
        }
        return 0
    }

    /// A Go-syntax duration flag (`30m0s`, `24h`, `1.5s`, `0`).
    static func goDuration(_ text: String, flag: String) throws -> Duration {
        guard case .success(let duration) = DurationText.parse(text) else {
            throw RktError(.invalidArgument, "invalid argument \"\(text)\" for --\(flag): not a duration")
        }
        return duration
    }
}
