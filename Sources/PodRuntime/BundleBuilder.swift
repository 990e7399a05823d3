import Images
import JSONCore
import RktError

/// Turns a prepared app into an OCI runtime spec for runc: process (init + exec, env, user,
/// cwd, capabilities), mounts (kernel filesystems, volumes, resolv.conf, hosts, hostname),
/// namespaces and cgroup limits. Pure: all file system facts arrive as inputs.
public struct BundleBuilder: Sendable {
    /// How the pod's network namespace is provided.
    public enum NetworkNamespace: Sendable, Equatable {
        case host
        case fresh
        case path(String)
    }

    public var uuid: PodUUID
    public var app: PodManifest.RuntimeApp
    public var volumes: [PodManifest.Volume]
    public var rootfs: String
    public var initPath: String
    public var network: NetworkNamespace
    public var uid: UInt32
    public var gid: UInt32
    public var environment: [(String, String)]
    public var insecure: InsecureOptions
    /// Host files bound over the app's /etc files (destination → source).
    public var etcFiles: [(String, String)]
    /// Host directories backing `empty` volumes (volume name → path).
    public var emptyVolumeSources: [String: String]
    /// The runtime's own bounding set; the pod never gets more.
    public var hostCapabilities: UInt64

    public init(
        uuid: PodUUID, app: PodManifest.RuntimeApp, volumes: [PodManifest.Volume], rootfs: String, initPath: String,
        network: NetworkNamespace, uid: UInt32, gid: UInt32, environment: [(String, String)], insecure: InsecureOptions,
        etcFiles: [(String, String)], emptyVolumeSources: [String: String],
        hostCapabilities: UInt64 = Capabilities.hostBoundingSet()
    ) {
        (self.uuid, self.app, self.volumes, self.rootfs, self.initPath) = (uuid, app, volumes, rootfs, initPath)
        (self.network, self.uid, self.gid, self.environment, self.insecure) = (network, uid, gid, environment, insecure)
        (self.etcFiles, self.emptyVolumeSources, self.hostCapabilities) = (
            etcFiles, emptyVolumeSources, hostCapabilities
        )
    }

    /// Where rkt-init is bound inside every app.
    public static let initDestination = "/.rkt/init"

    public func spec() throws -> OCISpec {
        let wanted = insecure.capabilities ? OCISpec.insecureCapabilities : OCISpec.defaultCapabilities
        let capabilities = Capabilities.available(wanted, bounding: hostCapabilities)
        let granted = uid == 0 ? capabilities : []
        let process = OCISpec.Process(
            user: .init(
                uid: uid, gid: gid,
                additionalGids: app.app.supplementaryGIDs.isEmpty ? nil : app.app.supplementaryGIDs.map { UInt32($0) }),
            args: [Self.initDestination] + app.app.exec,
            env: environment.map { "\($0.0)=\($0.1)" },
            cwd: app.app.workingDirectory.isEmpty ? "/" : app.app.workingDirectory,
            capabilities: .init(
                bounding: capabilities, effective: granted, permitted: granted, inheritable: [], ambient: []))
        var namespaces = ["pid", "ipc", "uts", "mount"].map { OCISpec.Linux.Namespace(type: $0) }
        switch network {
        case .host: break
        case .fresh: namespaces.append(.init(type: "network"))
        case .path(let path): namespaces.append(.init(type: "network", path: path))
        }
        let linux = OCISpec.Linux(
            namespaces: namespaces, resources: try resources(), cgroupsPath: "rkt-\(uuid.canonical)",
            maskedPaths: insecure.paths ? [] : OCISpec.maskedPaths,
            readonlyPaths: insecure.paths ? [] : OCISpec.readonlyPaths)
        return OCISpec(
            process: process, root: .init(path: rootfs, readonly: false), hostname: "rkt-\(uuid.canonical)",
            mounts: try mounts(), linux: linux)
    }

    private func mounts() throws -> [OCISpec.Mount] {
        var mounts = OCISpec.standardMounts
        mounts.append(
            .init(destination: Self.initDestination, type: "bind", source: initPath, options: ["bind", "ro"]))
        for mount in app.mounts ?? [] {
            mounts.append(try volumeMount(mount))
        }
        for (destination, source) in etcFiles {
            mounts.append(.init(destination: destination, type: "bind", source: source, options: ["bind", "ro"]))
        }
        return mounts
    }

    private func volumeMount(_ mount: PodManifest.Mount) throws -> OCISpec.Mount {
        guard let volume = volumes.first(where: { $0.name == mount.volume }) else {
            throw RktError(.invalidArgument, "mount of volume \"\(mount.volume)\" at \(mount.path): no such volume")
        }
        let mountPoint = app.app.mountPoints.first { $0.path == mount.path }
        let readOnly = volume.readOnly ?? mountPoint?.readOnly ?? false
        let source = volume.kind == "host" ? volume.source : emptyVolumeSources[volume.name]
        guard let source else {
            throw RktError(.internal, "volume \"\(volume.name)\" has no source directory")
        }
        let bind = volume.recursive == false ? "bind" : "rbind"
        return .init(destination: mount.path, type: "bind", source: source, options: [bind, readOnly ? "ro" : "rw"])
    }

    private func resources() throws -> OCISpec.Linux.Resources {
        var resources = OCISpec.Linux.Resources(devices: [.init(allow: false, access: "rwm")])
        for isolator in app.app.isolators {
            guard case .object(let value) = isolator.value, case .string(let limit)? = value["limit"] else {
                continue
            }
            switch isolator.name {
            case "resource/memory":
                resources.memory = .init(limit: try Quantity.bytes(limit, flag: "resource/memory limit"))
            case "resource/cpu":
                let millicores = try Quantity.millicores(limit, flag: "resource/cpu limit")
                resources.cpu = .init(quota: millicores * 100, period: 100_000)
            default:
                continue
            }
        }
        return resources
    }
}
