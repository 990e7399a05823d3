import Dispatch
import Driver
import FoundationEssentials
import GRPC
import Glibc
import RktSys

/// Runs the plugin process: listen, print the handshake, serve until the host's Shutdown.
public enum PluginServer {
    /// Serves until shut down; returns the process exit code. `settings` are the command line's; the agent's
    /// plugin config (SetConfig) overrides them.
    public static func serve(
        settings: DriverSettings, logLevel: Logger.Level,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Int32 {
        // The agent's Ctrl-C reaches the whole process group; a vanished host must not kill us on write.
        signal(SIGINT, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        let logger = Logger(label: "rkt", level: logLevel, sink: PluginLog.sink)
        if let problem = PluginHandshake.versionProblem(environment) {
            PluginLog.write("rkt-driver plugin: \(problem)\n")
            return 1
        }
        let plugin = RktDriverPlugin(settings: settings, logger: logger)
        let path = PluginHandshake.socketPath(environment)
        let server: GRPCServer
        do {
            server = try GRPCServer(path: path, router: plugin.router())
        } catch {
            PluginLog.write("rkt-driver plugin: cannot listen on \(path): \(error)\n")
            return 1
        }
        // SIGTERM (an operator, or a service manager stopping the agent's children) ends the plugin like the
        // host's Shutdown, so the socket file is removed. `main` blocked it before any thread existed; blocking
        // it here too covers callers that did not.
        Signals.block([SIGTERM])
        let sources = Signals.observe([SIGTERM], on: DispatchQueue.global()) { _ in
            logger.debug("SIGTERM received")
            plugin.shutdown()
        }
        defer { withExtendedLifetime(sources) {} }
        let line = Array(PluginHandshake.line(socketPath: path).utf8)
        guard line.withUnsafeBytes({ Glibc.write(1, $0.baseAddress, $0.count) }) == line.count else {
            server.stop()
            return 1
        }
        logger.debug("plugin serving", ["socket": path])
        plugin.waitForShutdown()
        server.stop()
        return 0
    }
}

/// stderr lines in go-hclog's JSON shape, which the agent re-logs at the given level.
enum PluginLog {
    static func write(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }

    static let sink: Logger.Sink = { record in
        var fields = record.metadata
        fields["@level"] = level(record.level)
        fields["@message"] = record.message
        fields["@module"] = record.label
        fields["@timestamp"] = timestamp()
        guard let json = try? JSON.encodeString(fields) else { return }
        write(json + "\n")
    }

    static func level(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "trace"
        case .debug: "debug"
        case .info, .notice: "info"
        case .warning: "warn"
        case .error, .critical: "error"
        }
    }

    /// `2006-01-02T15:04:05.000000Z07:00` in UTC.
    static func timestamp() -> String {
        Logger.timestamp(fractionDigits: 6)
    }
}
