import Images
import JSONCore
import PodRuntime
import Testing

@Suite struct BundleBuilderTests {
    static let uuid = PodUUID(canonicalForTests: "0f9a3c3e-6a58-4f1e-9d8b-2d1f0e6b7a11")

    static func builder(network: BundleBuilder.NetworkNamespace = .fresh, uid: UInt32 = 0) -> BundleBuilder {
        var app = App(exec: ["/bin/busybox", "httpd", "-f"], user: "0", group: "0")
        app.isolators = [
            Isolator(name: "resource/memory", value: .object(["limit": .string("64M")])),
            Isolator(name: "resource/cpu", value: .object(["limit": .string("250m")])),
        ]
        app.mountPoints = [MountPoint(name: "data", path: "/data", readOnly: true)]
        let runtimeApp = PodManifest.RuntimeApp(
            name: "hello", image: .init(name: "example.com/hello", id: "sha512-aa", labels: nil), app: app,
            mounts: [.init(volume: "data", path: "/data"), .init(volume: "scratch", path: "/scratch")])
        return BundleBuilder(
            uuid: uuid, app: runtimeApp,
            volumes: [
                .init(name: "data", kind: "host", source: "/srv/data"),
                .init(name: "scratch", kind: "empty", readOnly: false, recursive: false),
            ],
            rootfs: "/pods/x/rootfs", initPath: "/usr/lib/rkt/rkt-init", network: network, uid: uid, gid: 0,
            environment: [("PATH", "/bin"), ("AC_APP_NAME", "hello")], insecure: InsecureOptions(),
            etcFiles: [("/etc/hostname", "/pods/x/etc/hostname")],
            emptyVolumeSources: ["scratch": "/pods/x/shared/scratch"],
            hostCapabilities: ~UInt64(0))
    }

    @Test func processRunsTheAppUnderRktInit() throws {
        let spec = try Self.builder().spec()
        #expect(spec.process.args == ["/.rkt/init", "/bin/busybox", "httpd", "-f"])
        #expect(spec.process.env == ["PATH=/bin", "AC_APP_NAME=hello"])
        #expect(spec.process.cwd == "/")
        #expect(spec.hostname == "rkt-0f9a3c3e-6a58-4f1e-9d8b-2d1f0e6b7a11")
        #expect(spec.linux.cgroupsPath == "rkt-0f9a3c3e-6a58-4f1e-9d8b-2d1f0e6b7a11")
    }

    @Test func isolatorsBecomeCgroupLimits() throws {
        let resources = try Self.builder().spec().linux.resources
        #expect(resources.memory?.limit == 64_000_000)
        #expect(resources.cpu?.quota == 25_000)
        #expect(resources.cpu?.period == 100_000)
    }

    @Test func volumesAreBindMountsWithTheirModes() throws {
        let mounts = try Self.builder().spec().mounts.filter { $0.type == "bind" }
        #expect(
            mounts == [
                OCISpec.Mount(
                    destination: "/.rkt/init", type: "bind", source: "/usr/lib/rkt/rkt-init", options: ["bind", "ro"]),
                OCISpec.Mount(destination: "/data", type: "bind", source: "/srv/data", options: ["rbind", "ro"]),
                OCISpec.Mount(
                    destination: "/scratch", type: "bind", source: "/pods/x/shared/scratch", options: ["bind", "rw"]),
                OCISpec.Mount(
                    destination: "/etc/hostname", type: "bind", source: "/pods/x/etc/hostname", options: ["bind", "ro"]),
            ])
    }

    @Test(arguments: [
        (BundleBuilder.NetworkNamespace.host, [String]?.none),
        (.fresh, [String]?.some([])),
        (.path("/var/run/netns/rkt-x"), ["/var/run/netns/rkt-x"]),
    ])
    func networkNamespace(network: BundleBuilder.NetworkNamespace, expectedPath: [String]?) throws {
        let namespaces = try Self.builder(network: network).spec().linux.namespaces
        #expect(namespaces.prefix(4).map(\.type) == ["pid", "ipc", "uts", "mount"])
        let net = namespaces.first { $0.type == "network" }
        #expect(net.map { $0.path.map { [$0] } ?? [] } == expectedPath)
    }

    @Test func capabilitiesAreClampedToTheHost() throws {
        var builder = Self.builder()
        builder.hostCapabilities = ~(UInt64(1) << 13)
        let caps = try builder.spec().process.capabilities
        #expect(!caps.bounding.contains("CAP_NET_RAW"))
        #expect(caps.bounding.contains("CAP_NET_BIND_SERVICE"))
        #expect(caps.effective == caps.bounding)
    }

    @Test func nonRootAppsGetNoEffectiveCapabilities() throws {
        let caps = try Self.builder(uid: 65534).spec().process.capabilities
        #expect(caps.effective.isEmpty)
        #expect(caps.permitted.isEmpty)
        #expect(!caps.bounding.isEmpty)
    }

    @Test func insecurePathsDropsMasking() throws {
        var builder = Self.builder()
        #expect(try !builder.spec().linux.maskedPaths.isEmpty)
        builder.insecure = try InsecureOptions(parsing: "paths")
        #expect(try builder.spec().linux.maskedPaths.isEmpty)
        #expect(try builder.spec().linux.readonlyPaths.isEmpty)
    }

    @Test func missingVolumeIsAnError() {
        var builder = Self.builder()
        builder.app.mounts = [.init(volume: "nope", path: "/x")]
        #expect(throws: (any Error).self) { try builder.spec() }
    }
}
