import Driver
import FoundationEssentials
import Glibc
import RktSys

extension DriverCommandLine {
    static let fingerprintCommand = Command(name: "fingerprint", usage: "fingerprint [--json]") { words, globals in
        let arguments = try Arguments(words, valued: [], booleans: ["json"])
        let settings = try globals.makeSettings()
        let probe: RktVersionProbe
        do {
            probe = .output(try RktClient(settings: settings).version())
        } catch {
            probe = .failed("\(error)")
        }
        let health = RktFingerprint.evaluate(euid: geteuid(), probe: probe)
        let attributes = health.state == .healthy ? health.attributes(volumesEnabled: settings.volumesEnabled) : [:]
        if arguments.flag("json") {
            let document = FingerprintDocument(
                health: health.state.rawValue, description: health.description, attributes: attributes)
            Console.output(try JSON.encodeString(document, pretty: true) + "\n")
        } else {
            var text = "health: \(health.state.rawValue) (\(health.description))\n"
            text += attributes.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)\n" }.joined()
            Console.output(text)
        }
        return health.state == .healthy ? 0 : 1
    }

    /// `fingerprint --json` output.
    struct FingerprintDocument: Encodable {
        let health: String
        let description: String
        let attributes: [String: String]
    }
}

extension GlobalDriverOptions {
    /// Driver settings: defaults, then the client config file, then command-line options.
    func makeSettings() throws -> DriverSettings {
        var settings = DriverSettings()
        if let configFile {
            try ClientConfig.apply(file: configFile, to: &settings)
        }
        settings.rktPath = rktPath ?? settings.rktPath
        settings.dataDirectory = dataDirectory ?? settings.dataDirectory
        settings.rktDataDirectory = rktDataDirectory ?? settings.rktDataDirectory
        settings.volumesEnabled = volumesEnabled ?? settings.volumesEnabled
        return settings
    }
}
