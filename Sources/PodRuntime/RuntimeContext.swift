import FoundationEssentials
import Glibc
import Images
import Network
import RktSys

/// Where the runtime keeps its state and which external programs it uses: one value shared by
/// every `rkt` command.
public struct RuntimeContext: Sendable {
    public let dataDirectory: String
    public let localConfigDirectory: String
    public let imageStoreRoot: String
    public let pods: PodStore
    public let runc: Runc
    public let initPath: String
    public let networkConfigDirectory: String
    public let cniPluginDirectories: [String]
    public let logger: Logger

    public init(
        dataDirectory: String = "/var/lib/rkt", localConfigDirectory: String = "/etc/rkt", logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.dataDirectory = dataDirectory
        self.localConfigDirectory = localConfigDirectory
        imageStoreRoot = "\(dataDirectory)/cas"
        pods = PodStore(dataDirectory: dataDirectory)
        runc = Runc(executable: environment["RKT_RUNC"] ?? "runc")
        initPath = environment["RKT_INIT"] ?? RuntimeContext.besideExecutable("rkt-init")
        networkConfigDirectory = "\(localConfigDirectory)/net.d"
        cniPluginDirectories = (environment["RKT_CNI_PATH"] ?? "/usr/lib/cni:/opt/cni/bin").split(separator: ":").map(
            String.init)
        self.logger = logger
    }

    /// The image store (created on first use).
    public var images: ImageStore {
        get throws { try ImageStore(root: imageStoreRoot, logger: logger) }
    }

    /// The pod networking service for this runtime's CNI configuration.
    public var networking: PodNetworking {
        PodNetworking(configDirectory: networkConfigDirectory, pluginDirectories: cniPluginDirectories, logger: logger)
    }

    /// A file next to the running executable (how `rkt` finds the `rkt-init` built beside it).
    static func besideExecutable(_ name: String) -> String {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return "\(PathText.directory(of: executable))/\(name)"
    }
}
