import FoundationEssentials
import PodRuntime
import RktError
import RktSys

extension RktCommandLine {
    static let runPreparedCommand = Command(
        name: "run-prepared", summary: "Run a prepared pod in the foreground", flags: runFlags, supervises: true
    ) { invocation in
        var options = RunOptions()
        var uuid: String?
        while let (name, value) = try invocation.reader.next() {
            guard let name else {
                uuid = value
                continue
            }
            if try !invocation.globals.apply(name, value) {
                addRunFlag(name, value, to: &options)
            }
        }
        guard let uuid else {
            throw RktError(.invalidArgument, "missing pod UUID: rkt run-prepared [FLAGS] UUID")
        }
        options.insecure = try invocation.insecure
        let status = try RunSupervisor(runtime: invocation.runtime).runPrepared(uuid, options: options)
        return status.shellCode
    }

    static let runCommand = Command(
        name: "run", summary: "Prepare and run a pod in the foreground",
        flags: podFlags.merging(appFlags) { a, _ in a }.merging(runFlags) { a, _ in a }.merging([
            "uuid-file-save": .value
        ]) { a, _ in a },
        supervises: true
    ) { invocation in
        let (request, options, uuidFile) = try parsePodRequest(&invocation, allowRunFlags: true)
        let runtime = invocation.runtime
        let uuid = try Preparer(runtime: runtime).prepare(request)
        if let uuidFile {
            try FileSystem.writeAtomically(uuid.canonical, to: uuidFile)
        }
        do {
            return try RunSupervisor(runtime: runtime).runPrepared(uuid.canonical, options: options).shellCode
        } catch {
            _ = try? PodRemover(runtime: runtime).remove(uuid.canonical)
            throw error
        }
    }

    static func addRunFlag(_ name: String, _ value: String, to options: inout RunOptions) {
        switch name {
        case "net": options.net.append(value)
        case "dns": options.dns.append(value)
        case "dns-search": options.dnsSearch.append(value)
        case "dns-opt": options.dnsOptions.append(value)
        case "dns-domain": options.dnsDomain = value
        case "hostname": options.hostname = value
        default: break
        }
    }
}
