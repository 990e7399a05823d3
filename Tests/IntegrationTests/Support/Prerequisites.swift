import Foundation
import Glibc

/// What the integration suite needs from this machine: root, runc, the CNI plugins, busybox, and
/// the four built executables beside the test bundle (or in `RKT_INTEGRATION_BIN_DIR`).
enum Prerequisites {
    static let cniPluginDirectory = "/usr/lib/cni"
    static let busybox = "/bin/busybox"

    /// The directory holding `rkt-driver`, `rkt`, `rkt-init` and `rkt-executor`.
    static let binaryDirectory: String = {
        if let override = ProcessInfo.processInfo.environment["RKT_INTEGRATION_BIN_DIR"], !override.isEmpty {
            return override
        }
        // The test bundle runs from SwiftPM's bin path, next to the products.
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        return (bundle as NSString).deletingLastPathComponent
    }()

    static var driver: String { "\(binaryDirectory)/rkt-driver" }
    static var rkt: String { "\(binaryDirectory)/rkt" }

    /// Why the suite cannot run here, or nil when everything is present.
    static let missing: String? = {
        guard geteuid() == 0 else {
            return "integration tests need root (pods use runc, netns and iptables)"
        }
        for tool in ["runc", "ip", "iptables-save", "tar"] where lookUp(tool) == nil {
            return "integration tests need \(tool) in PATH"
        }
        for plugin in ["ptp", "host-local", "portmap", "loopback"]
        where access("\(cniPluginDirectory)/\(plugin)", X_OK) != 0 {
            return "integration tests need the CNI plugin \(cniPluginDirectory)/\(plugin) (containernetworking-plugins)"
        }
        guard access(busybox, X_OK) == 0 else {
            return "integration tests need a static \(busybox) (busybox-static)"
        }
        for name in ["rkt-driver", "rkt", "rkt-init"] where access("\(binaryDirectory)/\(name)", X_OK) != 0 {
            return "integration tests need \(binaryDirectory)/\(name); run `swift build` first"
        }
        return nil
    }()

    static var ready: Bool { missing == nil }

    private static func lookUp(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").map { "\($0)/\(tool)" }.first { access($0, X_OK) == 0 }
    }
}
