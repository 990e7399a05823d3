import FoundationEssentials
import Glibc
import Images
import JSONCore
import RktError
import RktSys

/// `rkt prepare`: resolves the image, composes the pod manifest from the image and the flags,
/// validates it, and creates the pod in state `prepared`. Every check that can fail runs before
/// the pod directory exists, so a bad request leaves nothing behind.
public struct Preparer {
    public let runtime: RuntimeContext

    public init(runtime: RuntimeContext) {
        self.runtime = runtime
    }

    /// Prepares a pod and returns its UUID.
    public func prepare(_ request: PrepareRequest) throws -> PodUUID {
        let image = try ImageResolver(runtime: runtime).resolve(request.image, insecure: request.insecure)
        let manifest = try composeManifest(request, image: image)

        try runtime.pods.ensureLayout()
        let uuid = PodUUID()
        let embryo = runtime.pods.path(of: uuid, in: .embryo)
        try FileSystem.makeDirectories(embryo, mode: 0o750)
        do {
            let lock = try FileLock(path: embryo)
            try lock.lock(exclusive: true)
            let entry = PodStore.Entry(uuid: uuid, directory: .embryo, path: embryo)
            let preparing = try runtime.pods.move(entry, to: .prepare)
            try writePodFiles(preparing.path, manifest: manifest, image: image, noOverlay: request.noOverlay)
            try runtime.pods.move(preparing, to: .prepared)
            lock.unlock()
        } catch {
            for directory in [PodStore.Directory.embryo, .prepare, .prepared] {
                try? FileSystem.removeTree(runtime.pods.path(of: uuid, in: directory))
            }
            throw error
        }
        runtime.logger.debug("prepared pod", ["pod.id": uuid.canonical, "image.id": image.key])
        return uuid
    }

    /// The pod manifest: the image's app with the command-line overrides applied.
    func composeManifest(_ request: PrepareRequest, image: StoredImage) throws -> PodManifest {
        guard var app = image.manifest.app ?? request.exec.map({ _ in App(exec: [], user: "0", group: "0") }) else {
            throw RktError(
                .invalidArgument,
                "image \"\(image.manifest.name)\" has no app section and --exec argument is not provided")
        }
        if let exec = request.exec {
            app.exec = [exec] + (request.args ?? [])
        } else if let args = request.args {
            app.exec = app.exec + args
        }
        guard let program = app.exec.first, !program.isEmpty else {
            throw RktError(.invalidArgument, "image \"\(image.manifest.name)\" has an empty exec; try --exec=BINARY")
        }
        app.user = request.user ?? app.user
        app.group = request.group ?? app.group
        app.workingDirectory = request.workingDirectory ?? app.workingDirectory
        app.environment = mergedEnvironment(app.environment, request.environment)
        app.isolators = try isolators(app.isolators, request)

        let name = request.appName ?? defaultAppName(image.manifest.name)
        try validatePorts(request.ports, app: app, image: image.manifest.name)
        try validateVolumes(request.volumes, mounts: request.mounts)
        let runtimeApp = PodManifest.RuntimeApp(
            name: name, image: .init(name: image.manifest.name, id: image.key, labels: image.manifest.labels), app: app,
            mounts: request.mounts.isEmpty ? nil : request.mounts)
        return PodManifest(
            apps: [runtimeApp], volumes: request.volumes, isolators: [],
            annotations: [.init(name: "coreos.com/rkt/stage1/mutable", value: "false")], ports: request.ports)
    }

    private func mergedEnvironment(
        _ image: [NameValue], _ flags: [(name: String, value: String)]
    ) -> [NameValue] {
        var result = image.filter { entry in !flags.contains { $0.name == entry.name } }
        result += flags.map { NameValue(name: $0.name, value: $0.value) }
        return result
    }

    private func isolators(_ existing: [Isolator], _ request: PrepareRequest) throws -> [Isolator] {
        var result = existing
        if let memory = request.memory {
            _ = try Quantity.bytes(memory, flag: "--memory")
            result.removeAll { $0.name == "resource/memory" }
            result.append(
                .init(name: "resource/memory", value: .object(["limit": .string(memory), "request": .string(memory)])))
        }
        if let cpu = request.cpu {
            _ = try Quantity.millicores(cpu, flag: "--cpu")
            result.removeAll { $0.name == "resource/cpu" }
            result.append(
                .init(name: "resource/cpu", value: .object(["limit": .string(cpu), "request": .string(cpu)])))
        }
        return result
    }

    private func validatePorts(_ ports: [PodManifest.ExposedPort], app: App, image: String) throws {
        let declared = app.ports.map(\.name)
        for port in ports where !declared.contains(port.name) {
            let names = declared.isEmpty ? "none" : declared.joined(separator: ", ")
            throw RktError(
                .invalidArgument,
                "--port=\(port.name):\(port.hostPort): port name \"\(port.name)\" is not declared by image \"\(image)\" (its ports: \(names))"
            )
        }
        let hostPorts = ports.map(\.hostPort)
        if Set(hostPorts).count != hostPorts.count {
            throw RktError(.invalidArgument, "--port: the same host port is forwarded twice")
        }
    }

    private func validateVolumes(_ volumes: [PodManifest.Volume], mounts: [PodManifest.Mount]) throws {
        let names = volumes.map(\.name)
        if Set(names).count != names.count {
            throw RktError(.invalidArgument, "--volume: a volume name is used twice")
        }
        for volume in volumes where volume.kind == "host" {
            guard let source = volume.source, FileManager.default.fileExists(atPath: source) else {
                throw RktError(
                    .notFound, "--volume=\(volume.name): source \"\(volume.source ?? "")\" does not exist on the host")
            }
        }
        for mount in mounts where !names.contains(mount.volume) {
            throw RktError(.invalidArgument, "--mount: volume \"\(mount.volume)\" is not defined by any --volume")
        }
    }

    private func writePodFiles(_ podDirectory: String, manifest: PodManifest, image: StoredImage, noOverlay: Bool)
        throws
    {
        let app = manifest.apps[0]
        try FileSystem.replace(try JSON.encode(manifest), to: "\(podDirectory)/pod", mode: 0o640)
        try FileSystem.replace("", to: "\(podDirectory)/pod-created")
        try FileSystem.makeDirectories("\(podDirectory)/appsinfo/\(app.name)")
        try FileSystem.replace(image.manifestBytes, to: "\(podDirectory)/appsinfo/\(app.name)/manifest")
        try FileSystem.replace(image.key, to: "\(podDirectory)/appsinfo/\(app.name)/treeStoreID")

        let rootfs = PodPaths(podDirectory: podDirectory).appRootfs(app.name)
        try FileSystem.makeDirectories(rootfs)
        if noOverlay {
            try copyTree(from: image.rootfsPath, to: rootfs)
        } else {
            try FileSystem.replace("", to: "\(podDirectory)/overlay-prepared")
        }
    }

    private func copyTree(from source: String, to destination: String) throws {
        let output = try Subprocess.run("cp", ["-a", "--", "\(source)/.", destination])
        guard output.status.succeeded else {
            throw RktError(
                .internal, "copying image rootfs to \(destination) (--no-overlay): \(output.stderrText.trimmed)")
        }
    }

    private func defaultAppName(_ imageName: String) -> String {
        let last = imageName.split(separator: "/").last.map(String.init) ?? imageName
        let sanitized = last.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "-" }
        return String(sanitized).split(separator: "-").joined(separator: "-")
    }
}
