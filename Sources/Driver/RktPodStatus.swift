import JSONCore
import RktError
import TaskModel

/// Reads the pod IP out of `rkt status --format=json <uuid>`.
public enum RktPodStatus {
    /// The `ip` of the first network entry holding a global unicast address (loopback, link-local,
    /// multicast, unspecified and absent/null IPs are skipped; RFC 1918 addresses count). Unlike
    /// upstream, which then used `networks[0]`, the matching entry's IP is returned.
    public static func podIP(statusJSON: String) throws(RktError) -> String {
        let document: JSONValue
        do {
            document = try JSONValue.parse(statusJSON)
        } catch {
            throw RktError(.invalidArgument, "could not parse rkt status output: \(error)")
        }
        guard let status = document.objectValue else {
            throw RktError(.invalidArgument, "could not parse rkt status output: not a JSON object")
        }
        let networks = status["networks"]?.arrayValue ?? []
        guard !networks.isEmpty else {
            throw RktError(.notFound, "no networks found")
        }
        for network in networks {
            guard let ip = network.objectValue?["ip"]?.stringValue, let address = IPAddress(ip) else {
                continue
            }
            if address.isGlobalUnicast {
                return ip
            }
        }
        throw RktError(.notFound, "no good driver networks out of \(networks.count) returned")
    }

    /// Whether any app of the pod has `"oom_killed": true`, our runtime's addition to rkt's app
    /// object. False when it is absent (a real rkt never says) or the text is not a pod object.
    public static func oomKilled(statusJSON: String) -> Bool {
        guard let apps = (try? JSONValue.parse(statusJSON))?.objectValue?["apps"]?.arrayValue else {
            return false
        }
        return apps.contains { $0.objectValue?["oom_killed"]?.boolValue == true }
    }
}
