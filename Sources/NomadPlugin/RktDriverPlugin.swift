import Dispatch
import Driver
import FoundationEssentials
import GRPC
import Glibc
import Protobuf
import RktError
import RktSys
import Synchronization

/// The rkt driver behind Nomad's plugin services (`BasePlugin`, `Driver`, go-plugin's controller and health).
///
/// One instance lives as long as the plugin process. Tasks are kept in memory by Nomad's task id; every
/// method handler runs on a thread of its own and may block.
public final class RktDriverPlugin: Sendable {
    /// The driver name used in job specs (`driver = "rkt"`); the plugin file must carry the same name.
    public static let name = "rkt"
    public static let pluginVersion = "0.1.0"
    public static let apiVersions = ["v0.1.0"]
    /// How often the fingerprint is repeated.
    public static let fingerprintPeriod: Duration = .seconds(30)

    let baseSettings: DriverSettings
    let logger: Logger
    private let currentSettings: Mutex<DriverSettings>
    let tasks = Mutex<[String: PluginTask]>([:])
    let events = TaskEventHub()
    private let shutdownRequested = DispatchSemaphore(value: 0)

    /// `settings` come from the command line; `SetConfig` may override them.
    public init(settings: DriverSettings, logger: Logger) {
        baseSettings = settings
        self.logger = logger
        currentSettings = Mutex(settings)
    }

    /// The settings in effect (after the last `SetConfig`).
    public var settings: DriverSettings { currentSettings.withLock { $0 } }

    var driver: RktDriver { RktDriver(settings: settings, logger: logger) }

    /// Blocks until the host asked the plugin to shut down.
    public func waitForShutdown() {
        shutdownRequested.wait()
    }

    // MARK: BasePlugin

    func pluginInfo() -> PluginInfoResponse {
        PluginInfoResponse(
            pluginAPIVersions: Self.apiVersions, pluginVersion: Self.pluginVersion, name: Self.name)
    }

    func setConfig(_ request: SetConfigRequest) throws(GRPCStatus) {
        let config: PluginConfig
        do {
            config = try PluginConfig.decode(request.msgpackConfig)
        } catch {
            throw GRPCStatus(.invalidArgument, error.message)
        }
        let settings = config.applied(to: baseSettings)
        currentSettings.withLock { $0 = settings }
        logger.debug(
            "plugin configured",
            [
                "data.dir": settings.dataDirectory, "rkt": settings.rktPath, "rkt.dir": settings.rktDataDirectory ?? "",
                "volumes.enabled": "\(settings.volumesEnabled)", "nomad.config": "\(request.hasNomadConfig)",
            ])
    }

    // MARK: Driver information

    func capabilities() -> CapabilitiesResponse {
        // Image isolation (rkt builds the root filesystem), signals and exec through `rkt enter`; Nomad's
        // host volume mounts are not supported (rkt tasks use `volumes`).
        CapabilitiesResponse(sendSignals: true, exec: true, fsIsolation: 2, mountConfigs: 1)
    }

    /// One fingerprint: `rkt version` and the effective uid decide the health.
    func fingerprint() -> FingerprintResponse {
        let settings = self.settings
        let probe: RktVersionProbe
        do {
            probe = .output(try RktClient(settings: settings).version())
        } catch {
            probe = .failed("\(error)")
        }
        let health = RktFingerprint.evaluate(euid: geteuid(), probe: probe)
        var attributes: [String: AttributeValue] = [:]
        for (key, value) in health.attributes(volumesEnabled: settings.volumesEnabled) {
            attributes[key] = key.hasSuffix("version") ? .string(value) : .bool(value == "1")
        }
        return FingerprintResponse(
            attributes: attributes, health: health.state == .healthy ? .healthy : .undetected,
            healthDescription: health.description)
    }

    /// Sends a fingerprint at once and then every period, until the call is cancelled.
    func streamFingerprints(_ context: GRPCCallContext, _ writer: GRPCResponseWriter) throws(GRPCStatus) {
        while !context.isCancelled {
            try writer.send(fingerprint())
            Self.sleep(Self.fingerprintPeriod, unless: context)
        }
    }

    /// Keeps the task-event stream open, sending the driver's events (pod started, recovered, exited).
    func streamTaskEvents(_ context: GRPCCallContext, _ writer: GRPCResponseWriter) throws(GRPCStatus) {
        try events.stream(context, writer)
    }

    /// Go-plugin's controller: ends the process after answering.
    func shutdown() {
        logger.debug("shutdown requested by the host")
        shutdownRequested.signal()
    }

    /// Sleeps in short steps, returning early once `context` is cancelled.
    static func sleep(_ duration: Duration, unless context: GRPCCallContext) {
        let deadline = ContinuousClock.now + duration
        while !context.isCancelled, ContinuousClock.now < deadline {
            Pause.for(min(.milliseconds(200), deadline - ContinuousClock.now))
        }
    }
}
