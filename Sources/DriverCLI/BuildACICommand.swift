import FoundationEssentials
import Images
import RktSys

extension DriverCommandLine {
    static let buildACICommand = Command(
        name: "build-aci",
        usage:
            "build-aci --name NAME [--label K=V]... [--user U] [--group G] [--working-dir D] [--env K=V]... [--port NAME:PROTO:PORT]... [--mount-point NAME:PATH[:ro]]... [--gzip] ROOTFS_DIR OUTPUT.aci [-- EXEC ARGS...]"
    ) { words, _ in
        let arguments = try Arguments(
            words, valued: ["name", "label", "user", "group", "working-dir", "env", "port", "mount-point"],
            booleans: ["gzip", "overwrite"])
        guard arguments.positionals.count == 2, let name = arguments.value("name") else {
            throw UsageError("expected --name, a rootfs directory and an output file")
        }
        var labels: [String: String] = [:]
        for label in arguments.all("label") {
            let pair = label.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else {
                throw UsageError("--label \(label): expected KEY=VALUE")
            }
            labels[pair[0]] = pair[1]
        }
        let fields = ManifestFields(
            name: name, labels: labels, exec: arguments.trailing ?? [], user: arguments.value("user") ?? "0",
            group: arguments.value("group") ?? "0", workingDirectory: arguments.value("working-dir") ?? "",
            environment: arguments.all("env"), ports: arguments.all("port"), mountPoints: arguments.all("mount-point"))
        let id = try ACIBuilder.build(
            rootfs: arguments.positionals[0], manifest: try fields.makeManifest(), output: arguments.positionals[1],
            gzip: arguments.flag("gzip"), overwrite: true)
        Console.output("\(arguments.positionals[1]): \(id.storeKey)\n")
        return 0
    }
}
