import FoundationEssentials
import Glibc
import RktError
import RktSys

/// Runs CNI plugin executables the way the CNI spec describes: the operation and its parameters
/// in `CNI_*` environment variables, the conf on stdin, the result (or a CNI error) on stdout.
struct CNIPlugin {
    /// Where plugins are looked up, in order; also passed as `CNI_PATH` for delegated IPAM.
    let directories: [String]

    /// The per-call parameters that go into the environment.
    struct Call {
        let command: String
        let containerID: String
        let netns: String
        let ifName: String
        let args: String
    }

    /// The first executable named `type` in the plugin directories.
    func locate(_ type: String) throws -> String {
        for directory in directories where access("\(directory)/\(type)", X_OK) == 0 {
            return "\(directory)/\(type)"
        }
        let list = directories.joined(separator: ", ")
        throw RktError(.notFound, "failed to find CNI plugin \"\(type)\" in [\(list)]")
    }

    /// Runs `plugin` and returns its stdout; a failure throws the plugin's CNI error message.
    func invoke(_ plugin: String, conf: [UInt8], call: Call) throws -> [UInt8] {
        let output = try Subprocess.run(plugin, [], environment: environment(for: call), input: conf)
        guard output.status.succeeded else {
            let detail = Self.errorMessage(output) ?? "\(output.status)"
            throw RktError(.internal, "CNI \(call.command) of \(plugin) failed: \(detail)")
        }
        return output.stdout
    }

    private func environment(for call: Call) -> [String: String] {
        let path =
            ProcessInfo.processInfo.environment["PATH"]
            ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        return [
            "PATH": path,
            "CNI_COMMAND": call.command,
            "CNI_CONTAINERID": call.containerID,
            "CNI_NETNS": call.netns,
            "CNI_IFNAME": call.ifName,
            "CNI_ARGS": call.args,
            "CNI_PATH": directories.joined(separator: ":"),
        ]
    }

    private struct WireError: Decodable {
        let msg: String?
        let details: String?
    }

    /// The `msg` (and `details`) of a CNI error on stdout, else the last line of stderr.
    static func errorMessage(_ output: ProcessOutput) -> String? {
        if let wire = try? JSONDecoder().decode(WireError.self, from: Data(output.stdout)), let msg = wire.msg {
            guard let details = wire.details, !details.isEmpty else {
                return msg
            }
            return "\(msg): \(details)"
        }
        let lines = output.stderrText.split(separator: "\n")
        return lines.last.map(String.init)
    }
}
