import FoundationEssentials
import Glibc
import Network
import RktSys

/// rkt's `v1.Pod` JSON object, printed by `status --format=json` and `list --format=json`.
/// Pod timestamps are seconds, app timestamps nanoseconds, exactly as rkt had them.
public struct PodStatus: Codable, Sendable {
    /// One app's state inside the pod.
    public struct App: Codable, Sendable {
        public var name: String
        public var state: String
        public var createdAt: Int64?
        public var startedAt: Int64?
        public var exitCode: Int32?
        public var imageID: String
        /// Our addition to rkt's object: `true` when the OOM killer acted in the pod while the
        /// app ran (the supervisor's `<app>.oom` record); left out otherwise, so the JSON stays
        /// rkt's shape.
        public var oomKilled: Bool?

        enum CodingKeys: String, CodingKey {
            case name, state
            case createdAt = "created_at"
            case startedAt = "started_at"
            case exitCode = "exit_code"
            case imageID = "image_id"
            case oomKilled = "oom_killed"
        }
    }

    public var name: String
    public var state: String
    public var networks: [NetInfo]?
    public var appNames: [String]?
    public var apps: [App]?
    public var createdAt: Int64
    public var startedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case name, state, networks, apps
        case appNames = "app_names"
        case createdAt = "created_at"
        case startedAt = "started_at"
    }

    /// Reads the status of the pod in `entry` from its directory.
    public static func read(_ entry: PodStore.Entry) -> PodStatus {
        let paths = PodPaths(podDirectory: entry.path)
        let state = entry.state
        let manifest = (try? FileSystem.read(paths.manifest)).flatMap { try? JSON.decode(PodManifest.self, from: $0) }
        let created = modificationTime("\(entry.path)/pod-created") ?? modificationTime(paths.manifest) ?? Date()
        let started =
            [.running, .exited, .exitedGarbage, .exitedDeleting, .deleting].contains(state)
            ? modificationTime(paths.ppid) : nil

        var status = PodStatus(
            name: entry.uuid.canonical, state: state.rawValue, createdAt: Int64(created.timeIntervalSince1970))
        status.startedAt = started.map { Int64($0.timeIntervalSince1970) }
        if state == .running || state.hasExited {
            status.networks = (try? FileSystem.read(paths.netInfo)).flatMap {
                try? JSON.decode([NetInfo].self, from: $0)
            }
        }
        if let manifest {
            status.appNames = manifest.apps.map(\.name)
            status.apps = manifest.apps.map { app in
                let code = (try? FileSystem.readText(paths.statusFile(app.name))).flatMap { Int32($0.trimmed) }
                return App(
                    name: app.name, state: code != nil ? "exited" : appState(state),
                    createdAt: Int64(created.timeIntervalSince1970 * 1e9),
                    startedAt: started.map { Int64($0.timeIntervalSince1970 * 1e9) }, exitCode: code,
                    imageID: app.image.id, oomKilled: FileSystem.exists(paths.oomFile(app.name)) ? true : nil)
            }
        }
        return status
    }

    private static func appState(_ pod: PodState) -> String {
        switch pod {
        case .embryo, .preparing, .abortedPrepare: "unknown"
        case .prepared: "created"
        case .running: "running"
        case .deleting, .exitedDeleting, .exited, .exitedGarbage, .garbage: "exited"
        }
    }

    private static func modificationTime(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
