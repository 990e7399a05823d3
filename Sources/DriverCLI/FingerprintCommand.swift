import Driver
import Foundation
import Glibc
import RktSys

extension DriverCommandLine {
    static let fingerprintCommand = Command(name: "fingerprint", usage: "fingerprint [--json]") { words, globals in
        let arguments = try Arguments(words, valued: [], booleans: ["json"])
        let settings = globals.settings
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
            FileHandle.standardOutput.write(Data((try JSON.encodeString(document, pretty: true) + "\n").utf8))
        } else {
            var text = "health: \(health.state.rawValue) (\(health.description))\n"
            text += attributes.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)\n" }.joined()
            FileHandle.standardOutput.write(Data(text.utf8))
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
    /// Driver settings from the global options.
    var settings: DriverSettings {
        var settings = DriverSettings(rktPath: rktPath)
        if let dataDirectory {
            settings.dataDirectory = dataDirectory
        }
        settings.rktDataDirectory = rktDataDirectory
        settings.volumesEnabled = volumesEnabled
        return settings
    }
}
