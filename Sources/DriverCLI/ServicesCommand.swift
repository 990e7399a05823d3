import Driver
import FoundationEssentials
import RktSys
import Services

extension DriverCommandLine {
    /// `services [--json]`: the embedded catalog of the data directory, as a table or as JSON.
    static let servicesCommand = Command(name: "services", usage: "services [--json]") { words, globals in
        let arguments = try Arguments(words, valued: [], booleans: ["json"])
        guard arguments.positionals.isEmpty else {
            throw UsageError("unexpected argument \"\(arguments.positionals[0])\"")
        }
        let settings = try globals.makeSettings()
        let catalog = EmbeddedCatalog(path: EmbeddedCatalog.defaultPath(dataDir: settings.dataDirectory))
        let registrations = try catalog.list()
        let text = arguments.flag("json") ? try ServicesReport.json(registrations) : ServicesReport.table(registrations)
        Console.output(text)
        return 0
    }
}
