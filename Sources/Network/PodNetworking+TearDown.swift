import FoundationEssentials
import RktError
import RktSys

extension PodNetworking {
    /// Undoes `setUp` from what it recorded in `podDirectory`: portmap DEL first, then CNI DEL of
    /// each network in reverse order, then the netns is unmounted and deleted and the files removed.
    ///
    /// Idempotent: safe after a partial setUp, twice, or when nothing was set up. If a DEL fails,
    /// the netns and the records of what is left are kept (plugins such as ptp skip their iptables
    /// cleanup when the netns is gone), so that calling it again can finish the job.
    public func tearDown(podID: String, podDirectory: String) throws {
        let files = PodNetworkFiles(podDirectory: podDirectory)
        let infos = try files.readInfos()
        let netns = try namespace(podID: podID, files: files)
        let failures =
            deletePortMap(podID: podID, files: files, infos: infos, netns: netns)
            + deleteNetworks(podID: podID, files: files, infos: infos, netns: netns)
        guard failures.isEmpty else {
            throw RktError(
                .internal, "network teardown of pod \(podID) is incomplete: \(failures.joined(separator: "; "))")
        }

        try netns.delete()
        try files.remove(files.netInfoFile)
        try files.remove(files.netnsFile)
        files.removeNetDirectoryIfEmpty()
    }

    /// DEL of the portmap chained by setUp, if any; returns what failed.
    private func deletePortMap(podID: String, files: PodNetworkFiles, infos: [NetInfo], netns: NetworkNamespace)
        -> [String]
    {
        guard FileSystem.exists(files.portMapFile) else {
            return []
        }
        do {
            let conf = try FileSystem.read(files.portMapFile)
            let owner = try portMapOwner(conf: conf, files: files, infos: infos)
            try delete(conf: conf, plugin: try plugin.locate("portmap"), info: owner, podID: podID, netns: netns)
            try files.remove(files.portMapFile)
            return []
        } catch {
            return ["portmap: \(error)"]
        }
    }

    /// DEL of every recorded network whose conf copy exists, last first; returns what failed.
    private func deleteNetworks(podID: String, files: PodNetworkFiles, infos: [NetInfo], netns: NetworkNamespace)
        -> [String]
    {
        var failures: [String] = []
        for info in infos.reversed() {
            // The recorded path is absolute, but `rm` and `gc` move the pod directory (run/ to
            // exited-garbage/) before tearing down: find the copy in the directory as it is now.
            let confCopy = files.confCopy(PathText.lastComponent(of: info.netConf))
            guard FileSystem.exists(confCopy) else {
                continue
            }
            do {
                let conf = try FileSystem.read(confCopy)
                try delete(conf: conf, plugin: info.pluginPath, info: info, podID: podID, netns: netns)
                try files.remove(confCopy)
                logger.debug("left network", ["pod.id": podID, "net.name": info.netName])
            } catch {
                failures.append("network \"\(info.netName)\": \(error)")
            }
        }
        return failures
    }

    /// The netns recorded for the pod; only names under `/var/run/netns` are trusted, so a damaged
    /// record can never make us delete some other mount.
    private func namespace(podID: String, files: PodNetworkFiles) throws -> NetworkNamespace {
        let fallback = NetworkNamespace(name: "rkt-\(podID)")
        guard let recorded = try files.readNetnsPath() else {
            return fallback
        }
        let url = URL(fileURLWithPath: recorded)
        guard url.deletingLastPathComponent().path == NetworkNamespace.directory else {
            return fallback
        }
        return NetworkNamespace(name: url.lastPathComponent)
    }

    /// The network portmap was chained on (its conf names it), for the DEL's ifname and args.
    private func portMapOwner(conf: [UInt8], files: PodNetworkFiles, infos: [NetInfo]) throws -> NetInfo {
        struct Named: Decodable {
            let name: String
        }
        let name = try JSON.decode(Named.self, from: conf).name
        return infos.first { $0.netName == name }
            ?? NetInfo(netName: name, netConf: files.portMapFile, pluginPath: "", ifName: "eth0")
    }

    /// One CNI DEL. `CNI_NETNS` is empty once the netns is gone, as the CNI spec allows for DEL.
    private func delete(conf: [UInt8], plugin path: String, info: NetInfo, podID: String, netns: NetworkNamespace)
        throws
    {
        let call = CNIPlugin.Call(
            command: "DEL", containerID: podID, netns: netns.exists ? netns.path : "", ifName: info.ifName,
            args: info.args)
        _ = try plugin.invoke(path, conf: conf, call: call)
    }
}
