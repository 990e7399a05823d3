/// File locations inside a pod directory, kept as rkt had them so status, list and gc agree.
public struct PodPaths: Sendable {
    public let podDirectory: String

    public init(podDirectory: String) {
        self.podDirectory = podDirectory
    }

    public var manifest: String { "\(podDirectory)/pod" }
    public var stage1Rootfs: String { "\(podDirectory)/stage1/rootfs" }
    public var overlayMarker: String { "\(podDirectory)/overlay-prepared" }
    public var netInfo: String { "\(podDirectory)/net-info.json" }
    public var ppid: String { "\(podDirectory)/ppid" }
    public var pid: String { "\(podDirectory)/pid" }
    public var bundle: String { "\(podDirectory)/bundle" }

    public func appRootfs(_ app: String) -> String { "\(stage1Rootfs)/opt/stage2/\(app)/rootfs" }
    public func overlayUpper(_ key: String) -> String { "\(podDirectory)/overlay/\(key)/upper" }
    public func overlayWork(_ key: String) -> String { "\(podDirectory)/overlay/\(key)/work" }
    public func envFile(_ app: String) -> String { "\(stage1Rootfs)/rkt/env/\(app)" }
    public func statusFile(_ app: String) -> String { "\(stage1Rootfs)/rkt/status/\(app)" }
    /// Written beside the app's status when the OOM killer acted in the pod (our addition; JSON).
    public func oomFile(_ app: String) -> String { "\(stage1Rootfs)/rkt/status/\(app).oom" }
    public func treeStoreID(_ app: String) -> String { "\(podDirectory)/appsinfo/\(app)/treeStoreID" }
    public var etc: String { "\(stage1Rootfs)/etc" }
}
