import RktError
import TaskModel

extension RktCommand {
    /// Builds both argv arrays. Checks run in upstream order and the first failure is thrown with
    /// upstream's message: volumes gate, volume syntax, DNS addresses, port_map coverage.
    public static func build(_ input: RktCommandInput) throws(RktError) -> RktCommand {
        let config = input.config
        let global = globalArguments(config)
        var prepare = global + ["prepare"]
        if config.noOverlay {
            prepare.append("--no-overlay=true")
        }
        prepare += standardMounts(input)

        try RktVolume.checkEnabled(config.volumes, enabled: input.options.volumesEnabled)
        var warnings: [String] = []
        for (index, raw) in config.volumes.enumerated() {
            let (volume, warning) = try RktVolume.parse(raw)
            warnings += warning.map { [$0] } ?? []
            let name = volumeName(allocID: input.allocID, task: input.task.name, suffix: String(index))
            prepare += [
                "--volume=\(name),kind=host,source=\(volume.source),readOnly=\(volume.readOnly)",
                "--mount=volume=\(name),target=\(volume.target)",
            ]
        }

        prepare += input.environment.sortedPairs.map { "--set-env=\($0.key)=\($0.value)" }
        prepare.append(config.image)
        if !config.command.isEmpty {
            prepare.append("--exec=\(config.command)")
        }
        prepare += ["--memory=\(input.task.resources.memoryMB)M", "--cpu=\(input.task.resources.cpu)m"]

        var runPrepared = global + ["run-prepared"]
        runPrepared += try RktNetworkFlags.dns(config.dnsServers)
        runPrepared += RktNetworkFlags.dnsSearch(config.dnsSearchDomains)
        runPrepared += RktNetworkFlags.net(config.net)

        prepare += try RktNetworkFlags.ports(
            networks: input.task.resources.networks, portMap: config.portMap, joinedNet: config.joinedNet)
        if !input.task.user.isEmpty {
            prepare.append("--user=\(input.task.user)")
        }
        if !config.group.isEmpty {
            prepare.append("--group=\(config.group)")
        }
        let args = config.args.map(input.environment.interpolate)
        if !args.isEmpty {
            prepare += ["--"] + args
        }
        return RktCommand(prepare: prepare, runPrepared: runPrepared, warnings: warnings)
    }

    /// The alloc, local and secrets volume/mount pairs (never read-only).
    static func standardMounts(_ input: RktCommandInput) -> [String] {
        let mounts = [
            ("alloc", input.paths.allocDir, "/alloc"),
            ("local", input.paths.localDir, "/local"),
            ("secrets", input.paths.secretsDir, "/secrets"),
        ]
        return mounts.flatMap { suffix, source, target in
            let name = volumeName(allocID: input.allocID, task: input.task.name, suffix: suffix)
            return ["--volume=\(name),kind=host,source=\(source)", "--mount=volume=\(name),target=\(target)"]
        }
    }
}
