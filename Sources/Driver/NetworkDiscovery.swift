import FoundationEssentials
import RktError
import RktSys

/// Polls `rkt status --format=json` until the pod reports a global-unicast IP, then reads the
/// pod manifest for the port map (reference §4.2). The wait is bounded and jittered; it starts
/// short (the pod usually has its IP within ~100 ms) and backs off to about a second.
public struct NetworkDiscovery: Sendable {
    public let client: RktClient
    public var deadline: Duration = .seconds(60)

    public init(client: RktClient) {
        self.client = client
    }

    /// The DriverNetwork of pod `uuid`; `stillRunning` lets the loop stop early when the pod died.
    public func discover(
        uuid: String, portMap: [String: String], autoAdvertise: Bool, logger: Logger, stillRunning: () -> Bool
    ) throws -> DriverNetwork {
        let start = ContinuousClock.now
        var delay = Duration.milliseconds(40)
        var lastError = "no attempt made"
        var attempt = 0
        while ContinuousClock.now - start < deadline && stillRunning() {
            attempt += 1
            do {
                let ip = try RktPodStatus.podIP(statusJSON: try client.statusJSON(uuid))
                let manifest = try client.podManifest(uuid)
                let ports = try AppcManifest.podPortMap(manifestJSON: manifest, portMap: portMap)
                if attempt > 1 {
                    logger.debug("retrieved network info", ["pod.id": uuid, "attempt": "\(attempt)"])
                }
                return DriverNetwork(ip: ip, portMap: ports, autoAdvertise: autoAdvertise)
            } catch {
                lastError = "\(error)"
            }
            let jitter = Duration.milliseconds(Int64.random(in: 0...(delay.wholeMilliseconds / 10 + 1)))
            Pause.for(delay + jitter)
            delay = min(delay * 2, .milliseconds(900))
        }
        throw RktError(.timeout, "timed out, last error: \(lastError)")
    }
}
