import FoundationEssentials
import PodRuntime
import RktError
import RktSys

extension RktCommandLine {
    static let podFlags: [String: FlagReader.Kind] = [
        "volume": .value, "mount": .value, "set-env": .value, "set-env-file": .value, "no-overlay": .bool,
        "port": .value, "quiet": .bool, "pull-policy": .value, "inherit-env": .bool, "signature": .value,
        "private-users": .bool,
    ]

    static let appFlags: [String: FlagReader.Kind] = [
        "exec": .value, "memory": .value, "cpu": .value, "user": .value, "group": .value, "working-dir": .value,
        "name": .value, "environment": .value,
    ]

    static let runFlags: [String: FlagReader.Kind] = [
        "net": .value, "dns": .value, "dns-search": .value, "dns-opt": .value, "dns-domain": .value, "hostname": .value,
    ]

    static let prepareCommand = Command(
        name: "prepare", summary: "Prepare a pod from an image; prints its UUID",
        flags: podFlags.merging(appFlags) { a, _ in a }, supervises: false
    ) { invocation in
        let (request, _, _) = try parsePodRequest(&invocation, allowRunFlags: false)
        let uuid = try Preparer(runtime: invocation.runtime).prepare(request)
        invocation.output("\(uuid)\n")
        return 0
    }

    /// Parses `[POD FLAGS] IMAGE [APP FLAGS] [-- ARGS [---]]`, plus run flags for `rkt run`.
    static func parsePodRequest(
        _ invocation: inout Invocation, allowRunFlags: Bool
    ) throws -> (PrepareRequest, RunOptions, String?) {
        var request: PrepareRequest?
        var pending = PrepareRequest(image: "")
        var options = RunOptions()
        var uuidFile: String?
        while let (name, value) = try invocation.reader.next() {
            guard let name else {
                guard request == nil else {
                    throw RktError(.unsupported, "\"\(value)\": only one image per pod is supported by this runtime")
                }
                pending.image = value
                request = pending
                continue
            }
            if name == "--" {
                guard request != nil else {
                    throw RktError(.invalidArgument, "-- must follow an image")
                }
                request?.args = readArgs(&invocation.reader)
            } else if try invocation.globals.apply(name, value) {
                continue
            } else if appFlags[name] != nil {
                guard request != nil else {
                    throw RktError(.invalidArgument, "--\(name) must follow an image")
                }
                try applyAppFlag(name, value, to: &request)
            } else if allowRunFlags && name == "uuid-file-save" {
                uuidFile = value
            } else if allowRunFlags, runFlags[name] != nil {
                addRunFlag(name, value, to: &options)
            } else if request != nil {
                try applyPodFlag(name, value, to: &request)
            } else {
                try applyPodFlag(name, value, to: &pending)
            }
        }
        guard var request else {
            throw RktError(
                .invalidArgument, "no image given: rkt \(allowRunFlags ? "run" : "prepare") [FLAGS] IMAGE [-- ARGS]")
        }
        request.insecure = try invocation.insecure
        options.insecure = request.insecure
        return (request, options, uuidFile)
    }

    /// The app's arguments: every word up to a lone `---` (which is consumed) or the end.
    private static func readArgs(_ reader: inout FlagReader) -> [String] {
        var args: [String] = []
        while let word = reader.take(), word != "---" {
            args.append(word)
        }
        return args
    }

    private static func applyAppFlag(_ name: String, _ value: String, to request: inout PrepareRequest?) throws {
        switch name {
        case "exec": request?.exec = value
        case "memory": request?.memory = value
        case "cpu": request?.cpu = value
        case "user": request?.user = value
        case "group": request?.group = value
        case "working-dir": request?.workingDirectory = value
        case "name": request?.appName = value
        case "environment": request?.environment.append(try PrepareRequest.parseEnv(value, flag: "--environment"))
        default: break
        }
    }

    private static func applyPodFlag(_ name: String, _ value: String, to request: inout PrepareRequest) throws {
        var optional: PrepareRequest? = request
        try applyPodFlag(name, value, to: &optional)
        if let optional {
            request = optional
        }
    }

    private static func applyPodFlag(_ name: String, _ value: String, to request: inout PrepareRequest?) throws {
        switch name {
        case "volume": request?.volumes.append(try PrepareRequest.parseVolume(value))
        case "mount": request?.mounts.append(try PrepareRequest.parseMount(value))
        case "set-env":
            let pair = try PrepareRequest.parseEnv(value, flag: "--set-env")
            if request?.environment.contains(where: { $0.name == pair.name }) == true {
                throw RktError(.invalidArgument, "--set-env: \(pair.name) is set twice")
            }
            request?.environment.append(pair)
        case "set-env-file":
            request?.environment += try readEnvFile(value)
        case "no-overlay": request?.noOverlay = try parseBool(value, flag: name)
        case "port": request?.ports.append(try PrepareRequest.parsePort(value))
        case "private-users":
            if try parseBool(value, flag: name) {
                throw RktError(.unsupported, "--private-users is not supported by this runtime")
            }
        case "quiet", "pull-policy", "inherit-env", "signature": break
        default: throw RktError(.invalidArgument, "unknown flag: --\(name)")
        }
    }

    private static func readEnvFile(_ path: String) throws -> [(name: String, value: String)] {
        let text = try FileSystem.readText(path)
        return try text.split(separator: "\n").compactMap { line in
            let trimmed = String(line).trimmed
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") {
                return nil
            }
            return try PrepareRequest.parseEnv(trimmed, flag: "--set-env-file \(path)")
        }
    }
}
