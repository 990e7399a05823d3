import CShim
import FoundationEssentials
import Glibc
import Images
import Network
import RktError
import RktSys

/// `rkt run-prepared`: the pod's supervisor. It holds the pod's exclusive lock for the pod's
/// whole life (that lock is what makes the pod "running"), sets up network and rootfs, runs the
/// app under runc with our stdout/stderr, forwards the signals it receives, and on exit records
/// the app's status and releases everything. Single-threaded on purpose.
///
/// The container is made with `runc create` while the CNI plugins join its netns (the two take
/// about 30 and 70 ms here, so that saves most of the first), and `runc start` lets the app run
/// once both are done: the app never runs before its network is up. The supervisor is a child
/// subreaper, so the container's init, orphaned when `runc create` exits, is reaped by it.
public struct RunSupervisor {
    public let runtime: RuntimeContext

    /// Signals forwarded to the app; they must be blocked before any thread starts (see RktMain).
    public static let forwardedSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH]

    public init(runtime: RuntimeContext) {
        self.runtime = runtime
    }

    /// Runs the prepared pod to completion and returns the app's exit status.
    public func runPrepared(_ uuidPrefix: String, options: RunOptions) throws -> ExitStatus {
        let found = try runtime.pods.find(uuidPrefix)
        guard found.directory == .prepared else {
            throw RktError(.invalidState, "pod \"\(found.uuid)\" is not prepared (state: \(found.state.rawValue))")
        }
        let manifest = try JSON.decode(
            PodManifest.self, from: try FileSystem.read(PodPaths(podDirectory: found.path).manifest))
        let selection = try NetSelection.parse(options.net)
        let dns = try DNSMode.from(
            servers: options.dns, search: options.dnsSearch, options: options.dnsOptions, domain: options.dnsDomain)
        try checkPorts(manifest, selection: selection)

        let lock = try FileLock(path: found.path)
        guard try lock.tryLock(exclusive: true, within: .seconds(1)) else {
            throw RktError(.invalidState, "pod \"\(found.uuid)\" is locked by another rkt process")
        }
        let entry = try runtime.pods.move(found, to: .run)
        try FileSystem.replace("\(getpid())", to: PodPaths(podDirectory: entry.path).ppid)
        runtime.logger.debug("pod running", ["pod.id": entry.uuid.canonical])

        let status: ExitStatus
        let oom: PodOOMWatch
        do {
            let initPID = try start(entry, manifest: manifest, selection: selection, dns: dns, options: options)
            (status, oom) = try supervise(entry, initPID: initPID)
        } catch {
            try? PodCleaner(runtime: runtime).release(uuid: entry.uuid, podDirectory: entry.path)
            throw error
        }
        try record(status, oom: oom, app: manifest.apps[0].name, podDirectory: entry.path)
        try PodCleaner(runtime: runtime).release(uuid: entry.uuid, podDirectory: entry.path)
        withExtendedLifetime(lock) {}
        return status
    }

    private func checkPorts(_ manifest: PodManifest, selection: NetSelection) throws {
        guard !manifest.ports.isEmpty else {
            return
        }
        switch selection.mode {
        case .host, .none:
            throw RktError(
                .invalidArgument,
                "--port cannot be used with --net=host or --net=none (the pod's ports: \(manifest.ports.map(\.name).joined(separator: ", ")))"
            )
        case .contained:
            return
        }
    }

    /// Sets the pod up and starts its app: the netns, rootfs, pod files and runc bundle, then
    /// `runc create` beside the CNI ADDs, then `runc start`. Returns the container init's pid.
    private func start(
        _ entry: PodStore.Entry, manifest: PodManifest, selection: NetSelection, dns: DNSMode, options: RunOptions
    ) throws -> pid_t {
        guard rkt_set_child_subreaper(1) == 0 else {
            throw RktError.sys("prctl", "PR_SET_CHILD_SUBREAPER", "cannot adopt the pod's container")
        }
        let paths = PodPaths(podDirectory: entry.path)
        let pendingNetwork = try createNamespace(entry, manifest: manifest, selection: selection)
        let namespace =
            pendingNetwork.map { BundleBuilder.NetworkNamespace.path($0.netnsPath) }
            ?? (selection.mode == .host ? .host : .fresh)
        let bundle = try writeBundle(entry, manifest: manifest, network: namespace, dns: dns, options: options)

        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(devNull) }
        let creation = try Subprocess.spawn(
            runtime.runc.executable,
            runtime.runc.createArguments(bundle: bundle, containerID: entry.uuid.containerID, pidFile: paths.pid),
            stdio: .init(stdin: devNull, stdout: 1, stderr: 2))
        let joined = Result { try pendingNetwork.map { try runtime.networking.join($0) } }
        let created = try creation.wait()
        _ = try joined.get()
        guard created.succeeded else {
            throw RktError(.internal, "runc create of pod \(entry.uuid) failed (\(created)); runc's reason is above")
        }

        let pidText = try FileSystem.readText(paths.pid).trimmed
        guard let initPID = pid_t(pidText), initPID > 0 else {
            throw RktError(.internal, "runc create of pod \(entry.uuid) left no pid in \(paths.pid): \"\(pidText)\"")
        }
        try runtime.runc.start(entry.uuid.containerID)
        runtime.logger.debug("app started", ["pod.id": entry.uuid.canonical, "pid": "\(initPID)"])
        return initPID
    }

    /// The pod's netns, before any CNI network is joined; nil unless the pod has a contained network.
    private func createNamespace(_ entry: PodStore.Entry, manifest: PodManifest, selection: NetSelection) throws
        -> PendingPodNetwork?
    {
        guard case .contained(let requests) = selection.mode else {
            return nil
        }
        let appPorts = manifest.apps[0].app.ports
        let forwards = manifest.ports.compactMap { exposed -> PortForward? in
            guard let port = appPorts.first(where: { $0.name == exposed.name }) else {
                return nil
            }
            return PortForward(
                name: exposed.name, hostPort: exposed.hostPort, containerPort: port.port, protocol: port.protocol,
                hostIP: exposed.hostIP)
        }
        return try runtime.networking.createNamespace(
            podID: entry.uuid.canonical, podDirectory: entry.path, selection: requests, ports: forwards)
    }

    /// Rootfs, pod files and the runc bundle; returns the bundle directory.
    private func writeBundle(
        _ entry: PodStore.Entry, manifest: PodManifest, network: BundleBuilder.NetworkNamespace, dns: DNSMode,
        options: RunOptions
    ) throws -> String {
        let paths = PodPaths(podDirectory: entry.path)
        let app = manifest.apps[0]
        let rootfs = try mountRootfs(paths, app: app)
        let hostname = options.hostname ?? "rkt-\(entry.uuid.canonical)"
        let etcFiles = try writeEtcFiles(paths, rootfs: rootfs, hostname: hostname, dns: dns)
        let environment = PodFiles.environment(
            app: app.name, entries: app.app.environment.map { (name: $0.name, value: $0.value) })
        try FileSystem.makeDirectories(PathText.directory(of: paths.envFile(app.name)))
        try FileSystem.replace(PodFiles.envFile(environment), to: paths.envFile(app.name))

        let resolver = UserResolver(rootfs: rootfs)
        var builder = BundleBuilder(
            uuid: entry.uuid, app: app, volumes: manifest.volumes, rootfs: rootfs, initPath: runtime.initPath,
            network: network, uid: try resolver.uid(app.app.user), gid: try resolver.gid(app.app.group),
            environment: environment, insecure: options.insecure, etcFiles: etcFiles,
            emptyVolumeSources: try makeEmptyVolumes(manifest.volumes, podDirectory: entry.path))
        builder.app.app.workingDirectory = try checkedWorkingDirectory(app, rootfs: rootfs)
        try FileSystem.makeDirectories(paths.bundle)
        try FileSystem.replace(
            try JSON.encode(try builder.spec(), pretty: true), to: "\(paths.bundle)/config.json")
        return paths.bundle
    }

    /// Mounts the overlay (image tree below, the pod's upper dir above) unless prepared with --no-overlay.
    private func mountRootfs(_ paths: PodPaths, app: PodManifest.RuntimeApp) throws -> String {
        let rootfs = paths.appRootfs(app.name)
        guard FileSystem.exists(paths.overlayMarker) else {
            return rootfs
        }
        let key = app.image.id
        let image = try runtime.images.image(matching: key)
        try FileSystem.makeDirectories(paths.overlayUpper(key))
        try FileSystem.makeDirectories(paths.overlayWork(key))
        try FileSystem.makeDirectories(rootfs)
        let data = "lowerdir=\(image.rootfsPath),upperdir=\(paths.overlayUpper(key)),workdir=\(paths.overlayWork(key))"
        guard mount("overlay", rootfs, "overlay", 0, data) == 0 else {
            throw RktError.sys("mount", "overlay on \(rootfs)", "cannot mount the pod's rootfs")
        }
        return rootfs
    }

    /// Writes hostname, hosts and resolv.conf files for the pod; returns the /etc bind mounts.
    private func writeEtcFiles(_ paths: PodPaths, rootfs: String, hostname: String, dns: DNSMode) throws -> [(
        String, String
    )] {
        try FileSystem.makeDirectories(paths.etc)
        var binds: [(String, String)] = []
        try FileSystem.replace("\(hostname)\n", to: "\(paths.etc)/hostname")
        binds.append(("/etc/hostname", "\(paths.etc)/hostname"))

        if !FileSystem.exists("\(rootfs)/etc/hosts") {
            try FileSystem.replace(
                PodFiles.hostsFallback(hostname: hostname), to: "\(paths.etc)/hosts-fallback")
            binds.append(("/etc/hosts", "\(paths.etc)/hosts-fallback"))
        }
        switch dns {
        case .host:
            binds.append(("/etc/resolv.conf", "/etc/resolv.conf"))
        case .generated:
            try FileSystem.replace(dns.resolvConf ?? "", to: "\(paths.etc)/rkt-resolv.conf")
            binds.append(("/etc/resolv.conf", "\(paths.etc)/rkt-resolv.conf"))
        case .image, .none:
            break
        }
        return binds
    }

    private func makeEmptyVolumes(_ volumes: [PodManifest.Volume], podDirectory: String) throws -> [String: String] {
        var sources: [String: String] = [:]
        for volume in volumes where volume.kind == "empty" {
            let path = "\(podDirectory)/sharedVolumes/\(volume.name)"
            try FileSystem.makeDirectories(path, mode: mode_t(volume.mode.flatMap { Int($0, radix: 8) } ?? 0o755))
            _ = chown(path, uid_t(volume.uid ?? 0), gid_t(volume.gid ?? 0))
            sources[volume.name] = path
        }
        return sources
    }

    private func checkedWorkingDirectory(_ app: PodManifest.RuntimeApp, rootfs: String) throws -> String {
        let directory = app.app.workingDirectory.isEmpty ? "/" : app.app.workingDirectory
        guard FileSystem.isDirectory("\(rootfs)\(directory)") else {
            throw RktError(.notFound, "app \(app.name): workingDirectory \(directory) does not exist in the image")
        }
        return directory
    }

    /// Waits for the container's init to exit, forwarding signals to it and watching its cgroup for
    /// OOM kills meanwhile (one poll(2) on a signalfd and the OOM monitor's descriptor, at most
    /// 200 ms apart). Other orphans that reach this subreaper are reaped and ignored.
    private func supervise(_ entry: PodStore.Entry, initPID: pid_t) throws -> (ExitStatus, PodOOMWatch) {
        var waitSet = sigset_t()
        sigemptyset(&waitSet)
        for signal in Self.forwardedSignals + [SIGCHLD] {
            sigaddset(&waitSet, signal)
        }
        // The signals are blocked since main (RktMain), so they queue on the signalfd.
        let signals = rkt_signalfd(&waitSet)
        guard signals >= 0 else {
            throw RktError.sys("signalfd", "run-prepared", "cannot wait for signals")
        }
        defer { close(signals) }

        var oom = PodOOMWatch(pid: initPID, containerID: entry.uuid.containerID, logger: runtime.logger)
        var held: [Int32] = []
        var initReady = false
        while true {
            if let status = try reapChildren(until: initPID) {
                if oom.finish() {
                    runtime.logger.info("the app was OOM-killed", ["pod.id": entry.uuid.canonical])
                }
                return (status, oom)
            }
            oom.tick()
            var fds = [
                pollfd(fd: signals, events: Int16(POLLIN), revents: 0),
                pollfd(fd: oom.pollDescriptor ?? -1, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&fds, nfds_t(fds.count), held.isEmpty ? oom.pollTimeoutMilliseconds : 5)
            while case let signal = rkt_signalfd_next(signals), signal > 0 {
                if signal != SIGCHLD {
                    held.append(signal)
                }
            }
            // The kernel drops a signal sent from outside to a PID namespace's init that neither
            // handles nor blocks it: hold signals until rkt-init has started the app (see PodInit).
            initReady = initReady || (!held.isEmpty && PodInit.hasStartedApp(initPID))
            if initReady {
                for signal in held {
                    runtime.logger.debug("forwarding signal", ["pod.id": entry.uuid.canonical, "signal": "\(signal)"])
                    kill(initPID, signal)
                }
                held = []
            }
        }
    }

    /// Reaps every child that has ended; returns the status of `pid` once it is among them.
    private func reapChildren(until pid: pid_t) throws -> ExitStatus? {
        while true {
            var status: Int32 = 0
            let reaped = waitpid(-1, &status, WNOHANG)
            if reaped == pid {
                return ExitStatus(waitStatus: status)
            }
            if reaped > 0 || (reaped < 0 && errno == EINTR) {
                continue
            }
            guard reaped == 0 else {
                throw RktError.sys("waitpid", "pod init \(pid)", "cannot wait for the pod's app")
            }
            return nil
        }
    }

    private func record(_ status: ExitStatus, oom: PodOOMWatch, app: String, podDirectory: String) throws {
        let paths = PodPaths(podDirectory: podDirectory)
        let path = paths.statusFile(app)
        try FileSystem.makeDirectories(PathText.directory(of: path))
        if oom.oomKilled {
            try FileSystem.replace(try JSON.encode(oom.record), to: paths.oomFile(app))
        }
        try FileSystem.replace("\(status.shellCode)", to: path)
    }
}
