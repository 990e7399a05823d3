import NomadPlugin

extension DriverCommandLine {
    /// `rkt-driver plugin`: serve Nomad's external driver-plugin protocol on a unix socket. Nomad starts the
    /// binary with its magic cookie set, which selects this command without naming it.
    static let pluginCommand = Command(
        name: "plugin", usage: "plugin   (serve Nomad's driver plugin protocol; run by a Nomad agent)"
    ) { words, globals in
        guard words.isEmpty else {
            throw UsageError("plugin takes no arguments; use the global options (--data-dir, --rkt, --rkt-dir)")
        }
        return PluginServer.serve(settings: try globals.makeSettings(), logLevel: globals.logLevel)
    }

    /// The words to run: `plugin` is added when a Nomad agent started us (the cookie is set), so `args` from
    /// the agent's `plugin` stanza may carry global options only. A wrong cookie is refused with a message.
    static func pluginLaunch(_ arguments: [String], environment: [String: String]) -> Result<[String], UsageError> {
        switch PluginHandshake.launch(environment) {
        case .commandLine: return .success(arguments)
        case .host: return .success(arguments.contains("plugin") ? arguments : arguments + ["plugin"])
        case .wrongCookie(let message): return .failure(UsageError(message))
        }
    }
}
