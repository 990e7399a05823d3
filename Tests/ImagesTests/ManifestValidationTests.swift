import Images
import Testing

@Suite("Image manifest validation")
struct ManifestValidationTests {
    /// A manifest that passes, which each case below breaks in one way.
    static func valid() -> ImageManifest {
        ImageManifest(
            name: "example.com/app",
            labels: [NameValue(name: "version", value: "1.0"), NameValue(name: "os", value: "linux")],
            app: App(exec: ["/bin/app", "--flag"], user: "0", group: "0"))
    }

    typealias Mutation = @Sendable (inout ImageManifest) -> Void

    static let cases: [(String, Mutation, String)] = [
        ("acKind", { $0.acKind = "PodManifest" }, "acKind must be \"ImageManifest\" (got \"PodManifest\")"),
        ("acVersion empty", { $0.acVersion = "" }, "acVersion is missing; set it to the spec version, e.g. \"0.8.11\""),
        ("acVersion", { $0.acVersion = "0.8" }, "acVersion \"0.8\" is not a semantic version; use e.g. \"0.8.11\""),
        (
            "name missing", { $0.name = "" },
            "name is missing; set it to an AC Identifier such as \"example.com/app\""
        ),
        (
            "name", { $0.name = "Example.com/App" },
            "name \"Example.com/App\" is not an AC Identifier; use lower-case letters and digits separated by one "
                + "of - . _ ~ /, e.g. \"example.com/app\""
        ),
        (
            "label name", { $0.labels.append(NameValue(name: "Bad Label", value: "x")) },
            "labels[2].name \"Bad Label\" is not an AC Identifier; use lower-case letters and digits separated by "
                + "one of - . _ ~ /"
        ),
        (
            "duplicate label", { $0.labels.append(NameValue(name: "version", value: "2.0")) },
            "labels: \"version\" appears more than once; keep a single entry per name"
        ),
        (
            "reserved label", { $0.labels.append(NameValue(name: "name", value: "x")) },
            "labels[2] is named \"name\", which is reserved; put the image name in the top-level name field"
        ),
        (
            "arch for os", { $0.labels.append(NameValue(name: "arch", value: "x86_64")) },
            "labels: arch \"x86_64\" is not valid for os \"linux\"; use one of amd64, i386, aarch64, aarch64_be, "
                + "armv6l, armv7l, armv7b, ppc64, ppc64le, s390x"
        ),
        (
            "user", { $0.app?.user = "" },
            "app.user is missing; set a user name, a numeric uid or an absolute path in the image"
        ),
        (
            "group", { $0.app?.group = "" },
            "app.group is missing; set a group name, a numeric gid or an absolute path in the image"
        ),
        (
            "relative exec", { $0.app?.exec = ["bin/app"] },
            "app.exec[0] \"bin/app\" must be an absolute path or a bare command name (looked up in PATH)"
        ),
        (
            "working directory", { $0.app?.workingDirectory = "srv" },
            "app.workingDirectory \"srv\" must be an absolute path"
        ),
        (
            "environment", { $0.app?.environment = [NameValue(name: "1BAD", value: "x")] },
            "app.environment[0].name \"1BAD\" is not a valid variable name; use letters, digits and \"_\" "
                + "(also \".\" and \"-\"), not starting with a digit"
        ),
        (
            "mount point name", { $0.app?.mountPoints = [MountPoint(name: "Data", path: "/data")] },
            "app.mountPoints[0].name \"Data\" is not an AC Name; use lower-case letters and digits separated by "
                + "single \"-\""
        ),
        (
            "port name", { $0.app?.ports = [PortSpec(name: "web.http", protocol: "tcp", port: 80)] },
            "app.ports[0].name \"web.http\" is not an AC Name; use lower-case letters and digits separated by "
                + "single \"-\""
        ),
        (
            "port zero", { $0.app?.ports = [PortSpec(name: "http", protocol: "tcp", port: 0)] },
            "app.ports[0].port 0 is out of range; use 1-65535"
        ),
        (
            "port too big", { $0.app?.ports = [PortSpec(name: "http", protocol: "tcp", port: 70000)] },
            "app.ports[0].port 70000 is out of range; use 1-65535"
        ),
        (
            "port count", { $0.app?.ports = [PortSpec(name: "http", protocol: "tcp", port: 65535, count: 2)] },
            "app.ports[0]: port 65535 + count 2 goes past 65535; lower the count"
        ),
        (
            "duplicate port",
            {
                $0.app?.ports = [
                    PortSpec(name: "http", protocol: "tcp", port: 80),
                    PortSpec(name: "http", protocol: "udp", port: 81),
                ]
            },
            "app.ports: \"http\" is declared more than once; port names must be unique"
        ),
        (
            "event handler", { $0.app?.eventHandlers = [EventHandler(name: "on-start", exec: ["/bin/x"])] },
            "app.eventHandlers[0].name \"on-start\" is not supported; use \"pre-start\" or \"post-stop\""
        ),
        (
            "whitelist", { $0.pathWhitelist = ["etc/passwd"] },
            "pathWhitelist[0] \"etc/passwd\" must be an absolute path"
        ),
        (
            "dependency id", { $0.dependencies = [Dependency(imageName: "example.com/base", imageID: "sha256-aa")] },
            "dependencies[0].imageID \"sha256-aa\" must be \"sha512-\" followed by lower-case hex digits"
        ),
    ]

    @Test("a valid manifest has no problems")
    func validManifest() throws {
        #expect(Self.valid().problems().isEmpty)
        try Self.valid().validate()
    }

    @Test("each broken rule gives one exact message", arguments: cases)
    func brokenRule(label: String, mutate: Mutation, expected: String) {
        var manifest = Self.valid()
        mutate(&manifest)
        #expect(manifest.problems() == [expected], "case \(label)")
    }

    @Test("validate() throws every problem at once")
    func validateThrowsAll() {
        var manifest = Self.valid()
        manifest.acKind = "X"
        manifest.app?.user = ""
        let message = thrownMessage { try manifest.validate() }
        #expect(
            message
                == "invalid image manifest: acKind must be \"ImageManifest\" (got \"X\"); app.user is missing; "
                + "set a user name, a numeric uid or an absolute path in the image")
    }

    @Test(
        "AC identifiers and names",
        arguments: [
            ("example.com/app", true, false), ("a", true, true), ("a-b", true, true), ("a--b", false, false),
            ("a.b_c~d/e", true, false), ("-a", false, false), ("a/", false, false), ("A", false, false),
            ("", false, false),
        ])
    func identifiers(text: String, isIdentifier: Bool, isName: Bool) {
        #expect(ACNames.isIdentifier(text) == isIdentifier)
        #expect(ACNames.isName(text) == isName)
    }

    @Test(
        "semantic versions",
        arguments: [
            ("0.8.11", true), ("1.0.0-rc.1+build.5", true), ("1.0", false), ("01.0.0", false), ("1.0.0-", false),
            ("v1.0.0", false),
        ])
    func semver(text: String, valid: Bool) {
        #expect(ACNames.isSemanticVersion(text) == valid)
    }
}
