import RktError
import RktSys

/// Runs the one-shot rkt commands of the driver (trust, prepare, status, cat-manifest, rm) and
/// turns their failures into errors carrying rkt's output, like upstream did.
public struct RktClient: Sendable {
    public let settings: DriverSettings

    public init(settings: DriverSettings) {
        self.settings = settings
    }

    /// `rkt prepare …`: returns the pod UUID (stdout, trimmed).
    public func prepare(_ arguments: [String]) throws -> String {
        let output = try run(arguments)
        guard output.status.succeeded, !output.stdoutText.trimmed.isEmpty else {
            throw RktError(
                .internal,
                "Error preparing rkt pod: \(output.status)\n\nOutput: \(output.stdoutText)\n\nError: \(output.stderrText)"
            )
        }
        return output.stdoutText.trimmed
    }

    /// `rkt trust --skip-fingerprint-review=true --prefix=P --debug=B`.
    public func trust(prefix: String, debug: Bool) throws {
        let output = try run(RktCommand.trustArguments(prefix: prefix, debug: debug))
        guard output.status.succeeded else {
            throw RktError(
                .internal,
                "Error running rkt trust: \(output.status)\n\nOutput: \(output.stdoutText)\n\nError: \(output.stderrText)"
            )
        }
    }

    /// `rkt status --format=json UUID` stdout.
    public func statusJSON(_ uuid: String) throws -> String {
        try checkedStdout(["status", "--format=json", uuid], what: "status")
    }

    /// `rkt cat-manifest UUID` stdout.
    public func podManifest(_ uuid: String) throws -> String {
        try checkedStdout(["cat-manifest", uuid], what: "cat-manifest")
    }

    /// `rkt rm UUID`.
    public func remove(_ uuid: String) throws {
        let output = try run(["rm", uuid])
        guard output.status.succeeded else {
            let stderr = output.stderrText.trimmed
            throw RktError(.internal, "error removing pod: \(stderr.isEmpty ? "\(output.status)" : stderr)")
        }
    }

    /// `rkt version` stdout, for the fingerprint.
    public func version() throws -> String {
        try checkedStdout(["version"], what: "version")
    }

    private func checkedStdout(_ arguments: [String], what: String) throws -> String {
        let output = try run(arguments)
        guard output.status.succeeded else {
            let stderr = output.stderrText.trimmed
            let elided = stderr.count > 80 ? "\(stderr.prefix(80))..." : stderr
            throw RktError(.internal, "rkt \(what) failed (\(output.status)). stderr: \"\(elided)\"")
        }
        return output.stdoutText
    }

    private func run(_ arguments: [String]) throws -> ProcessOutput {
        try Subprocess.run(settings.rktPath, insertGlobals(arguments), environment: settings.rktEnvironment())
    }

    /// Puts the settings' global flags right after any leading global flags of `arguments`.
    func insertGlobals(_ arguments: [String]) -> [String] {
        let leading = arguments.prefix { $0.hasPrefix("--") }
        return Array(leading) + settings.rktGlobalArguments + arguments.dropFirst(leading.count)
    }
}
