import Foundation
import Glibc
import RktSys

/// ACIs built by each test with `rkt-driver build-aci` from a busybox rootfs.
extension Sandbox {
    /// The page the httpd image serves.
    static let helloPage = "hello from an integration pod\n"

    /// A busybox rootfs (shell tools, /etc/passwd and group, a /www page) under the sandbox.
    func busyboxRootfs() throws -> String {
        let rootfs = "\(root)/rootfs"
        if FileSystem.exists(rootfs) {
            return rootfs
        }
        for directory in ["bin", "etc", "www", "tmp"] {
            try FileSystem.makeDirectories("\(rootfs)/\(directory)")
        }
        try FileSystem.writeAtomically(
            try FileSystem.read(Prerequisites.busybox), to: "\(rootfs)/bin/busybox", mode: 0o755)
        for tool in ["sh", "cat", "echo", "env", "ls", "sleep", "touch", "true", "httpd", "ip"] {
            guard symlink("busybox", "\(rootfs)/bin/\(tool)") == 0 else {
                throw TestFailure("symlink \(rootfs)/bin/\(tool): \(String(cString: strerror(errno)))")
            }
        }
        try FileSystem.writeAtomically("root:x:0:0:root:/root:/bin/sh\n", to: "\(rootfs)/etc/passwd")
        try FileSystem.writeAtomically("root:x:0:\n", to: "\(rootfs)/etc/group")
        try FileSystem.writeAtomically(Self.helloPage, to: "\(rootfs)/www/index.html")
        return rootfs
    }

    /// Builds `<name>.aci` running `exec`, declaring `ports` ("name:proto:port") and
    /// `mountPoints` ("name:path[:ro]").
    func buildImage(
        _ name: String, exec: [String], ports: [String] = [], mountPoints: [String] = []
    ) throws -> String {
        let rootfs = try busyboxRootfs()
        let path = "\(root)/\(name).aci"
        var arguments = ["build-aci", "--name", "integration.test/\(name)", "--label", "version=1"]
        arguments += ports.flatMap { ["--port", $0] } + mountPoints.flatMap { ["--mount-point", $0] }
        arguments += [rootfs, path, "--"] + exec
        let output = try run(Prerequisites.driver, arguments)
        guard output.status.succeeded else {
            throw TestFailure("build-aci failed: \(output)")
        }
        return path
    }

    /// A shell image whose command the tests give with `--exec` and `-- ARGS`.
    func shellImage() throws -> String {
        let path = "\(root)/shell.aci"
        return FileSystem.exists(path) ? path : try buildImage("shell", exec: ["/bin/sh", "-c", "echo no command"])
    }

    /// busybox httpd in the foreground on the image's port "http" (80), logging requests to stderr.
    func httpdImage() throws -> String {
        try buildImage(
            "httpd", exec: ["/bin/busybox", "httpd", "-f", "-v", "-p", "80", "-h", "/www"], ports: ["http:tcp:80"])
    }

    /// An ACI made by hand with tar whose manifest is not valid JSON.
    func malformedManifestImage() throws -> String {
        let staging = "\(root)/bad-aci"
        try FileSystem.makeDirectories("\(staging)/rootfs/bin")
        try FileSystem.writeAtomically("{\"acKind\": \"ImageManifest\", \"acVersion\": ", to: "\(staging)/manifest")
        let path = "\(root)/malformed.aci"
        let output = try run("tar", ["-C", staging, "-cf", path, "manifest", "rootfs"])
        guard output.status.succeeded else {
            throw TestFailure("tar failed: \(output)")
        }
        return path
    }
}
