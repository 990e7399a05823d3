import RktError
import RktSys

/// The CNI half of one `setUp` (the netns exists already), journaling to the pod directory
/// before each side effect so that `tearDown` can undo any prefix of them.
struct PodNetworkSetup {
    let podID: String
    let files: PodNetworkFiles
    let netns: NetworkNamespace
    let plugin: CNIPlugin
    let logger: Logger
    private(set) var infos: [NetInfo] = []

    init(podID: String, files: PodNetworkFiles, netns: NetworkNamespace, plugin: CNIPlugin, logger: Logger) {
        self.podID = podID
        self.files = files
        self.netns = netns
        self.plugin = plugin
        self.logger = logger.with(["pod.id": podID])
    }

    /// CNI ADD of each planned network into the existing netns, then portmap on the forwardable one.
    mutating func join(_ plan: NetPlan, ports: [PortForward], portMapPlugin: String?) throws {
        var forwardResult: CNIResult?
        for (index, step) in plan.steps.enumerated() {
            let result = try add(step, ifName: "eth\(index)")
            if index == plan.forwardable {
                forwardResult = result
            }
        }
        if let portMapPlugin, let forwardResult {
            try addPortMap(portMapPlugin, on: plan.forwardable, ports: ports, result: forwardResult)
        }
    }

    /// CNI ADD of one network; the journal entry and conf copy are written first.
    private mutating func add(_ step: NetPlan.Step, ifName: String) throws -> CNIResult {
        var info = NetInfo(
            netName: step.conf.name, netConf: files.confCopy(step.conf.fileName), pluginPath: step.pluginPath,
            ifName: ifName, args: step.args)
        infos.append(info)
        try files.writeInfos(infos)
        try FileSystem.replace(step.conf.bytes, to: info.netConf)

        let call = callFor(command: "ADD", info: info)
        let result: CNIResult
        do {
            result = try CNIResult.parse(try plugin.invoke(step.pluginPath, conf: step.conf.bytes, call: call))
        } catch {
            cleanUpFailedAdd(plugin: step.pluginPath, conf: step.conf.bytes, info: info)
            // Forget the network so that teardown does not retry a DEL that cannot succeed.
            infos.removeLast()
            try? files.writeInfos(infos)
            try? files.remove(info.netConf)
            throw error
        }
        info.ip = result.ip
        info.mask = result.mask
        infos[infos.count - 1] = info
        try files.writeInfos(infos)
        logger.debug("joined network", ["net.name": info.netName, "net.ifname": ifName, "net.ip": info.ip ?? "none"])
        return result
    }

    /// Chains portmap after the forwardable network; its conf is recorded first for the DEL.
    private func addPortMap(_ pluginPath: String, on index: Int, ports: [PortForward], result: CNIResult) throws {
        let info = infos[index]
        guard result.ipv4CIDR != nil else {
            throw RktError(
                .unsupported, "cannot forward ports: network \"\(info.netName)\" gave the pod no IPv4 address")
        }
        let conf = try JSON.encode(PortMapConf(network: info.netName, ports: ports, result: result))
        try FileSystem.replace(conf, to: files.portMapFile)
        do {
            _ = try plugin.invoke(pluginPath, conf: conf, call: callFor(command: "ADD", info: info))
        } catch {
            cleanUpFailedAdd(plugin: pluginPath, conf: conf, info: info)
            try? files.remove(files.portMapFile)
            throw error
        }
        logger.debug("forwarded ports", ["net.name": info.netName, "ports": "\(ports.map(\.hostPort))"])
    }

    /// After a failed ADD, asks the plugin to remove anything it left. Errors are ignored: a conf
    /// that made ADD fail usually makes DEL fail too (the CNI spec asks plugins to tolerate this DEL).
    private func cleanUpFailedAdd(plugin path: String, conf: [UInt8], info: NetInfo) {
        _ = try? plugin.invoke(path, conf: conf, call: callFor(command: "DEL", info: info))
    }

    private func callFor(command: String, info: NetInfo) -> CNIPlugin.Call {
        CNIPlugin.Call(command: command, containerID: podID, netns: netns.path, ifName: info.ifName, args: info.args)
    }
}
